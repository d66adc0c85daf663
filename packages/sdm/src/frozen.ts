// Types and option check of SdmEstimator.fitFrozen: verify a model's own predictions (spec §4.16) without
// training an adaptor, so that the label SDM judges is the model's argmax.
import { checkOptions, DroError, opt } from '@drojs/dro-core';
import type { SdmFitData, SdmRows } from './fitData.js';
import type { MatrixInput } from './hostMatrix.js';
import type { SdmFitOptions } from './options.js';

/** Rows of {@link SdmEstimator.fitFrozen}: the model's embeddings, its logits (required) and true labels. */
export interface SdmFrozenRows extends SdmRows {
  /** Your model's logits (or log-probabilities) for these rows: ŷ = their argmax is the judged label. */
  logits: MatrixInput;
}

/** Data of {@link SdmEstimator.fitFrozen}. */
export interface SdmFrozenFitData extends SdmFrozenRows {
  /**
   * Held-out labelled rows that calibrate (recommended: the support rows above plus these are used as
   * given). Without it the rows above are split once 50/50 (seeded) into support and calibration.
   */
  calibration?: SdmFrozenRows;
  /** Extra support rows labelled OOD_LABEL or UNLABELED, with the model's logits. */
  oodSupport?: SdmFrozenRows;
}

/** Options of {@link SdmEstimator.fitFrozen}: those of `fit` that matter without training. */
export type SdmFrozenFitOptions = Pick<
  SdmFitOptions,
  | 'numClasses'
  | 'alpha'
  | 'maxQ'
  | 'normalize'
  | 'split'
  | 'decisionRule'
  | 'oodRate'
  | 'seed'
  | 'knnChunkSize'
  | 'onWarning'
>;

const FROZEN_SCHEMA = {
  numClasses: opt.any(),
  alpha: opt.any(),
  maxQ: opt.any(),
  normalize: opt.any(),
  split: opt.any(),
  decisionRule: opt.any(),
  oodRate: opt.any(),
  seed: opt.any(),
  knnChunkSize: opt.any(),
  onWarning: opt.function(),
};

/** Rejects training options by name and returns `fit`'s data and options for adaptor 'frozen'. */
export function frozenArguments(
  data: SdmFrozenFitData,
  opts: SdmFrozenFitOptions,
): { data: SdmFitData; opts: SdmFitOptions } {
  if (!opts || typeof opts !== 'object') {
    throw new DroError('E_SPEC', 'options must be an object', { argument: 'opts' });
  }
  checkOptions(opts, FROZEN_SCHEMA, 'SdmEstimator.fitFrozen');
  return { data, opts: { ...opts, adaptor: 'frozen' } };
}
