import { checkNumber, checkOptions, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import type { CommonLossOptions, LabelsLike, LogitsLike } from '../labels.js';
import { COMMON_LOSS_OPTIONS } from '../options.js';
import { rowLoss } from '../rows.js';
import { probTerms } from './common.js';

/** Keys of {@link sceLoss}'s options. */
export const SCE_OPTIONS = { ...COMMON_LOSS_OPTIONS, balance: opt.any(), A: opt.any() };

/** Keys of {@link rceLoss}'s options. */
export const RCE_OPTIONS = { ...COMMON_LOSS_OPTIONS, scale: opt.any() };

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
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { balance?: number; A?: number } & { reduction: 'none' },
): tf.Tensor;
export function sceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CommonLossOptions & { balance?: number; A?: number } & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function sceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CommonLossOptions & { balance?: number; A?: number },
): tf.Tensor;
export function sceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { balance?: number; A?: number } = {},
): tf.Tensor {
  checkOptions(opts, SCE_OPTIONS, 'sceLoss');
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
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { scale?: number } & { reduction: 'none' },
): tf.Tensor;
export function rceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CommonLossOptions & { scale?: number } & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function rceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CommonLossOptions & { scale?: number },
): tf.Tensor;
export function rceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { scale?: number } = {},
): tf.Tensor {
  checkOptions(opts, RCE_OPTIONS, 'rceLoss');
  const scale = checkNumber(opts.scale ?? 1, 'scale', { min: 0, minExclusive: true });
  return rowLoss('rceLoss', logits, labels, opts, (f, y) => rceRows(f, y, scale));
}
