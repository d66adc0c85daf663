import * as tf from '@tensorflow/tfjs-core';
import type { CommonLossOptions, LabelsLike } from '../labels.js';
import { rowLoss } from '../rows.js';
import { probTerms } from './common.js';

/**
 * Mean absolute error `Σ_k |e_y,k − p_k| = 2(1 − p_y)`. (The reference `MAELoss` omits the absolute value
 * and is identically 0; this is the intended loss.) Inputs are logits.
 */
export function maeLoss(logits: tf.Tensor, labels: LabelsLike, opts: CommonLossOptions = {}): tf.Tensor {
  return rowLoss('maeLoss', logits, labels, opts, (f, y) => tf.mul(probTerms(f, y).oneMinusPy, 2) as tf.Tensor1D);
}

/** Mean squared error `Σ_k (e_y,k − p_k)²` on probabilities. Inputs are logits. */
export function mseLoss(logits: tf.Tensor, labels: LabelsLike, opts: CommonLossOptions = {}): tf.Tensor {
  return rowLoss(
    'mseLoss',
    logits,
    labels,
    opts,
    (f, y) => tf.sum(tf.square(tf.sub(y, tf.softmax(f))), 1) as tf.Tensor1D,
  );
}
