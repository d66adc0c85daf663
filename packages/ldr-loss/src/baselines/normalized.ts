import { checkNumber, checkOptions, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import type { CommonLossOptions, LabelsLike, LogitsLike } from '../labels.js';
import { COMMON_LOSS_OPTIONS } from '../options.js';
import { rowLoss } from '../rows.js';
import { probTerms } from './common.js';
import { rceRows } from './symmetric.js';

/** Keys of {@link nceLoss}'s options. */
export const NCE_OPTIONS = { ...COMMON_LOSS_OPTIONS, scale: opt.any() };

/** Keys of {@link agceLoss}'s options. */
export const AGCE_OPTIONS = { ...COMMON_LOSS_OPTIONS, scale: opt.any(), a: opt.any(), q: opt.any() };

/** Keys of {@link aulLoss}'s options. */
export const AUL_OPTIONS = { ...COMMON_LOSS_OPTIONS, scale: opt.any(), a: opt.any(), q: opt.any() };

/** Keys of {@link nceRceLoss}'s options. */
export const NCE_RCE_OPTIONS = { ...COMMON_LOSS_OPTIONS, alpha: opt.any(), beta: opt.any() };

/** Keys of {@link nceAgceLoss}'s options. */
export const NCE_AGCE_OPTIONS = {
  ...COMMON_LOSS_OPTIONS,
  alpha: opt.any(),
  beta: opt.any(),
  a: opt.any(),
  q: opt.any(),
};

/** Keys of {@link nceAulLoss}'s options. */
export const NCE_AUL_OPTIONS = {
  ...COMMON_LOSS_OPTIONS,
  alpha: opt.any(),
  beta: opt.any(),
  a: opt.any(),
  q: opt.any(),
};

function nceRows(f: tf.Tensor2D, y: tf.Tensor2D, scale: number): tf.Tensor1D {
  const { lp, lpy } = probTerms(f, y);
  return tf.mul(tf.div(lpy, tf.sum(lp, 1)), scale) as tf.Tensor1D;
}

function agceRows(f: tf.Tensor2D, y: tf.Tensor2D, a: number, q: number, scale: number): tf.Tensor1D {
  const py = tf.exp(probTerms(f, y).lpy);
  return tf.mul(tf.sub((a + 1) ** q, tf.pow(tf.add(py, a), q)), scale / q) as tf.Tensor1D;
}

function aulRows(f: tf.Tensor2D, y: tf.Tensor2D, a: number, q: number, scale: number): tf.Tensor1D {
  const py = tf.exp(probTerms(f, y).lpy);
  return tf.mul(tf.sub(tf.pow(tf.sub(a, py), q), (a - 1) ** q), scale / q) as tf.Tensor1D;
}

/** Options of losses with an output `scale`. */
export type Scaled = CommonLossOptions & { scale?: number };
const scaleOf = (o: Scaled) => checkNumber(o.scale ?? 1, 'scale', { min: 0, minExclusive: true });
const qOf = (q: number | undefined, d: number) => checkNumber(q ?? d, 'q', { min: 0, minExclusive: true });

/** Normalised cross-entropy `scale·(−log p_y)/(−Σ_k log p_k)`. Inputs are logits. */
export function nceLoss(logits: LogitsLike, labels: LabelsLike, opts: Scaled & { reduction: 'none' }): tf.Tensor;
export function nceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: Scaled & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function nceLoss(logits: LogitsLike, labels: LabelsLike, opts?: Scaled): tf.Tensor;
export function nceLoss(logits: LogitsLike, labels: LabelsLike, opts: Scaled = {}): tf.Tensor {
  checkOptions(opts, NCE_OPTIONS, 'nceLoss');
  const scale = scaleOf(opts);
  return rowLoss('nceLoss', logits, labels, opts, (f, y) => nceRows(f, y, scale));
}

/** Asymmetric GCE `scale·((a+1)^q − (a+p_y)^q)/q` (a > 0, default 1; q > 0, default 2). Inputs are logits. */
export function agceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: Scaled & { a?: number; q?: number } & { reduction: 'none' },
): tf.Tensor;
export function agceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: Scaled & { a?: number; q?: number } & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function agceLoss(logits: LogitsLike, labels: LabelsLike, opts?: Scaled & { a?: number; q?: number }): tf.Tensor;
export function agceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: Scaled & { a?: number; q?: number } = {},
): tf.Tensor {
  checkOptions(opts, AGCE_OPTIONS, 'agceLoss');
  const a = checkNumber(opts.a ?? 1, 'a', { min: 0, minExclusive: true });
  const q = qOf(opts.q, 2);
  const scale = scaleOf(opts);
  return rowLoss('agceLoss', logits, labels, opts, (f, y) => agceRows(f, y, a, q, scale));
}

/** Asymmetric unhinged loss `scale·((a − p_y)^q − (a−1)^q)/q` (a > 1, default 1.5; q > 0, default 0.9). Inputs are logits. */
export function aulLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: Scaled & { a?: number; q?: number } & { reduction: 'none' },
): tf.Tensor;
export function aulLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: Scaled & { a?: number; q?: number } & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function aulLoss(logits: LogitsLike, labels: LabelsLike, opts?: Scaled & { a?: number; q?: number }): tf.Tensor;
export function aulLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: Scaled & { a?: number; q?: number } = {},
): tf.Tensor {
  checkOptions(opts, AUL_OPTIONS, 'aulLoss');
  const a = checkNumber(opts.a ?? 1.5, 'a', { min: 1, minExclusive: true });
  const q = qOf(opts.q, 0.9);
  const scale = scaleOf(opts);
  return rowLoss('aulLoss', logits, labels, opts, (f, y) => aulRows(f, y, a, q, scale));
}

/** Options of the active–passive combinations `α·NCE + β·X`. */
export type Combo = CommonLossOptions & { alpha?: number; beta?: number };
const weightsOf = (o: Combo) => ({
  alpha: checkNumber(o.alpha ?? 1, 'alpha', { min: 0 }),
  beta: checkNumber(o.beta ?? 1, 'beta', { min: 0 }),
});

/** Active–passive `α·NCE + β·RCE` (α = β = 1 by default; reference grid α ∈ {0.1, 5, 9.9}, β = 10 − α). Inputs are logits. */
export function nceRceLoss(logits: LogitsLike, labels: LabelsLike, opts: Combo & { reduction: 'none' }): tf.Tensor;
export function nceRceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: Combo & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function nceRceLoss(logits: LogitsLike, labels: LabelsLike, opts?: Combo): tf.Tensor;
export function nceRceLoss(logits: LogitsLike, labels: LabelsLike, opts: Combo = {}): tf.Tensor {
  checkOptions(opts, NCE_RCE_OPTIONS, 'nceRceLoss');
  const { alpha, beta } = weightsOf(opts);
  return rowLoss(
    'nceRceLoss',
    logits,
    labels,
    opts,
    (f, y) => tf.add(nceRows(f, y, alpha), rceRows(f, y, beta)) as tf.Tensor1D,
  );
}

/** `α·NCE + β·AGCE(a, q)` (defaults α = β = 1, a = 3, q = 1.5). Inputs are logits. */
export function nceAgceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: Combo & { a?: number; q?: number } & { reduction: 'none' },
): tf.Tensor;
export function nceAgceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: Combo & { a?: number; q?: number } & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function nceAgceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: Combo & { a?: number; q?: number },
): tf.Tensor;
export function nceAgceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: Combo & { a?: number; q?: number } = {},
): tf.Tensor {
  checkOptions(opts, NCE_AGCE_OPTIONS, 'nceAgceLoss');
  const { alpha, beta } = weightsOf(opts);
  const a = checkNumber(opts.a ?? 3, 'a', { min: 0, minExclusive: true });
  const q = qOf(opts.q, 1.5);
  return rowLoss(
    'nceAgceLoss',
    logits,
    labels,
    opts,
    (f, y) => tf.add(nceRows(f, y, alpha), agceRows(f, y, a, q, beta)) as tf.Tensor1D,
  );
}

/** `α·NCE + β·AUL(a, q)` (defaults α = β = 1, a = 6, q = 1.5). Inputs are logits. */
export function nceAulLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: Combo & { a?: number; q?: number } & { reduction: 'none' },
): tf.Tensor;
export function nceAulLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: Combo & { a?: number; q?: number } & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function nceAulLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: Combo & { a?: number; q?: number },
): tf.Tensor;
export function nceAulLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: Combo & { a?: number; q?: number } = {},
): tf.Tensor {
  checkOptions(opts, NCE_AUL_OPTIONS, 'nceAulLoss');
  const { alpha, beta } = weightsOf(opts);
  const a = checkNumber(opts.a ?? 6, 'a', { min: 1, minExclusive: true });
  const q = qOf(opts.q, 1.5);
  return rowLoss(
    'nceAulLoss',
    logits,
    labels,
    opts,
    (f, y) => tf.add(nceRows(f, y, alpha), aulRows(f, y, a, q, beta)) as tf.Tensor1D,
  );
}
