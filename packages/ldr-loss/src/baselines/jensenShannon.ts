import { checkNumber, checkOptions, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import type { CommonLossOptions, LabelsLike, LogitsLike } from '../labels.js';
import { COMMON_LOSS_OPTIONS } from '../options.js';
import { pick, rowLoss } from '../rows.js';

/** Keys of {@link jsLoss}'s options. */
export const JS_OPTIONS = { ...COMMON_LOSS_OPTIONS, w0: opt.any() };

/**
 * Jensen–Shannon loss (JSC) `S·[w₀·KL(e_y‖m) + w₁·KL(p‖m)]`, `m = w₀e_y + w₁p`, `w₁ = 1 − w₀`,
 * `S = −1/((1−w₀)·log(1−w₀))` (w₀ ∈ (0, 1), default 0.5). Logs use `clip(m, 1e-7, 1)` and `max(p, 1e-7)`.
 * Inputs are logits.
 */
export function jsLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { w0?: number } & { reduction: 'none' },
): tf.Tensor;
export function jsLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CommonLossOptions & { w0?: number } & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function jsLoss(logits: LogitsLike, labels: LabelsLike, opts?: CommonLossOptions & { w0?: number }): tf.Tensor;
export function jsLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { w0?: number } = {},
): tf.Tensor {
  checkOptions(opts, JS_OPTIONS, 'jsLoss');
  const w0 = checkNumber(opts.w0 ?? 0.5, 'w0', { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const w1 = 1 - w0;
  const S = -1 / (w1 * Math.log(w1));
  return rowLoss('jsLoss', logits, labels, opts, (f, y) => {
    const p = tf.softmax(f);
    const logM = tf.log(tf.clipByValue(tf.add(tf.mul(y, w0), tf.mul(p, w1)), 1e-7, 1));
    const klYM = tf.neg(pick(logM as tf.Tensor2D, y));
    const klPM = tf.sum(tf.mul(p, tf.sub(tf.log(tf.maximum(p, 1e-7)), logM)), 1);
    return tf.mul(tf.add(tf.mul(klYM, w0), tf.mul(klPM, w1)), S) as tf.Tensor1D;
  });
}
