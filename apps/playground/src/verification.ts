import { SDM_CPU_SETTINGS, SdmEstimator } from '@drojs/sdm';
import * as tf from '@tensorflow/tfjs-core';
import { D, K, type Split } from './data.js';
import type { Mlp } from './model.js';

/** SDM's target accuracy α′: a prediction is admitted when its lower SDM probability reaches it. */
export const SDM_ALPHA = 0.95;

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
 * Fits the SDM estimator on held-out training images with their original labels: the trained MLP's last
 * hidden layer and logits are the inputs, SDM's linear adaptor is trained on them (settings sized for the
 * browser: M = 64, 8 epochs).
 */
export async function fitSdm(model: Mlp, train: Split, heldOut: Int32Array, seed: number, signal: AbortSignal) {
  const f = featuresOf(model, train, heldOut);
  const labels = Int32Array.from(heldOut, (i) => train.labels[i]!);
  try {
    return await SdmEstimator.fit(
      { embeddings: f.hidden, labels, logits: f.logits },
      { numClasses: K, ...SDM_CPU_SETTINGS, alpha: SDM_ALPHA, exemplarDim: 64, epochs: 8, seed, signal },
    );
  } finally {
    f.hidden.dispose();
    f.logits.dispose();
  }
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
