import { checkNumber } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { kebab, NORMALIZE_RULE } from './options.js';
import { customOp } from './rows.js';

/**
 * Score normalisation applied before the margins (spec §2.5); the gradient flows through it.
 * `'softplusMean'` and `'l1Mean'` are the deprecated spellings of `'softplus-mean'` and `'l1-mean'`.
 */
export type ScoreNormalization =
  | 'none'
  | 'softplus-mean'
  | 'l1-mean'
  | /** @deprecated use 'softplus-mean' */ 'softplusMean'
  | /** @deprecated use 'l1-mean' */ 'l1Mean';

/** The kebab-case normalisation names (what a validated option holds). */
export type ScoreNormalizationName = 'none' | 'softplus-mean' | 'l1-mean';

// Smallest positive normal float32: guards a softplus row that underflowed entirely (reference: 0/0).
const TINY_F32 = 1.1754943508222875e-38;

/** Validates a normalisation name (old camelCase names mapped to kebab-case) and its epsilon. */
export function checkNormalization(
  mode: unknown,
  normEps: unknown,
  _fn: string,
): { mode: ScoreNormalizationName; normEps: number } {
  const m = mode ?? 'none';
  NORMALIZE_RULE.check(m, 'normalize');
  const eps = checkNumber(normEps ?? 1e-12, 'normEps', { min: 0, minExclusive: true });
  return { mode: kebab<ScoreNormalizationName>(m as string), normEps: eps };
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
export function normalizeScores(f: tf.Tensor2D, mode: ScoreNormalizationName, normEps: number): tf.Tensor2D {
  if (mode === 'none') return f;
  return tf.tidy(() => (mode === 'l1-mean' ? l1Mean(f, normEps) : softplusMean(f)));
}

/**
 * `f' = s / max(mean_k s_k, tiny)`, `s = softplus(f)`, with the VJP written without `m²`
 * (`g_s = (g − [m ≥ tiny]·Σ_j g_j f'_j / K) / m`, `g_f = g_s ⊙ sigmoid(f)`): autodiff of the division forms
 * `s/m²`, which underflows to 0/0 once every logit of a row is below ≈ −44.
 */
function softplusMean(f: tf.Tensor2D): tf.Tensor2D {
  const K = f.shape[1];
  const op = customOp((x, save) => {
    save([x]);
    return {
      value: tf.tidy(() => {
        const s = tf.softplus(x);
        return tf.div(s, tf.maximum(tf.mean(s, 1, true), TINY_F32));
      }),
      gradFunc: (dy, saved) =>
        tf.tidy(() => {
          const xs = saved[0] as tf.Tensor;
          const s = tf.softplus(xs);
          const mean = tf.mean(s, 1, true);
          const m = tf.maximum(mean, TINY_F32);
          const active = tf.cast(tf.greaterEqual(mean, TINY_F32), 'float32');
          const gf = tf.div(tf.sum(tf.mul(dy, tf.div(s, m)), 1, true), K);
          return tf.mul(tf.div(tf.sub(dy, tf.mul(gf, active)), m), tf.sigmoid(xs));
        }),
    };
  });
  return op(f) as tf.Tensor2D;
}
