import { diagnoseRegion, SDM_CPU_SETTINGS, SdmEstimator } from '@drojs/sdm';
import * as tf from '@tensorflow/tfjs-core';
import { D, K, type Split } from './data.js';
import type { Mlp } from './model.js';
import type { RegionInfo } from './protocol.js';
import { NUM_EVAL } from './training.js';

/** Embeddings (last hidden layer) and logits of the given images. */
export function featuresOf(
  model: Mlp,
  split: Split,
  indices: ArrayLike<number>,
): { hidden: tf.Tensor2D; logits: tf.Tensor2D } {
  const x = new Float32Array(indices.length * D);
  for (let i = 0; i < indices.length; i++) {
    const s = indices[i]!;
    x.set(split.images.subarray(s * D, s * D + D), i * D);
  }
  return tf.tidy(() => model.forward(tf.tensor2d(x, [indices.length, D])));
}

/**
 * Fits the SDM estimator on images the network never trained on or was scored on: the 1,000 held-out training
 * images and test images 1,000–1,999, with their original labels. The trained MLP's last hidden layer and logits
 * are the inputs; SDM's linear adaptor is trained on them (M = 128, learning rate 3·10⁻³, 30 epochs; otherwise
 * SDM_CPU_SETTINGS). At the settings' 10⁻³ and 15 epochs the adaptor stays near uniform on a pool this small and
 * no region exists even at α′ = 0.6 (measured; see the README).
 */
export async function fitSdm(
  model: Mlp,
  train: Split,
  heldOut: Int32Array,
  test: Split,
  o: { alpha: number; seed: number; signal: AbortSignal; epochs?: number },
): Promise<{ sdm: SdmEstimator; poolSize: number }> {
  const testPool = Array.from({ length: Math.max(0, test.n - NUM_EVAL) }, (_, i) => NUM_EVAL + i);
  const a = featuresOf(model, train, heldOut);
  const b = featuresOf(model, test, testPool);
  const hidden = tf.concat([a.hidden, b.hidden]) as tf.Tensor2D;
  const logits = tf.concat([a.logits, b.logits]) as tf.Tensor2D;
  const labels = Int32Array.from([
    ...Array.from(heldOut, (i) => train.labels[i]!),
    ...testPool.map((i) => test.labels[i]!),
  ]);
  tf.dispose([a.hidden, a.logits, b.hidden, b.logits]);
  try {
    const sdm = await SdmEstimator.fit(
      { embeddings: hidden, labels, logits },
      {
        numClasses: K,
        ...SDM_CPU_SETTINGS,
        alpha: o.alpha,
        exemplarDim: 128,
        learningRate: 3e-3,
        epochs: o.epochs ?? 30,
        seed: o.seed,
        signal: o.signal,
      },
    );
    return { sdm, poolSize: labels.length };
  } finally {
    hidden.dispose();
    logits.dispose();
  }
}

/** The region at `alpha` (recalibrating the estimator) and, when there is none, why (sdm's diagnoseRegion). */
export function regionAt(sdm: SdmEstimator, alpha: number): RegionInfo {
  sdm.recalibrate(alpha);
  const d = diagnoseRegion({ ...sdm.calibrationDetails(), alpha, numClasses: K });
  return {
    alpha,
    found: sdm.region.found,
    largestAlpha: d.largestAlpha,
    bindingClass: d.bindingClass,
    minPsi: d.minPsi,
  };
}

/** SDM's verdict on one test image. */
export async function sdmVerdict(sdm: SdmEstimator, model: Mlp, test: Split, index: number) {
  const f = featuresOf(model, test, [index]);
  try {
    const probs = tf.tidy(() => tf.softmax(f.logits).dataSync());
    const [p] = await sdm.predict(f.hidden, f.logits);
    return { p: p!, probs: Array.from(probs) };
  } finally {
    f.hidden.dispose();
    f.logits.dispose();
  }
}
