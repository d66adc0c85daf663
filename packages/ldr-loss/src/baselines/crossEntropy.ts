import { checkNumber, checkOptions, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import type { CommonLossOptions, LabelsLike, LogitsLike } from '../labels.js';
import { COMMON_LOSS_OPTIONS } from '../options.js';
import { rowLoss } from '../rows.js';
import { probTerms, safePow } from './common.js';

/** Keys of {@link crossEntropyLoss}'s options. */
export const CROSS_ENTROPY_OPTIONS = COMMON_LOSS_OPTIONS;

/** Keys of {@link focalLoss}'s options. */
export const FOCAL_OPTIONS = { ...COMMON_LOSS_OPTIONS, gamma: opt.any() };

/** Keys of {@link taylorCeLoss}'s options. */
export const TAYLOR_CE_OPTIONS = { ...COMMON_LOSS_OPTIONS, order: opt.any() };

/** Cross-entropy `−log softmax(f)_y`. Inputs are logits. */
export function crossEntropyLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { reduction: 'none' },
): tf.Tensor;
export function crossEntropyLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CommonLossOptions & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function crossEntropyLoss(logits: LogitsLike, labels: LabelsLike, opts?: CommonLossOptions): tf.Tensor;
export function crossEntropyLoss(logits: LogitsLike, labels: LabelsLike, opts: CommonLossOptions = {}): tf.Tensor {
  checkOptions(opts, CROSS_ENTROPY_OPTIONS, 'crossEntropyLoss');
  return rowLoss('crossEntropyLoss', logits, labels, opts, (f, y) => tf.neg(probTerms(f, y).lpy) as tf.Tensor1D);
}

/** Multi-class focal loss `−(1 − p_y)^γ·log p_y` (γ ≥ 0, default 2). Inputs are logits. */
export function focalLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { gamma?: number } & { reduction: 'none' },
): tf.Tensor;
export function focalLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CommonLossOptions & { gamma?: number } & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function focalLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CommonLossOptions & { gamma?: number },
): tf.Tensor;
export function focalLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { gamma?: number } = {},
): tf.Tensor {
  checkOptions(opts, FOCAL_OPTIONS, 'focalLoss');
  const gamma = checkNumber(opts.gamma ?? 2, 'gamma', { min: 0 });
  return rowLoss('focalLoss', logits, labels, opts, (f, y) => {
    const { lpy, oneMinusPy } = probTerms(f, y);
    return tf.neg(tf.mul(safePow(oneMinusPy, gamma), lpy)) as tf.Tensor1D;
  });
}

/** Taylor cross-entropy `Σ_{i=1}^{t} (1 − p_y)^i / i` (t = `order`, integer ≥ 1, default 2). Inputs are logits. */
export function taylorCeLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { order?: number } & { reduction: 'none' },
): tf.Tensor;
export function taylorCeLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CommonLossOptions & { order?: number } & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function taylorCeLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CommonLossOptions & { order?: number },
): tf.Tensor;
export function taylorCeLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { order?: number } = {},
): tf.Tensor {
  checkOptions(opts, TAYLOR_CE_OPTIONS, 'taylorCeLoss');
  const order = checkNumber(opts.order ?? 2, 'order', { min: 1, integer: true });
  return rowLoss('taylorCeLoss', logits, labels, opts, (f, y) => {
    const { oneMinusPy } = probTerms(f, y);
    let power: tf.Tensor1D = oneMinusPy;
    let total: tf.Tensor1D = oneMinusPy;
    for (let i = 2; i <= order; i++) {
      power = tf.mul(power, oneMinusPy) as tf.Tensor1D;
      total = tf.add(total, tf.div(power, i)) as tf.Tensor1D;
    }
    return total;
  });
}
