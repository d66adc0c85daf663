import { DroError } from '@drojs/dro-core/host';
import * as tf from '@tensorflow/tfjs-core';
import { cromeCoefficients } from './objective.js';
import type { CromeOptions, PairKind, PairWeighting } from './pairs.js';

/**
 * Element-wise pair loss `t·softplus(−Δ) + (1−t)·softplus(Δ)` with `tf.softplus`, whose registered gradient is
 * `sigmoid`: at Δ = 0 it gives ½ (a `max(z,0) + log1p(exp(−|z|))` spelling gives 1.5 there, spec §4 item 2).
 */
export function pairLossTf(delta: tf.Tensor, target: tf.Tensor | number): tf.Tensor {
  return tf.tidy(() => {
    const t = typeof target === 'number' ? tf.scalar(target) : target;
    return tf.add(tf.mul(t, tf.softplus(tf.neg(delta))), tf.mul(tf.sub(1, t), tf.softplus(delta)));
  });
}

/**
 * The Crome loss on the reward tensors of one batch, for any model that maps a (prompt, answer) representation
 * to a scalar reward: `Δ = rChosen − rRejected`, value `Σ_i c_i·ℓ(Δ_i; t_i)` where the coefficients `c_i`
 * (group-weight normalisation, `lambdaCausal`, `lambdaTie`) and targets are computed on the host in float64 from
 * `kinds`, `weights`, `targets` (data, no gradient) and uploaded once. Differentiable with respect to the
 * rewards (use inside `optimizer.minimize` or `tf.grads`); leaves only the returned scalar allocated.
 * Lengths disagree → E_SHAPE; bad kinds/weights/targets/λ → E_SPEC (as `cromeObjective`).
 */
export function cromeLoss(
  rChosen: tf.Tensor,
  rRejected: tf.Tensor,
  kinds: ArrayLike<PairKind>,
  o: CromeOptions & PairWeighting = {},
): tf.Scalar {
  if (!(rChosen instanceof tf.Tensor) || !(rRejected instanceof tf.Tensor))
    throw new DroError('E_DTYPE', 'cromeLoss: rChosen and rRejected must be tensors', { argument: 'rChosen' });
  const n = rChosen.size;
  const isVector = (t: tf.Tensor) => t.rank === 1 || (t.rank === 2 && t.shape[1] === 1);
  if (rRejected.size !== n || !isVector(rChosen) || !isVector(rRejected))
    throw new DroError('E_SHAPE', 'cromeLoss: rChosen and rRejected must be reward vectors of one length', {
      argument: 'rRejected',
      expected: `[${n}] (or [${n}, 1])`,
      received: `[${rChosen.shape}] and [${rRejected.shape}]`,
    });
  const c = cromeCoefficients(kinds, n, o, 'cromeLoss');
  return tf.tidy(() => {
    const delta = tf.sub(tf.reshape(rChosen, [n]), tf.reshape(rRejected, [n]));
    const coef = tf.tensor1d(Float32Array.from(c.coef));
    const t = tf.tensor1d(Float32Array.from(c.targets));
    return tf.sum(tf.mul(coef, pairLossTf(delta, t))) as tf.Scalar;
  });
}
