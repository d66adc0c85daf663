import * as tf from '@tensorflow/tfjs-core';
import { constantOf, pick } from '../rows.js';

/** Log-probabilities, the label's log-probability and `1 − p_y` (as −expm1(lp_y), accurate near p_y = 1). */
export function probTerms(
  f: tf.Tensor2D,
  y: tf.Tensor2D,
): { lp: tf.Tensor2D; lpy: tf.Tensor1D; oneMinusPy: tf.Tensor1D } {
  // f − logsumexp(f): tf.logSoftmax (a customGrad op) trips the wasm backend's IS_TEST leak check.
  const lp = tf.sub(f, tf.logSumExp(f, 1, true)) as tf.Tensor2D;
  const lpy = pick(lp, y);
  return { lp, lpy, oneMinusPy: tf.neg(tf.expm1(lpy)) as tf.Tensor1D };
}

/** `x^q` for x ≥ 0 with a finite gradient at x = 0 (the "safe input" double-where pattern). */
export function safePow(x: tf.Tensor1D, q: number): tf.Tensor1D {
  // The mask is a tape constant (tf.greater has no gradient); masked entries see base 1, then weight 0.
  const pos = constantOf(x, (a) => tf.cast(tf.greater(a, 0), 'float32'));
  const safe = tf.add(tf.mul(x, pos), tf.sub(1, pos));
  return tf.mul(tf.pow(safe, q), pos) as tf.Tensor1D;
}
