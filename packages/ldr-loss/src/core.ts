// TEMPORARY local stand-ins until dro-core's robust.ts lands; replaced by re-exports.
import * as tf from '@tensorflow/tfjs-core';
import { customOp } from './rows.js';

export function stopGradient<T extends tf.Tensor>(x: T): T {
  const f = customOp((a) => ({ value: a.clone(), gradFunc: (dy) => tf.zerosLike(dy) }));
  return f(x) as T;
}

export function logMeanExp(x: tf.Tensor, axis = -1, keepDims = false): tf.Tensor {
  return tf.tidy(() => {
    const m = stopGradient(tf.max(x, axis, true));
    const r = tf.add(m, tf.log1p(tf.mean(tf.expm1(tf.sub(x, m)), axis, true)));
    return keepDims ? r : tf.squeeze(r, [axis < 0 ? x.rank + axis : axis]);
  });
}
