import { checkNumber } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import type { CommonLossOptions, LabelsLike } from '../labels.js';
import { rowLoss } from '../rows.js';
import { probTerms } from './common.js';

const RCE_LOG_CLIP = -Math.log(1e-4);

/** `scale·(−log 1e-4)·Σ_{k≠y} clip(p_k, 1e-7, 1)` per row (zero gradient where clipped). */
export function rceRows(f: tf.Tensor2D, y: tf.Tensor2D, scale: number): tf.Tensor1D {
  const p = tf.clipByValue(tf.softmax(f), 1e-7, 1);
  return tf.mul(tf.sum(tf.mul(p, tf.sub(1, y)), 1), scale * RCE_LOG_CLIP) as tf.Tensor1D;
}

/**
 * Symmetric cross-entropy `(1 − b)·(−log p_y) + b·A·(1 − p_y)` (b = `balance` ∈ [0, 1], default 0.5; A > 0,
 * default 4). Inputs are logits.
 */
export function sceLoss(
  logits: tf.Tensor,
  labels: LabelsLike,
  opts: CommonLossOptions & { balance?: number; A?: number } = {},
): tf.Tensor {
  const b = checkNumber(opts.balance ?? 0.5, 'balance', { min: 0, max: 1 });
  const A = checkNumber(opts.A ?? 4, 'A', { min: 0, minExclusive: true });
  return rowLoss('sceLoss', logits, labels, opts, (f, y) => {
    const { lpy, oneMinusPy } = probTerms(f, y);
    return tf.add(tf.mul(lpy, -(1 - b)), tf.mul(oneMinusPy, b * A)) as tf.Tensor1D;
  });
}

/**
 * Reverse cross-entropy `scale·Σ_k clip(p_k, 1e-7, 1)·(−log clip(e_y,k, 1e-4, 1))` (default scale 1).
 * Inputs are logits.
 */
export function rceLoss(
  logits: tf.Tensor,
  labels: LabelsLike,
  opts: CommonLossOptions & { scale?: number } = {},
): tf.Tensor {
  const scale = checkNumber(opts.scale ?? 1, 'scale', { min: 0, minExclusive: true });
  return rowLoss('rceLoss', logits, labels, opts, (f, y) => rceRows(f, y, scale));
}
