// Synthetic classifiers for the tests (not exported from the package).
import * as tf from '@tensorflow/tfjs-core';

/** Always class c out of k. */
export const constantModel = (c: number, k: number) => (x: tf.Tensor) =>
  tf.cast(tf.oneHot(tf.fill([x.shape[0] as number], c, 'int32'), k), 'float32');

/**
 * Binary linear classifier on flattened inputs: score = w·x + b, logits [score, −score] (class 0 when
 * score > 0). Its margin at x is (w·x + b)/‖w‖.
 */
export const linearModel = (w: number[], b: number) => (x: tf.Tensor) =>
  tf.tidy(() => {
    const flat = tf.reshape(x, [x.shape[0] as number, -1]);
    const s = tf.add(tf.matMul(flat, tf.tensor2d(w, [w.length, 1])), b);
    return tf.concat([s, tf.neg(s)], 1);
  });

/** Wraps a classifier and records a copy of every batch it sees. */
export function recording(inner: (x: tf.Tensor) => tf.Tensor): {
  model: (x: tf.Tensor) => tf.Tensor;
  batches: Float32Array[];
} {
  const batches: Float32Array[] = [];
  return {
    batches,
    model: (x: tf.Tensor) => {
      batches.push(Float32Array.from(x.dataSync() as Float32Array));
      return inner(x);
    },
  };
}
