import * as tf from '@tensorflow/tfjs-core';
import type { Reduction } from './labels.js';
import { REDUCTION_RULE } from './options.js';

/** Validates a reduction name (`E_SPEC` naming `reduction`); `'mean'` when undefined. */
export function checkReduction(reduction: unknown, _fn: string): Reduction {
  if (reduction === undefined) return 'mean';
  REDUCTION_RULE.check(reduction, 'reduction');
  return reduction as Reduction;
}

/**
 * Reduces per-row losses `[rows]`. Ignored rows (mask 0) count 0 in 'sum', are dropped from the 'mean'
 * denominator and read 0 in 'none'; an all-ignored 'mean' is 0 with zero gradient, never NaN.
 */
export function reduceRows(
  perRow: tf.Tensor1D,
  mask: tf.Tensor1D | null,
  kept: number,
  reduction: Reduction,
  rowShape: number[],
): tf.Tensor {
  return tf.tidy(() => {
    const masked = mask === null ? perRow : tf.where(tf.greater(mask, 0), perRow, tf.zerosLike(perRow));
    if (reduction === 'none') return tf.reshape(masked, rowShape);
    const s = tf.sum(masked);
    if (reduction === 'sum') return s;
    return tf.div(s, Math.max(kept, 1));
  });
}
