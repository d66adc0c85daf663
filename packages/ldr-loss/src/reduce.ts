import { DroError, describeValue } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import type { Reduction } from './labels.js';

/** Validates a reduction name. */
export function checkReduction(reduction: unknown, fn: string): Reduction {
  if (reduction === undefined) return 'mean';
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new DroError('E_SPEC', `${fn}: unknown reduction`, {
      argument: 'reduction',
      expected: "'mean', 'sum' or 'none'",
      received: describeValue(reduction),
    });
  }
  return reduction;
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
