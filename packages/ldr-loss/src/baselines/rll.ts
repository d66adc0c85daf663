import { checkNumber, checkOptions, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import type { CommonLossOptions, LabelsLike, LogitsLike } from '../labels.js';
import { COMMON_LOSS_OPTIONS } from '../options.js';
import { rowLoss } from '../rows.js';
import { probTerms } from './common.js';

/** Keys of {@link rllReferenceLoss}'s options. */
export const RLL_REFERENCE_OPTIONS = { ...COMMON_LOSS_OPTIONS, alpha: opt.any() };

/**
 * Parity export of the LDR reference code's `RLLLoss` (NOT Patel & Sastry's RLL):
 * `−log(α + p_y) + log(Σ_k [exp(v_k) + α])/(K − 1)`, `v_k = (1 − e_y,k)·f_k − Σ_j f_j` (α > 0, default 1).
 * The log-sum is evaluated as `logaddexp(logsumexp(v), log(K·α))`, so it does not overflow where the
 * reference does. Inputs are logits.
 */
export function rllReferenceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { alpha?: number } & { reduction: 'none' },
): tf.Tensor;
export function rllReferenceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CommonLossOptions & { alpha?: number } & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function rllReferenceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CommonLossOptions & { alpha?: number },
): tf.Tensor;
export function rllReferenceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { alpha?: number } = {},
): tf.Tensor {
  checkOptions(opts, RLL_REFERENCE_OPTIONS, 'rllReferenceLoss');
  const alpha = checkNumber(opts.alpha ?? 1, 'alpha', { min: 0, minExclusive: true });
  return rowLoss('rllReferenceLoss', logits, labels, opts, (f, y) => {
    const K = f.shape[1];
    const { lpy } = probTerms(f, y);
    const v = tf.sub(tf.mul(f, tf.sub(1, y)), tf.sum(f, 1, true));
    const lse = tf.logSumExp(v, 1);
    const both = tf.logSumExp(tf.stack([lse, tf.fill(lse.shape, Math.log(K * alpha))], 1), 1);
    const first = tf.neg(tf.log(tf.add(tf.exp(lpy), alpha)));
    return tf.add(first, tf.div(both, K - 1)) as tf.Tensor1D;
  });
}
