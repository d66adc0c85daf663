import { checkNumber } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import type { CommonLossOptions, LabelsLike } from '../labels.js';
import { rowLoss } from '../rows.js';
import { probTerms, safePow } from './common.js';

/** Cross-entropy `−log softmax(f)_y`. Inputs are logits. */
export function crossEntropyLoss(logits: tf.Tensor, labels: LabelsLike, opts: CommonLossOptions = {}): tf.Tensor {
  return rowLoss('crossEntropyLoss', logits, labels, opts, (f, y) => tf.neg(probTerms(f, y).lpy) as tf.Tensor1D);
}

/** Multi-class focal loss `−(1 − p_y)^γ·log p_y` (γ ≥ 0, default 2). Inputs are logits. */
export function focalLoss(
  logits: tf.Tensor,
  labels: LabelsLike,
  opts: CommonLossOptions & { gamma?: number } = {},
): tf.Tensor {
  const gamma = checkNumber(opts.gamma ?? 2, 'gamma', { min: 0 });
  return rowLoss('focalLoss', logits, labels, opts, (f, y) => {
    const { lpy, oneMinusPy } = probTerms(f, y);
    return tf.neg(tf.mul(safePow(oneMinusPy, gamma), lpy)) as tf.Tensor1D;
  });
}

/** Taylor cross-entropy `Σ_{i=1}^{t} (1 − p_y)^i / i` (t = `order`, integer ≥ 1, default 2). Inputs are logits. */
export function taylorCeLoss(
  logits: tf.Tensor,
  labels: LabelsLike,
  opts: CommonLossOptions & { order?: number } = {},
): tf.Tensor {
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
