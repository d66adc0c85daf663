import { certifiedAccuracyCurve, certify } from '@drojs/smoothing';
import * as tf from '@tensorflow/tfjs-core';
import { D, K, type Split } from './data.js';
import type { Mlp } from './model.js';

/** The smoothing parameters the page uses besides σ and N: N₀ = 64 selection draws, α = 0.001 (Cohen et al.). */
export const N0 = 64;
export const ALPHA = 0.001;

export interface CertRecordLite {
  label: number;
  prediction: number;
  radius: number;
}

/** Which test images are certified: `count` of the first 1000, evenly spaced. */
export function certifiedIndices(count: number, pool = 1000): number[] {
  const step = Math.max(1, Math.floor(pool / count));
  return Array.from({ length: count }, (_, i) => i * step);
}

/** CERTIFY (Cohen et al. 2019) of one test image under Gaussian noise σ; radius in L2 pixel units ([0, 1] scale). */
export async function certifyOne(
  model: Mlp,
  test: Split,
  index: number,
  o: { sigma: number; numSamples: number; seed: number; signal: AbortSignal; onProgress?: (f: number) => void },
): Promise<{ prediction: number; radius: number; samples: number }> {
  const x = tf.tensor1d(test.images.subarray(index * D, index * D + D));
  const total = N0 + o.numSamples;
  try {
    const r = await certify((b: tf.Tensor) => model.logits(b as tf.Tensor2D), x, {
      numClasses: K,
      noise: o.sigma,
      n0: N0,
      n: o.numSamples,
      alpha: ALPHA,
      batchSize: 250,
      seed: o.seed + index,
      signal: o.signal,
      onProgress: (p) => o.onProgress?.(((p.phase === 'selection' ? 0 : N0) + p.done) / total),
    });
    return { prediction: r.prediction, radius: r.radius, samples: r.samples };
  } finally {
    x.dispose();
  }
}

/** Certified accuracy as a function of the L2 radius, from the records (smoothing's curve helper). */
export function curveOf(records: CertRecordLite[]): { radius: number[]; accuracy: number[] } {
  return certifiedAccuracyCurve(records, { step: 0.01 });
}
