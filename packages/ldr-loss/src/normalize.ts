import { DroError, checkNumber, describeValue } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';

/** Score normalisation applied before the margins (spec §2.5); the gradient flows through it. */
export type ScoreNormalization = 'none' | 'softplusMean' | 'l1Mean';

// Smallest positive normal float32: guards a softplus row that underflowed entirely (reference: 0/0).
const TINY_F32 = 1.1754943508222875e-38;

/** Validates a normalisation name and its epsilon. */
export function checkNormalization(mode: unknown, normEps: unknown, fn: string): { mode: ScoreNormalization; normEps: number } {
  const m = mode ?? 'none';
  if (m !== 'none' && m !== 'softplusMean' && m !== 'l1Mean') {
    throw new DroError('E_SPEC', `${fn}: unknown normalize`, {
      argument: 'normalize',
      expected: "'none', 'softplusMean' or 'l1Mean'",
      received: describeValue(m),
    });
  }
  const eps = checkNumber(normEps ?? 1e-12, 'normEps', { min: 0, minExclusive: true });
  return { mode: m, normEps: eps };
}

/**
 * `f' = K·f / max(‖f‖₁, eps)` row-wise. ‖f‖₁ is written as `Σ f·sign(f)` (sign has zero gradient), so
 * autodiff yields the exact VJP with sign(0) = 0 — tfjs's `abs` gradient would use −1 at 0 — and
 * `maximum` passes no gradient through the clamp when it is active.
 */
function l1Mean(f: tf.Tensor2D, normEps: number): tf.Tensor2D {
  const K = f.shape[1];
  const a = tf.maximum(tf.sum(tf.mul(f, tf.sign(f)), 1, true), normEps);
  return tf.div(tf.mul(f, K), a) as tf.Tensor2D;
}

/** Applies a validated normalisation to `[rows, K]` scores. */
export function normalizeScores(f: tf.Tensor2D, mode: ScoreNormalization, normEps: number): tf.Tensor2D {
  if (mode === 'none') return f;
  return tf.tidy(() => {
    if (mode === 'l1Mean') return l1Mean(f, normEps);
    const s = tf.softplus(f);
    const m = tf.maximum(tf.mean(s, 1, true), TINY_F32);
    return tf.div(s, m) as tf.Tensor2D;
  });
}
