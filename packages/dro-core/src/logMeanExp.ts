import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, DroError } from './errors.js';
import { stopGradient } from './stopGradient.js';
import { checkFloatTensor } from './tensorChecks.js';

function normAxis(x: tf.Tensor, axis: number): number {
  const a = axis < 0 ? x.rank + axis : axis;
  if (!Number.isInteger(a) || a < 0 || a >= x.rank) {
    throw new DroError('E_SHAPE', 'axis is out of range', {
      argument: 'axis',
      expected: `an axis of a rank-${x.rank} tensor`,
      received: String(axis),
    });
  }
  return a;
}

/**
 * Accurate `log1p(s)` as `2·atanh(s/(2 + s))`. The wasm backend computes Log1p as `log(1 + s)`, which loses the
 * small values this needs at large λ; its Atanh is accurate, and the identity's gradient is `1/(1 + s)`.
 */
function log1pAccurate(s: tf.Tensor): tf.Tensor {
  return tf.mul(2, tf.atanh(tf.div(s, tf.add(s, 2))));
}

/**
 * `log mean exp(x)` along `axis` (default last), stable at any scale: `m + log1p(mean(expm1(x − m)))` with `m`
 * the (gradient-free) max, so small differences survive where `exp` would round to 1. Gradient: the softmax
 * along the axis.
 */
export function logMeanExp(x: tf.Tensor, axis = -1, keepDims = false): tf.Tensor {
  checkFloatTensor(x, 'x');
  const a = normAxis(x, axis);
  return tf.tidy(() => {
    const m = stopGradient(tf.max(x, a, true));
    const r = tf.add(m, log1pAccurate(tf.mean(tf.expm1(tf.sub(x, m)), a, true)));
    return keepDims ? r : tf.squeeze(r, [a]);
  });
}

/**
 * The KL-smoothed max `λ·log mean exp(x/λ)` along `axis` (the KL-penalised robust value). λ = ∞ gives the
 * mean, λ = 0 the max. Its gradient is `softmax(x/λ)`, the worst-case weights, so autodiff is correct here.
 */
export function klSmoothMax(x: tf.Tensor, lambda: number, axis = -1, keepDims = false): tf.Tensor {
  checkNumber(lambda, 'lambda', { min: 0, allowInfinity: true });
  checkFloatTensor(x, 'x');
  const a = normAxis(x, axis);
  if (lambda === Number.POSITIVE_INFINITY) return tf.mean(x, a, keepDims);
  if (lambda === 0) return tf.max(x, a, keepDims);
  return tf.tidy(() => tf.mul(logMeanExp(tf.div(x, lambda), a, keepDims), lambda));
}
