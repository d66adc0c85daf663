import { checkState, DroError, decodeF32, describeValue, type EncodedTensor, type RngState } from '@drojs/dro-core';
import type { AdaptorKind } from './adaptor.js';
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
  seed: number | string;
  knnChunkSize: number | null;
}

/** The plain JSON state of a fitted estimator (spec §7). */
export interface SdmEstimatorState {
  kind: 'sdm-estimator';
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
  rng: { seed: number | string; state: RngState };
  training?: { bestShuffle: number; bestEpoch: number; calibrationBalancedLoss: number; history: EpochRecord[] };
}

const fail = (argument: string, expected: string, received: unknown, code: 'E_SPEC' | 'E_SHAPE' = 'E_SPEC'): never => {
  throw new DroError(code, `malformed state field ${argument}`, {
    argument,
    expected,
    received: describeValue(received),
  });
};

function isNumArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number');
}

/** Structural validation of a state before anything is built from it (spec §7). */
export function validateState(state: unknown): asserts state is SdmEstimatorState {
  if (state !== null && typeof state === 'object' && !Array.isArray(state)) {
    const kind = (state as { kind?: unknown }).kind;
    if (kind !== 'sdm-estimator') {
      throw new DroError('E_SPEC', 'state is not an sdm-estimator state', {
        argument: 'state.kind',
        expected: '"sdm-estimator"',
        received: describeValue(kind),
      });
    }
  }
  checkState(state, 'sdm-estimator', [1]);
  const s = state as Partial<SdmEstimatorState>;
  const C = s.numClasses;
  if (typeof C !== 'number' || !Number.isInteger(C) || C < 2) fail('state.numClasses', 'an integer ≥ 2', C);
  if (!s.options || typeof s.options !== 'object') fail('state.options', 'an object', s.options);
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
  const ex = decodeF32(sp!.exemplars, 'state.support.exemplars');
  if (sp!.labels.length !== sp!.predicted.length || sp!.exemplars.shape[0] !== sp!.labels.length) {
    fail('state.support', 'consistent lengths', `${sp!.labels.length}/${sp!.predicted.length}`, 'E_SHAPE');
  }
  if (ex.length !== sp!.labels.length * (sp!.exemplars.shape[1] ?? -1) || sp!.exemplars.shape[1] !== a!.exemplarDim) {
    fail(
      'state.support.exemplars',
      `[${sp!.labels.length}, ${a!.exemplarDim}]`,
      sp!.exemplars.shape.join('x'),
      'E_SHAPE',
    );
  }
  const cal = s.calibration;
  if (!cal) fail('state.calibration', 'an object', cal);
  const n = cal!.labels?.length;
  for (const key of ['labels', 'predicted', 'q', 'd0', 'd', 'qPrime', 'isOod'] as const) {
    if (!isNumArray(cal![key]) || cal![key].length !== n)
      fail(`state.calibration.${key}`, `${n} numbers`, cal![key], 'E_SHAPE');
  }
  if (
    !Array.isArray(cal!.sdmProbs) ||
    cal!.sdmProbs.length !== n ||
    !cal!.sdmProbs.every((r) => isNumArray(r) && r.length === C)
  ) {
    fail('state.calibration.sdmProbs', `${n} rows of ${C}`, cal!.sdmProbs, 'E_SHAPE');
  }
  for (const key of ['distanceCdfs', 'qPrimeSortedPerClass'] as const) {
    if (!Array.isArray(cal![key]) || cal![key].length !== C || !cal![key].every(isNumArray)) {
      fail(`state.calibration.${key}`, `${C} arrays`, cal![key], 'E_SHAPE');
    }
  }
  const r = s.region;
  if (!r || typeof r.found !== 'boolean' || !isNumArray(r.thresholds) || r.thresholds.length !== C) {
    fail('state.region', `{ found, qPrimeMin, thresholds[${C}] }`, r);
  }
  if (!s.rng || typeof s.rng !== 'object') fail('state.rng', '{ seed, state }', s.rng);
}
