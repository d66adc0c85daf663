import {
  checkNumber,
  checkOptions,
  checkSeed,
  DroError,
  describeValue,
  type OptionSchema,
  opt,
  type Seed,
} from '@drojs/dro-core';
import type { AdaptorKind } from './adaptor.js';
import { DEFAULT_OOD_RATE } from './oodThreshold.js';
import type { SdmResolvedOptions } from './state.js';
import type { EpochInfo } from './train.js';

export type DecisionRule = 'lower' | 'point';

/** Options of {@link SdmEstimator.fit}; defaults are the upstream paper recipe (spec §4.9). */
export interface SdmFitOptions {
  /** Number of classes C, an integer ≥ 2. */
  numClasses: number;
  /** Target accuracy α′ ∈ (0.5, 1]; default 0.95. */
  alpha?: number;
  /** 'linear' (default), 'identity' or 'frozen' (no training; needs logits). */
  adaptor?: AdaptorKind;
  /** Append the frozen model's logits to the input; default true when logits are given and adaptor ≠ 'frozen'. */
  appendLogits?: boolean;
  /** M; default 1000 (ignored for 'identity' and 'frozen'). */
  exemplarDim?: number;
  /** Default 200. */
  epochs?: number;
  /** J; default 10. */
  shuffles?: number;
  /** Default 50. */
  batchSize?: number;
  /** Default 1e-5. */
  learningRate?: number;
  /** k, the cap of q; default 2048, or 'largest-class'. */
  maxQ?: number | 'largest-class';
  /** Global scalar normalisation (default) or none. */
  normalize?: 'global' | 'none';
  /** 'reshuffle' (default) or 'fixed' (default for 'frozen' with calibration data). */
  split?: 'reshuffle' | 'fixed';
  /** 'lower' (default) or 'point'. */
  decisionRule?: DecisionRule;
  /**
   * δ ∈ (0, 0.5), default 0.01: the false-alarm rate of the OOD test. `isOod` / reliability `'ood'` means
   * the input's nearest-support distance d₀ exceeds the conformal (1 − δ) quantile of the calibration
   * points' d₀, so at most a share δ of inputs exchangeable with the calibration data is flagged.
   */
  oodRate?: number;
  /** Seed of the split, initialisation and batch streams (a non-negative safe integer or a string); default 0. */
  seed?: Seed;
  /** Query rows per neighbour block; default ⌊2²² / N_support⌋. */
  knnChunkSize?: number;
  /** Called after every epoch. */
  onEpochEnd?: (info: EpochInfo) => void;
  /**
   * Called once at the end of `fit` with a one-line message when the fitted estimator cannot admit
   * anything useful: no high-reliability region at α′ (why, the largest α′ with one, the data per class),
   * or most calibration points 'insufficient-evidence' under the lower rule. Nothing is printed by default;
   * the same facts are in `summaryStats().warnings` / `noRegion`.
   */
  onWarning?: (message: string) => void;
  /** Aborts training with DroError E_ABORTED. */
  signal?: AbortSignal;
}

/**
 * Settings sized for cpu/wasm (spec §4.9 table): M = 128, 30 epochs, J = 1, lr 1e-3, k = 1024.
 * Spread into the options: `{ numClasses, ...SDM_CPU_SETTINGS }`.
 */
export const SDM_CPU_SETTINGS: Readonly<Partial<SdmFitOptions>> = Object.freeze({
  alpha: 0.95,
  adaptor: 'linear',
  exemplarDim: 128,
  epochs: 30,
  shuffles: 1,
  batchSize: 50,
  learningRate: 1e-3,
  maxQ: 1024,
  normalize: 'global',
  split: 'reshuffle',
  decisionRule: 'lower',
});

function oneOf<T extends string>(v: unknown, argument: string, allowed: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  opt.oneOf(allowed).check(v, argument);
  return v as T;
}

/**
 * The keys of {@link SdmFitOptions}; values are checked by {@link resolveOptions} (with `opts.`-prefixed
 * names and E_NONFINITE for NaN), so the schema's job is to reject a misspelt key by name.
 */
const FIT_SCHEMA: OptionSchema = {
  numClasses: opt.any(),
  alpha: opt.any(),
  adaptor: opt.any(),
  appendLogits: opt.any(),
  exemplarDim: opt.any(),
  epochs: opt.any(),
  shuffles: opt.any(),
  batchSize: opt.any(),
  learningRate: opt.any(),
  maxQ: opt.any(),
  normalize: opt.any(),
  split: opt.any(),
  decisionRule: opt.any(),
  oodRate: opt.number({ min: 0, minExclusive: true, max: 0.5, maxExclusive: true }),
  seed: opt.any(),
  knnChunkSize: opt.any(),
  onEpochEnd: opt.any(),
  onWarning: opt.function(),
  signal: opt.signal(),
};

function numberOption(v: unknown, argument: string, dflt: number, range: Parameters<typeof checkNumber>[2]): number {
  if (v === undefined) return dflt;
  if (typeof v === 'number' && !Number.isFinite(v)) {
    throw new DroError('E_NONFINITE', `${argument} is not finite`, {
      argument,
      expected: 'a finite number',
      received: describeValue(v),
    });
  }
  return checkNumber(v, argument, range);
}

/** Validates α′ ∈ (0.5, 1]. */
export function checkAlpha(alpha: unknown, argument: string): number {
  return numberOption(alpha, argument, Number.NaN, { min: 0.5, minExclusive: true, max: 1 });
}

/** Validates and fills every option (spec §6.3, §8); `hasLogits` / `hasCalibration` describe the data. */
export function resolveOptions(opts: SdmFitOptions, hasLogits: boolean, hasCalibration: boolean): SdmResolvedOptions {
  if (!opts || typeof opts !== 'object') {
    throw new DroError('E_SPEC', 'options must be an object', { argument: 'opts', received: describeValue(opts) });
  }
  checkOptions(opts, FIT_SCHEMA, 'SdmEstimator.fit');
  const numClasses = numberOption(opts.numClasses, 'opts.numClasses', Number.NaN, { min: 2, integer: true });
  const alpha = opts.alpha === undefined ? 0.95 : checkAlpha(opts.alpha, 'opts.alpha');
  const adaptor = oneOf(opts.adaptor, 'opts.adaptor', ['linear', 'identity', 'frozen'] as const, 'linear');
  const exemplarDim = numberOption(opts.exemplarDim, 'opts.exemplarDim', 1000, { min: 1, integer: true });
  const epochs = numberOption(opts.epochs, 'opts.epochs', 200, { min: 1, integer: true });
  const shuffles = numberOption(opts.shuffles, 'opts.shuffles', 10, { min: 1, integer: true });
  const batchSize = numberOption(opts.batchSize, 'opts.batchSize', 50, { min: 1, integer: true });
  const learningRate = numberOption(opts.learningRate, 'opts.learningRate', 1e-5, { min: 0, minExclusive: true });
  let maxQ: number | 'largest-class' = 2048;
  if (opts.maxQ === 'largest-class') maxQ = 'largest-class';
  else if (opts.maxQ !== undefined) maxQ = numberOption(opts.maxQ, 'opts.maxQ', 2048, { min: 1, integer: true });
  const normalize = oneOf(opts.normalize, 'opts.normalize', ['global', 'none'] as const, 'global');
  const split = oneOf(
    opts.split,
    'opts.split',
    ['reshuffle', 'fixed'] as const,
    adaptor === 'frozen' && hasCalibration ? 'fixed' : 'reshuffle',
  );
  const decisionRule = oneOf(opts.decisionRule, 'opts.decisionRule', ['lower', 'point'] as const, 'lower');
  const oodRate = opts.oodRate ?? DEFAULT_OOD_RATE;
  const seed = checkSeed(opts.seed ?? 0, 'opts.seed');
  const knnChunkSize =
    opts.knnChunkSize === undefined
      ? null
      : numberOption(opts.knnChunkSize, 'opts.knnChunkSize', 1, { min: 1, integer: true });
  if (opts.appendLogits !== undefined && typeof opts.appendLogits !== 'boolean') {
    throw new DroError('E_SPEC', 'opts.appendLogits must be a boolean', { argument: 'opts.appendLogits' });
  }
  if (adaptor === 'frozen' && !hasLogits) {
    throw new DroError('E_SPEC', "adaptor 'frozen' needs the frozen model's logits", {
      argument: 'data.logits',
      expected: 'logits for the training (and calibration) rows',
      received: 'undefined',
    });
  }
  if (adaptor === 'frozen' && opts.appendLogits === true) {
    throw new DroError('E_SPEC', "appendLogits cannot be used with adaptor 'frozen'", {
      argument: 'opts.appendLogits',
    });
  }
  const appendLogits = adaptor === 'frozen' ? false : (opts.appendLogits ?? hasLogits);
  if (appendLogits && !hasLogits) {
    throw new DroError('E_SPEC', 'appendLogits needs logits', { argument: 'data.logits', received: 'undefined' });
  }
  if (split === 'fixed' && !hasCalibration) {
    throw new DroError('E_SPEC', "split 'fixed' needs calibration data", {
      argument: 'data.calibration',
      received: 'undefined',
    });
  }
  if (opts.onEpochEnd !== undefined && typeof opts.onEpochEnd !== 'function') {
    throw new DroError('E_SPEC', 'opts.onEpochEnd must be a function', { argument: 'opts.onEpochEnd' });
  }
  return {
    numClasses,
    alpha,
    adaptor,
    appendLogits,
    exemplarDim,
    epochs,
    shuffles,
    batchSize,
    learningRate,
    maxQ,
    normalize,
    split,
    decisionRule,
    oodRate,
    seed,
    knnChunkSize,
  };
}
