import {
  checkState,
  checkStateValues,
  decodeF32,
  describeValue,
  type EncodedTensor,
  invalidState,
  type RngState,
  type Seed,
  stateKind,
} from '@drojs/dro-core';
import type { AdaptorKind } from './adaptor.js';
import { OOD_LABEL, UNLABELED } from './constants.js';
import { LEGACY_UNLABELED } from './hostMatrix.js';
import type { EpochRecord } from './train.js';

/** Resolved fit options as stored in the state (everything except callbacks and signals). */
export interface SdmResolvedOptions {
  numClasses: number;
  alpha: number;
  adaptor: AdaptorKind;
  appendLogits: boolean;
  exemplarDim: number;
  epochs: number;
  shuffles: number;
  batchSize: number;
  learningRate: number;
  maxQ: number | 'largest-class';
  normalize: 'global' | 'none';
  split: 'reshuffle' | 'fixed';
  decisionRule: 'lower' | 'point';
  /** δ of the OOD test; states written before it existed lack it and load with the default 0.01. */
  oodRate: number;
  seed: Seed;
  knnChunkSize: number | null;
}

/** The plain JSON state of a fitted estimator (spec §7). */
export interface SdmEstimatorState {
  /** `'@drojs/sdm/SdmEstimator'` (states written as `'sdm-estimator'` still load). */
  kind: string;
  version: 1;
  options: SdmResolvedOptions;
  numClasses: number;
  alpha: number;
  decisionRule: 'lower' | 'point';
  /** k actually used (maxQ resolved; 'largest-class' becomes a number). */
  maxQResolved: number;
  adaptor: {
    kind: AdaptorKind;
    inputDim: number;
    exemplarDim: number;
    appendLogits: boolean;
    normalize: { mode: 'global' | 'none'; mean: number; std: number };
    weights?: { W1?: EncodedTensor; b1?: EncodedTensor; W2: EncodedTensor; b2: EncodedTensor };
  };
  support: { exemplars: EncodedTensor; labels: number[]; predicted: number[]; ids?: string[] };
  calibration: {
    labels: number[];
    /** ŷ of each calibration point (package addition, for summary()). */
    predicted: number[];
    q: number[];
    d0: number[];
    d: number[];
    sdmProbs: number[][];
    qPrime: number[];
    distanceCdfs: number[][];
    qPrimeSortedPerClass: number[][];
    isOod: number[];
    ids?: string[];
  };
  region: {
    alpha: number;
    found: boolean;
    qPrimeMin: number | null;
    thresholds: number[];
    classConditionalAccuracy: number;
  };
  rng: { seed: Seed; state: RngState };
  training?: { bestShuffle: number; bestEpoch: number; calibrationBalancedLoss: number; history: EpochRecord[] };
}

/** The state kind, `'@drojs/sdm/SdmEstimator'`. */
export const SDM_ESTIMATOR_KIND = stateKind('sdm', 'SdmEstimator');
/** The kind written before the `@drojs/<package>/<Class>` scheme; such states still load. */
export const LEGACY_SDM_ESTIMATOR_KIND = 'sdm-estimator';

/** A malformed (tampered or corrupt) state field: `E_STATE_VERSION`, like a foreign kind. */
const fail = (argument: string, expected: string, received: unknown): never => {
  throw invalidState(argument, expected, describeValue(received));
};

function isNumArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number');
}

/** Labels a support row may carry besides a class: UNLABELED, OOD_LABEL and the legacy −1. */
const SUPPORT_MARKERS: readonly number[] = [UNLABELED, OOD_LABEL, LEGACY_UNLABELED];

/** Structural validation of a state before anything is built from it (spec §7). */
export function validateState(state: unknown): asserts state is SdmEstimatorState {
  checkState(state, SDM_ESTIMATOR_KIND, [1], [LEGACY_SDM_ESTIMATOR_KIND]);
  const s = state as Partial<SdmEstimatorState>;
  const C = s.numClasses;
  if (typeof C !== 'number' || !Number.isInteger(C) || C < 2) fail('state.numClasses', 'an integer ≥ 2', C);
  if (!s.options || typeof s.options !== 'object') fail('state.options', 'an object', s.options);
  const rate = (s.options as { oodRate?: unknown }).oodRate;
  if (rate !== undefined && !(typeof rate === 'number' && rate > 0 && rate < 0.5))
    fail('state.options.oodRate', 'a number in (0, 0.5)', rate);
  if (typeof s.alpha !== 'number' || !(s.alpha > 0.5 && s.alpha <= 1))
    fail('state.alpha', 'a number in (0.5, 1]', s.alpha);
  if (s.decisionRule !== 'lower' && s.decisionRule !== 'point')
    fail('state.decisionRule', "'lower' or 'point'", s.decisionRule);
  if (typeof s.maxQResolved !== 'number' || !(s.maxQResolved >= 1))
    fail('state.maxQResolved', 'a positive integer', s.maxQResolved);
  const a = s.adaptor;
  if (!a || !['linear', 'identity', 'frozen'].includes(a.kind))
    fail('state.adaptor.kind', 'linear | identity | frozen', a?.kind);
  if (!a!.normalize || typeof a!.normalize.mean !== 'number' || typeof a!.normalize.std !== 'number') {
    fail('state.adaptor.normalize', '{ mode, mean, std }', a!.normalize);
  }
  if (a!.kind !== 'frozen' && !a!.weights) fail('state.adaptor.weights', 'serialised weights', a!.weights);
  const sp = s.support;
  if (!sp || !isNumArray(sp.labels) || !isNumArray(sp.predicted))
    fail('state.support', 'labels and predicted arrays', sp);
  let ex: Float32Array;
  try {
    ex = decodeF32(sp!.exemplars, 'state.support.exemplars');
  } catch (e) {
    throw invalidState(
      'state.support.exemplars',
      'an encoded float32 tensor',
      e instanceof Error ? e.message : String(e),
    );
  }
  if (sp!.labels.length !== sp!.predicted.length || sp!.exemplars.shape[0] !== sp!.labels.length) {
    fail('state.support', 'consistent lengths', `${sp!.labels.length}/${sp!.predicted.length}`);
  }
  if (ex.length !== sp!.labels.length * (sp!.exemplars.shape[1] ?? -1) || sp!.exemplars.shape[1] !== a!.exemplarDim) {
    fail('state.support.exemplars', `[${sp!.labels.length}, ${a!.exemplarDim}]`, sp!.exemplars.shape.join('x'));
  }
  const cal = s.calibration;
  if (!cal) fail('state.calibration', 'an object', cal);
  const n = cal!.labels?.length;
  for (const key of ['labels', 'predicted', 'q', 'd0', 'd', 'qPrime', 'isOod'] as const) {
    if (!isNumArray(cal![key]) || cal![key].length !== n) fail(`state.calibration.${key}`, `${n} numbers`, cal![key]);
  }
  if (
    !Array.isArray(cal!.sdmProbs) ||
    cal!.sdmProbs.length !== n ||
    !cal!.sdmProbs.every((r) => isNumArray(r) && r.length === C)
  ) {
    fail('state.calibration.sdmProbs', `${n} rows of ${C}`, cal!.sdmProbs);
  }
  for (const key of ['distanceCdfs', 'qPrimeSortedPerClass'] as const) {
    if (!Array.isArray(cal![key]) || cal![key].length !== C || !cal![key].every(isNumArray)) {
      fail(`state.calibration.${key}`, `${C} arrays`, cal![key]);
    }
  }
  const r = s.region;
  if (!r || typeof r.found !== 'boolean' || !isNumArray(r.thresholds) || r.thresholds.length !== C) {
    fail('state.region', `{ found, qPrimeMin, thresholds[${C}] }`, r);
  }
  if (!s.rng || typeof s.rng !== 'object') fail('state.rng', '{ seed, state }', s.rng);
  // Values, not only shapes: a tampered state must not restore into an estimator that admits wrongly.
  for (const [i, y] of sp!.labels.entries()) {
    if (!Number.isInteger(y) || y >= C! || (y < 0 && !SUPPORT_MARKERS.includes(y))) {
      fail(`state.support.labels[${i}]`, `a class in [0, ${C}) or ${SUPPORT_MARKERS.join(', ')}`, y);
    }
  }
  checkStateValues(sp!.predicted, 'state.support.predicted', { min: 0, max: C! - 1 });
  checkStateValues(cal!.q, 'state.calibration.q', { min: 0 });
  checkStateValues(cal!.d0, 'state.calibration.d0', { min: 0 });
  checkStateValues(cal!.d, 'state.calibration.d', { min: 0, max: 1 });
  checkStateValues(cal!.qPrime, 'state.calibration.qPrime', { min: 0 });
  for (const [i, row] of cal!.sdmProbs.entries())
    checkStateValues(row, `state.calibration.sdmProbs[${i}]`, { min: 0, max: 1 });
}
