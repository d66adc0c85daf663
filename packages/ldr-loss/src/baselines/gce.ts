import { checkNumber, checkOptions, DroError, describeValue, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { type CommonLossOptions, checkLogits, type LabelsLike, type LogitsLike } from '../labels.js';
import { COMMON_LOSS_OPTIONS } from '../options.js';
import { rowLoss } from '../rows.js';
import { probTerms } from './common.js';

/** Keys of {@link gceLoss}'s options. */
export const GCE_OPTIONS = { ...COMMON_LOSS_OPTIONS, q: opt.any(), truncate: opt.any() };

/** Keys of {@link truncatedGceLoss}'s options. */
export const TRUNCATED_GCE_OPTIONS = { ...COMMON_LOSS_OPTIONS, q: opt.any(), keep: opt.any() };

/** `(1 − p_y^q)/q` with `p_y^q = exp(q·log p_y)` (tf.pow's gradient at 0 would be infinite). */
function gceRows(lpy: tf.Tensor1D, q: number): tf.Tensor1D {
  return tf.div(tf.neg(tf.expm1(tf.mul(lpy, q))), q) as tf.Tensor1D;
}

/**
 * Generalised cross-entropy `min((1 − p_y^q)/q, (1 − t^q)/q)` (q ∈ (0, 1], default 0.7; truncation t ∈ [0, 1),
 * default 0 = none; zero gradient where truncated). Inputs are logits.
 */
export function gceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { q?: number; truncate?: number } & { reduction: 'none' },
): tf.Tensor;
export function gceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CommonLossOptions & { q?: number; truncate?: number } & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function gceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts?: CommonLossOptions & { q?: number; truncate?: number },
): tf.Tensor;
export function gceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { q?: number; truncate?: number } = {},
): tf.Tensor {
  checkOptions(opts, GCE_OPTIONS, 'gceLoss');
  const q = checkNumber(opts.q ?? 0.7, 'q', { min: 0, minExclusive: true, max: 1 });
  const t = checkNumber(opts.truncate ?? 0, 'truncate', { min: 0, max: 1, maxExclusive: true });
  const cap = (1 - t ** q) / q;
  return rowLoss(
    'gceLoss',
    logits,
    labels,
    opts,
    (f, y) => tf.minimum(gceRows(probTerms(f, y).lpy, q), cap) as tf.Tensor1D,
  );
}

/**
 * Truncated GCE `keep_i·(1 − p_y^q)/q` with a caller-supplied 0/1 mask `keep` of length N (the pruning
 * schedule is the caller's). Inputs are logits.
 */
export function truncatedGceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { q?: number; keep: ArrayLike<number> | tf.Tensor1D } & { reduction: 'none' },
): tf.Tensor;
export function truncatedGceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { q?: number; keep: ArrayLike<number> | tf.Tensor1D } & { reduction?: 'mean' | 'sum' },
): tf.Scalar;
export function truncatedGceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { q?: number; keep: ArrayLike<number> | tf.Tensor1D },
): tf.Tensor;
export function truncatedGceLoss(
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions & { q?: number; keep: ArrayLike<number> | tf.Tensor1D },
): tf.Tensor {
  checkOptions(opts, TRUNCATED_GCE_OPTIONS, 'truncatedGceLoss');
  const fn = 'truncatedGceLoss';
  const { rows } = checkLogits(logits, fn);
  const q = checkNumber(opts?.q ?? 0.7, 'q', { min: 0, minExclusive: true, max: 1 });
  const keepIn = opts?.keep;
  const keep: ArrayLike<number> = keepIn instanceof tf.Tensor ? (keepIn.dataSync() as ArrayLike<number>) : keepIn;
  if (keep === null || typeof keep !== 'object' || keep.length !== rows) {
    throw new DroError('E_SHAPE', `${fn}: keep must have one entry per row`, {
      argument: 'keep',
      expected: `length ${rows}`,
      received: describeValue(keep),
    });
  }
  for (let i = 0; i < rows; i++) {
    if (keep[i] !== 0 && keep[i] !== 1) {
      throw new DroError('E_SPEC', `${fn}: keep[${i}] must be 0 or 1`, {
        argument: 'keep',
        received: describeValue(keep[i]),
      });
    }
  }
  const keepF = Float32Array.from(keep);
  return rowLoss(
    fn,
    logits,
    labels,
    opts,
    (f, y) => tf.mul(gceRows(probTerms(f, y).lpy, q), tf.tensor1d(keepF)) as tf.Tensor1D,
  );
}
