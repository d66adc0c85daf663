import { checkLength, checkNumber, checkOptions, DroError, describeValue, opt, toHostVector } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { logMeanExp } from './core.js';
import { type CommonLossOptions, checkLogits, type LabelsLike, type LogitsLike } from './labels.js';
import { checkMargin, type Margin, marginDiffs } from './margin.js';
import { checkNormalization, normalizeScores, type ScoreNormalization } from './normalize.js';
import { SCORE_LOSS_OPTIONS } from './options.js';
import { rowLoss } from './rows.js';

/** Keys of {@link ldrKlLimitInfLoss}'s options. */
export const LDR_KL_LIMIT_INF_OPTIONS = SCORE_LOSS_OPTIONS;
/** Keys of {@link ldrKlLoss}'s options. */
export const LDR_KL_OPTIONS = { ...SCORE_LOSS_OPTIONS, lambda: opt.any() };

/** Options of {@link ldrKlLoss}. */
export interface LdrKlOptions extends CommonLossOptions {
  /** λ > 0: a scalar or one value per row `[N]`. Default 1 (λ = 1, c = 0 is CE − log K). */
  lambda?: number | ArrayLike<number> | tf.Tensor1D;
  /** Margin c ≥ 0 (scalar or per-class `[K]`). Default 0. */
  margin?: Margin;
  /** Score normalisation before the margins: `'none'` (default), `'softplus-mean'` or `'l1-mean'`. */
  normalize?: ScoreNormalization;
  /** `'l1-mean'` denominator clamp. Default 1e-12. */
  normEps?: number;
}

/**
 * The released experiments' setting `{lambda: 10, margin: 0.1, normalize: 'softplus-mean'}`: large λ with
 * bounded scores, close to the symmetric λ → ∞ limit. This, not λ = 1, is what makes LDR-KL noise-robust.
 */
export const LDR_NOISY_LABEL_PRESET: Readonly<{ lambda: 10; margin: 0.1; normalize: 'softplus-mean' }> = Object.freeze({
  lambda: 10,
  margin: 0.1,
  normalize: 'softplus-mean',
});

/**
 * Validates λ: a positive finite scalar, or a positive per-row vector of length `rows` (a rank-1 tensor, an
 * array or a typed array, read by dro-core's `toHostVector`: NaN/Inf → `E_NONFINITE`, rank → `E_SHAPE`).
 */
export function checkLambda(lambda: unknown, rows: number, fn: string): number | Float32Array {
  if (lambda === undefined) return 1;
  if (typeof lambda === 'number') return checkNumber(lambda, 'lambda', { min: 0, minExclusive: true });
  if (lambda === null || typeof lambda !== 'object') {
    throw new DroError('E_SPEC', `${fn}: lambda must be a number or a per-row array`, {
      argument: 'lambda',
      received: describeValue(lambda),
    });
  }
  const values = toHostVector(lambda, 'lambda', fn);
  checkLength(values.length, rows, 'lambda', 'row of logits');
  for (let i = 0; i < values.length; i++) checkNumber(values[i], `lambda[${i}]`, { min: 0, minExclusive: true });
  return Float32Array.from(values);
}

/**
 * `λ·logMeanExp(z/λ)` per row in the max-shifted expm1/log1p form (dro-core's `logMeanExp`), stable for
 * every λ from 1e-4 to 1e6. `lambda` is a scalar or a `[rows]` array (or a `[rows]` tensor, held constant).
 */
export function ldrKlRows(z: tf.Tensor2D, lambda: number | Float32Array | tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    if (typeof lambda === 'number') return tf.mul(logMeanExp(tf.div(z, lambda), 1), lambda) as tf.Tensor1D;
    const lam = lambda instanceof tf.Tensor ? lambda : tf.tensor1d(lambda);
    const col = tf.reshape(lam, [-1, 1]);
    return tf.mul(logMeanExp(tf.div(z, col), 1), lam) as tf.Tensor1D;
  });
}

/**
 * LDR-KL loss (Zhu, Ying, Yang, ICML 2023): `ψ_λ(f, y) = λ·log((1/K) Σ_k exp(z_k/λ))`,
 * `z_k = c_k·[k ≠ y] + f'_k − f'_y` with `f'` the (optionally normalised) scores. Gradient
 * `softmax(z/λ) − e_y` through the normalisation.
 *
 * Inputs are **logits** (never probabilities); the class axis is last. With the defaults (λ = 1, c = 0,
 * no normalisation) it equals cross-entropy − log K and behaves like CE; robustness to label noise needs
 * {@link LDR_NOISY_LABEL_PRESET} (λ = 10, c = 0.1, `'softplus-mean'`).
 * @returns the reduced loss (`'mean'` by default; `'none'` gives per-row values).
 */
export function ldrKlLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: LdrKlOptions & { reduction: 'none' },
): tf.Tensor;
export function ldrKlLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: LdrKlOptions & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function ldrKlLoss(logits: LogitsLike, labels: LabelsLike, opts?: LdrKlOptions): tf.Tensor;
export function ldrKlLoss(logits: LogitsLike, labels: LabelsLike, opts: LdrKlOptions = {}): tf.Tensor {
  const fn = 'ldrKlLoss';
  checkOptions(opts, LDR_KL_OPTIONS, fn);
  const { K, rows } = checkLogits(logits, fn);
  const { mode, normEps } = checkNormalization(opts.normalize, opts.normEps, fn);
  const margin = checkMargin(opts.margin ?? 0, K, fn);
  const lambda = checkLambda(opts.lambda, rows, fn);
  return rowLoss(fn, logits, labels, opts, (f, y) =>
    ldrKlRows(marginDiffs(normalizeScores(f, mode, normEps), y, margin), lambda),
  );
}

/**
 * The λ → ∞ limit of LDR-KL: `mean_k z_k` — a symmetric loss (`Σ_y ψ_∞(f, y)` is constant in f), bounded
 * only when the scores are (use a normalisation). Inputs are logits.
 */
export function ldrKlLimitInfLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: Omit<LdrKlOptions, 'lambda'> & { reduction: 'none' },
): tf.Tensor;
export function ldrKlLimitInfLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: Omit<LdrKlOptions, 'lambda'> & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function ldrKlLimitInfLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: Omit<LdrKlOptions, 'lambda'>,
): tf.Tensor;
export function ldrKlLimitInfLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: Omit<LdrKlOptions, 'lambda'> = {},
): tf.Tensor {
  const fn = 'ldrKlLimitInfLoss';
  checkOptions(opts, LDR_KL_LIMIT_INF_OPTIONS, fn);
  const { K } = checkLogits(logits, fn);
  const { mode, normEps } = checkNormalization(opts.normalize, opts.normEps, fn);
  const margin = checkMargin(opts.margin ?? 0, K, fn);
  return rowLoss(
    fn,
    logits,
    labels,
    opts,
    (f, y) => tf.mean(marginDiffs(normalizeScores(f, mode, normEps), y, margin), 1) as tf.Tensor1D,
  );
}
