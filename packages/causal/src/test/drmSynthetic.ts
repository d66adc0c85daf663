// The spec §15.5 synthetic DRM problem, shared by the DRM tests and scripts/drmSynthetic.ts so that the
// script measures exactly the data, featurizer and accuracy the tests assert on.
import type { Rng } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type Sequential, sequential } from '@tensorflow/tfjs-layers';

/**
 * Draws `n` rows of domain `domain` (0, 1 or 2): x_d = 1.5s + ε for the domain's signal coordinate
 * (0.75s when `weak`), 0.2ε for the other two, and x_3 = σ_d s + ε with σ = (+, +, −); s = 2y − 1.
 */
export function sample(
  domain: number,
  n: number,
  rng: Rng,
  weak = false,
): { x: tf.Tensor2D; y: tf.Tensor1D; labels: number[] } {
  const sig = [1, 1, -1];
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const yi = rng.uniform() < 0.5 ? 1 : 0;
    const s = 2 * yi - 1;
    const row = [0, 1, 2].map((j) => (j === domain ? (weak ? 0.75 : 1.5) * s + rng.normal() : 0.2 * rng.normal()));
    row.push(sig[domain]! * s + rng.normal());
    X.push(row);
    y.push(yi);
  }
  return { x: tf.tensor2d(X), y: tf.tensor1d(y, 'int32'), labels: y };
}

/** A 4 → 32 → 32 ReLU featurizer whose two layers are Glorot-initialised with seeds `seed` and `seed + 1`. */
export function featurizer(seed: number): Sequential {
  // Seeded initialisers keep the tests (and the script's runs) deterministic.
  return sequential({
    layers: [
      layers.dense({
        inputShape: [4],
        units: 32,
        activation: 'relu',
        kernelInitializer: initializers.glorotUniform({ seed }) as never,
      }),
      layers.dense({
        units: 32,
        activation: 'relu',
        kernelInitializer: initializers.glorotUniform({ seed: seed + 1 }) as never,
      }),
    ],
  });
}

/** Fraction of rows whose arg-max class in `p` equals the label. */
export function accuracy(p: tf.Tensor2D, labels: number[]): number {
  const am = tf.argMax(p, 1);
  const a = am.dataSync();
  am.dispose();
  return labels.reduce((s, v, i) => s + (a[i] === v ? 1 : 0), 0) / labels.length;
}
