import { checkNumber, checkOptions, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { type CommonLossOptions, checkLogits, type LabelsLike, type LogitsLike } from './labels.js';
import { checkMargin, type Margin, marginDiffs } from './margin.js';
import { checkNormalization, normalizeScores, type ScoreNormalization } from './normalize.js';
import { COMMON_LOSS_OPTIONS, SCORE_LOSS_OPTIONS } from './options.js';
import { constantOf, rowLoss } from './rows.js';

/** Keys of {@link csHingeLoss}'s options. */
export const CS_HINGE_OPTIONS = SCORE_LOSS_OPTIONS;
/** Keys of {@link wwHingeLoss}'s options. */
export const WW_HINGE_OPTIONS = {
  ...COMMON_LOSS_OPTIONS,
  margin: opt.any(),
  average: opt.oneOf(['classes', 'sum'] as const),
};
/** Keys of {@link ldrTopKHingeLoss}'s options. */
export const TOP_K_HINGE_OPTIONS = { ...SCORE_LOSS_OPTIONS, k: opt.any() };

/** Options of {@link csHingeLoss}. */
export interface CsHingeOptions extends CommonLossOptions {
  /** Default 1. */
  margin?: Margin;
  /** Default `'none'` (raw logits, reference `CSLoss`). */
  normalize?: ScoreNormalization;
  normEps?: number;
}

/**
 * Crammer–Singer hinge `max_k z_k = max(0, max_{k≠y} c + f_k − f_y)` (the λ → 0 limit of LDR-KL).
 * Subgradient `e_{k*} − e_y` with k* the first maximiser, built as a constant mask from `argMax`
 * (tfjs's `max` gradient would go to every tied entry). Inputs are logits.
 */
export function csHingeLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CsHingeOptions & { reduction: 'none' },
): tf.Tensor;
export function csHingeLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CsHingeOptions & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function csHingeLoss(logits: LogitsLike, labels: LabelsLike, opts?: CsHingeOptions): tf.Tensor;
export function csHingeLoss(logits: LogitsLike, labels: LabelsLike, opts: CsHingeOptions = {}): tf.Tensor {
  const fn = 'csHingeLoss';
  checkOptions(opts, CS_HINGE_OPTIONS, fn);
  const { K } = checkLogits(logits, fn);
  const { mode, normEps } = checkNormalization(opts.normalize, opts.normEps, fn);
  const margin = checkMargin(opts.margin ?? 1, K, fn);
  return rowLoss(fn, logits, labels, opts, (f, y) => {
    const z = marginDiffs(normalizeScores(f, mode, normEps), y, margin);
    const mask = constantOf(z, (a) => tf.cast(tf.oneHot(tf.argMax(a, 1), K), 'float32'));
    return tf.sum(tf.mul(z, mask), 1) as tf.Tensor1D;
  });
}

/** Options of {@link wwHingeLoss}. */
export interface WwHingeOptions extends CommonLossOptions {
  /** Default 1. */
  margin?: Margin;
  /** `'classes'` (default, reference parity: mean over all K classes) or `'sum'` (standard Weston–Watkins). */
  average?: 'classes' | 'sum';
}

/**
 * Weston–Watkins hinge: `(1/K) Σ_k max(0, z_k)` (`average: 'classes'`, the reference's variant) or
 * `Σ_{k≠y} max(0, z_k)` (`'sum'`). Inputs are logits.
 */
export function wwHingeLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: WwHingeOptions & { reduction: 'none' },
): tf.Tensor;
export function wwHingeLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: WwHingeOptions & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function wwHingeLoss(logits: LogitsLike, labels: LabelsLike, opts?: WwHingeOptions): tf.Tensor;
export function wwHingeLoss(logits: LogitsLike, labels: LabelsLike, opts: WwHingeOptions = {}): tf.Tensor {
  const fn = 'wwHingeLoss';
  checkOptions(opts, WW_HINGE_OPTIONS, fn);
  const { K } = checkLogits(logits, fn);
  const margin = checkMargin(opts.margin ?? 1, K, fn);
  const average = opts.average ?? 'classes';
  return rowLoss(fn, logits, labels, opts, (f, y) => {
    const h = tf.sum(tf.relu(marginDiffs(f, y, margin)), 1);
    return (average === 'classes' ? tf.div(h, K) : h) as tf.Tensor1D;
  });
}

/** Options of {@link ldrTopKHingeLoss}. */
export interface TopKHingeOptions extends CommonLossOptions {
  /** Integer in `[1, K]`; k = 1 is the CS hinge. */
  k: number;
  /** Default 1. */
  margin?: Margin;
  normalize?: ScoreNormalization;
  normEps?: number;
}

/**
 * LDR top-k hinge (capped simplex `p_k ≤ 1/k`, no regulariser): the mean of the k largest entries of z
 * (z_y = 0 included; ties towards the lower class index). Gradient `W − e_y` with W a constant mask built
 * from `topk` (which has no gradient in tfjs). Inputs are logits.
 */
export function ldrTopKHingeLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: TopKHingeOptions & { reduction: 'none' },
): tf.Tensor;
export function ldrTopKHingeLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: TopKHingeOptions & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function ldrTopKHingeLoss(logits: LogitsLike, labels: LabelsLike, opts: TopKHingeOptions): tf.Tensor;
export function ldrTopKHingeLoss(logits: LogitsLike, labels: LabelsLike, opts: TopKHingeOptions): tf.Tensor {
  const fn = 'ldrTopKHingeLoss';
  checkOptions(opts, TOP_K_HINGE_OPTIONS, fn);
  const { K } = checkLogits(logits, fn);
  const k = checkNumber(opts?.k, 'k', { min: 1, max: K, integer: true });
  const { mode, normEps } = checkNormalization(opts.normalize, opts.normEps, fn);
  const margin = checkMargin(opts.margin ?? 1, K, fn);
  return rowLoss(fn, logits, labels, opts, (f, y) => {
    const z = marginDiffs(normalizeScores(f, mode, normEps), y, margin);
    const w = constantOf(z, (a) => tf.div(tf.sum(tf.cast(tf.oneHot(tf.topk(a, k).indices, K), 'float32'), 1), k));
    return tf.sum(tf.mul(z, w), 1) as tf.Tensor1D;
  });
}
