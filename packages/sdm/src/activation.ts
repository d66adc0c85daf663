import { DroError, toTensor } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { Q_RESCALE_OFFSET } from './constants.js';

/**
 * dro-core's `toTensor` on the activation's inputs (a tensor, or a TensorLike made into one inside the
 * caller's tidy): logits [N, C], q and d [N]. E_DTYPE for a non-numeric input, E_SHAPE for a wrong rank or a
 * q/d without one value per row.
 */
export function sdmInputs(
  logits: unknown,
  q: unknown,
  d: unknown,
  caller: string,
): { z: tf.Tensor2D; q: tf.Tensor1D; d?: tf.Tensor1D } {
  const z = toTensor(logits, 'logits', caller, { rank: 2 }) as tf.Tensor2D;
  const qt = toTensor(q, 'q', caller, { rank: 1 }) as tf.Tensor1D;
  const dt = d === undefined ? undefined : (toTensor(d, 'd', caller, { rank: 1 }) as tf.Tensor1D);
  for (const [t, name] of [
    [qt, 'q'],
    [dt, 'd'],
  ] as const) {
    if (t && t.shape[0] !== z.shape[0]) {
      throw new DroError('E_SHAPE', `${caller}: ${name} must have one value per row of logits`, {
        argument: name,
        expected: `${z.shape[0]}`,
        received: `${t.shape[0]}`,
      });
    }
  }
  return dt === undefined ? { z, q: qt } : { z, q: qt, d: dt };
}

/** Per-row inverse temperature ln(2 + q)·d as an [N, 1] tensor. */
function rowScale(q: tf.Tensor1D, d?: tf.Tensor1D): tf.Tensor2D {
  const lnBase = tf.log(tf.add(q, Q_RESCALE_OFFSET));
  const scale = d === undefined ? lnBase : tf.mul(lnBase, d);
  return tf.reshape(scale, [-1, 1]) as tf.Tensor2D;
}

/** Row-wise log-softmax of s with an explicit shift by the row maximum. */
function shiftedLogSoftmax(s: tf.Tensor2D): tf.Tensor2D {
  const shifted = tf.sub(s, tf.max(s, 1, true));
  return tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), 1, true))) as tf.Tensor2D;
}

/**
 * SDM activation (spec §4.7): softmax(ln(2+q)·d·z) row-wise; q and d hold one value per row
 * (d defaults to 1). q = e − 2 and d = 1 recovers the softmax; d = 0 gives 1/C.
 */
export function sdmActivation(logits: tf.Tensor2D, q: tf.Tensor1D, d?: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const t = sdmInputs(logits, q, d, 'sdmActivation');
    const s = tf.mul(t.z, rowScale(t.q, t.d)) as tf.Tensor2D;
    const shifted = tf.exp(tf.sub(s, tf.max(s, 1, true)));
    return tf.div(shifted, tf.sum(shifted, 1, true)) as tf.Tensor2D;
  });
}

/** log base (2+q) of the SDM output: logSoftmax(ln(2+q)·d·z) / ln(2+q). */
export function sdmLogProbs(logits: tf.Tensor2D, q: tf.Tensor1D, d?: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const t = sdmInputs(logits, q, d, 'sdmLogProbs');
    const s = tf.mul(t.z, rowScale(t.q, t.d)) as tf.Tensor2D;
    const lnBase = tf.reshape(tf.log(tf.add(t.q, Q_RESCALE_OFFSET)), [-1, 1]);
    return tf.div(shiftedLogSoftmax(s), lnBase) as tf.Tensor2D;
  });
}

/** Host float64 log-softmax of ln(2+q)·d·z (natural log). */
function hostLogSoftmax(logits: ArrayLike<number>, q: number, d: number): Float64Array {
  const c = logits.length;
  const scale = Math.log(Q_RESCALE_OFFSET + q) * d;
  const s = new Float64Array(c);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < c; i++) {
    s[i] = scale * (logits[i] as number);
    if (s[i]! > max) max = s[i]!;
  }
  let sum = 0;
  for (let i = 0; i < c; i++) sum += Math.exp(s[i]! - max);
  const lse = max + Math.log(sum);
  for (let i = 0; i < c; i++) s[i] = s[i]! - lse;
  return s;
}

/** Host float64 SDM output of one row. */
export function sdmProbsHost(logits: ArrayLike<number>, q: number, d = 1): Float64Array {
  const c = logits.length;
  const scale = Math.log(Q_RESCALE_OFFSET + q) * d;
  const out = new Float64Array(c);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < c; i++) {
    out[i] = scale * (logits[i] as number);
    if (out[i]! > max) max = out[i]!;
  }
  let sum = 0;
  for (let i = 0; i < c; i++) {
    out[i] = Math.exp(out[i]! - max);
    sum += out[i]!;
  }
  for (let i = 0; i < c; i++) out[i] = out[i]! / sum;
  return out;
}

/** Host float64 log base (2+q) of the SDM output of one row. */
export function sdmLogProbsHost(logits: ArrayLike<number>, q: number, d = 1): Float64Array {
  const out = hostLogSoftmax(logits, q, d);
  const lnBase = Math.log(Q_RESCALE_OFFSET + q);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / lnBase;
  return out;
}
