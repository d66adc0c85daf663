import { checkOptions } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import type { CommonLossOptions, LabelsLike, LogitsLike } from '../labels.js';
import { COMMON_LOSS_OPTIONS } from '../options.js';
import { rowLoss } from '../rows.js';
import { probTerms } from './common.js';

/** Keys of {@link maeLoss}'s options. */
export const MAE_OPTIONS = COMMON_LOSS_OPTIONS;

/** Keys of {@link mseLoss}'s options. */
export const MSE_OPTIONS = COMMON_LOSS_OPTIONS;

/**
 * Mean absolute error `Σ_k |e_y,k − p_k| = 2(1 − p_y)`. (The reference `MAELoss` omits the absolute value
 * and is identically 0; this is the intended loss.) Inputs are logits.
 */
export function maeLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { reduction: 'none' },
): tf.Tensor;
export function maeLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CommonLossOptions & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function maeLoss(logits: LogitsLike, labels: LabelsLike, opts?: CommonLossOptions): tf.Tensor;
export function maeLoss(logits: LogitsLike, labels: LabelsLike, opts: CommonLossOptions = {}): tf.Tensor {
  checkOptions(opts, MAE_OPTIONS, 'maeLoss');
  return rowLoss('maeLoss', logits, labels, opts, (f, y) => tf.mul(probTerms(f, y).oneMinusPy, 2) as tf.Tensor1D);
}

/** Mean squared error `Σ_k (e_y,k − p_k)²` on probabilities. Inputs are logits. */
export function mseLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { reduction: 'none' },
): tf.Tensor;
export function mseLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CommonLossOptions & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function mseLoss(logits: LogitsLike, labels: LabelsLike, opts?: CommonLossOptions): tf.Tensor;
export function mseLoss(logits: LogitsLike, labels: LabelsLike, opts: CommonLossOptions = {}): tf.Tensor {
  checkOptions(opts, MSE_OPTIONS, 'mseLoss');
  return rowLoss(
    'mseLoss',
    logits,
    labels,
    opts,
    (f, y) => tf.sum(tf.square(tf.sub(y, tf.softmax(f))), 1) as tf.Tensor1D,
  );
}
