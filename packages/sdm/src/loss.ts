import { checkNumber, checkOptions, DroError, opt, toTensor } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { sdmInputs, sdmLogProbs, sdmLogProbsHost } from './activation.js';

const LOSS_SCHEMA = { reduction: opt.any(), numClasses: opt.any() };

export interface SdmLossOptions {
  /** 'mean' (default) → scalar, 'balanced' → mean over classes of per-class means, 'none' → [N]. */
  reduction?: 'mean' | 'balanced' | 'none';
  /** Required for 'balanced' (a class without points contributes 0; the divisor stays C). */
  numClasses?: number;
}

/**
 * SDM loss (spec §4.8): −log_{2+q} SDM(z)_y. q and d are constants (no gradient flows into them);
 * the gradient with respect to the logits is d·(SDM − onehot(y))/N for the mean.
 */
export function sdmLoss(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  q: tf.Tensor1D,
  d?: tf.Tensor1D,
  opts: SdmLossOptions = {},
): tf.Tensor {
  checkOptions(opts, LOSS_SCHEMA, 'sdmLoss');
  const reduction = opts.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'balanced' && reduction !== 'none') {
    throw new DroError('E_SPEC', 'unknown reduction', {
      argument: 'opts.reduction',
      expected: "'mean', 'balanced' or 'none'",
      received: String(reduction),
    });
  }
  if (reduction === 'balanced') {
    checkNumber(opts.numClasses, 'opts.numClasses', { min: 1, integer: true });
  }
  return tf.tidy(() => {
    const t = sdmInputs(logits, q, d, 'sdmLoss');
    // Labels: int32 as documented; a float32 label tensor was always accepted (cast below), so it still is.
    const float = labels instanceof tf.Tensor && labels.dtype === 'float32';
    const y = toTensor(labels, 'labels', 'sdmLoss', { rank: 1, dtype: float ? 'float32' : 'int32' });
    if (y.shape[0] !== t.z.shape[0]) {
      throw new DroError('E_SHAPE', 'sdmLoss: labels must have one value per row of logits', {
        argument: 'labels',
        expected: `${t.z.shape[0]}`,
        received: `${y.shape[0]}`,
      });
    }
    const numClasses = t.z.shape[1];
    const logp = sdmLogProbs(t.z, t.q, t.d);
    const oneHot = tf.cast(tf.oneHot(tf.cast(y, 'int32'), numClasses), 'float32');
    const perInstance = tf.neg(tf.sum(tf.mul(logp, oneHot), 1));
    if (reduction === 'none') return perInstance;
    if (reduction === 'mean') return tf.mean(perInstance);
    const c = opts.numClasses as number;
    const members = c === numClasses ? oneHot : tf.cast(tf.oneHot(tf.cast(y, 'int32'), c), 'float32');
    const sums = tf.sum(tf.mul(members, tf.reshape(perInstance, [-1, 1])), 0);
    const counts = tf.maximum(tf.sum(members, 0), 1);
    return tf.div(tf.sum(tf.div(sums, counts)), c);
  });
}

/** Host float64 SDM loss: per-instance values, the marginal mean and the class-balanced mean. */
export function sdmLossHost(
  logits: ArrayLike<number>[],
  labels: ArrayLike<number>,
  q: ArrayLike<number>,
  d?: ArrayLike<number>,
  numClasses?: number,
): { perInstance: Float64Array; marginal: number; balanced: number } {
  const n = logits.length;
  const c = numClasses ?? (n > 0 ? (logits[0] as ArrayLike<number>).length : 0);
  const perInstance = new Float64Array(n);
  const sums = new Float64Array(c);
  const counts = new Float64Array(c);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i] as number;
    const lp = sdmLogProbsHost(logits[i] as ArrayLike<number>, q[i] as number, d === undefined ? 1 : (d[i] as number));
    const l = -(lp[y] as number);
    perInstance[i] = l;
    total += l;
    if (y >= 0 && y < c) {
      sums[y] = sums[y]! + l;
      counts[y] = counts[y]! + 1;
    }
  }
  let balanced = 0;
  for (let k = 0; k < c; k++) if (counts[k]! > 0) balanced += sums[k]! / counts[k]!;
  return { perInstance, marginal: n > 0 ? total / n : 0, balanced: c > 0 ? balanced / c : 0 };
}
