import { checkLength, checkNumber, toHostVector } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';

/** Margin: a scalar or one value per competing class `[K]`, all ≥ 0. */
export type Margin = number | ArrayLike<number>;

/** Validates a margin against K: scalar or per-class array. */
export function checkMargin(margin: unknown, K: number, fn: string): number | Float32Array {
  if (typeof margin === 'number') return checkNumber(margin, 'margin', { min: 0 });
  if (margin === null || typeof margin !== 'object' || !('length' in (margin as object))) {
    return checkNumber(margin, 'margin', { min: 0 });
  }
  // dro-core's host-vector adapter: non-numbers → E_DTYPE, NaN/Inf → E_NONFINITE.
  const arr = toHostVector(margin, 'margin', fn);
  checkLength(arr.length, K, 'margin', 'class');
  for (let k = 0; k < K; k++) checkNumber(arr[k], `margin[${k}]`, { min: 0 });
  return Float32Array.from(arr);
}

/**
 * `z_k = c_k·[k ≠ y] + f_k − f_y` for `[rows, K]` scores and one-hot labels (so `z_y = 0`).
 */
export function marginDiffs(f: tf.Tensor2D, y: tf.Tensor2D, margin: number | Float32Array): tf.Tensor2D {
  return tf.tidy(() => {
    const fy = tf.sum(tf.mul(f, y), 1, true);
    const diff = tf.sub(f, fy);
    if (typeof margin === 'number' && margin === 0) return diff as tf.Tensor2D;
    const c = typeof margin === 'number' ? tf.scalar(margin) : tf.tensor2d(margin, [1, margin.length]);
    return tf.add(diff, tf.mul(c, tf.sub(1, y))) as tf.Tensor2D;
  });
}
