// SdmEstimator's plain JSON state (spec §7): Core → state and back. The structural and value checks of a
// state live in state.ts; this file only converts.
import { DroError, decodeF32, encodeF32, invalidState } from '@drojs/dro-core';
import type { AdaptorWeights } from './adaptor.js';
import type { CalibrationData } from './calibration.js';
import { UNLABELED } from './constants.js';
import type { Core } from './estimatorCore.js';
import { LEGACY_UNLABELED } from './hostMatrix.js';
import { conformalDistanceThreshold, DEFAULT_OOD_RATE } from './oodThreshold.js';
import { SDM_ESTIMATOR_KIND, type SdmEstimatorState, validateState } from './state.js';

/** The state of a fitted estimator's host data (a deep copy: plain JSON). */
export function coreToState(c: Core): SdmEstimatorState {
  const enc = (a: Float32Array | undefined, shape: number[]) => (a === undefined ? undefined : encodeF32(a, shape));
  const D = c.inputDim + (c.appendLogits ? c.numClasses : 0);
  const w = c.weights;
  const state: SdmEstimatorState = {
    kind: SDM_ESTIMATOR_KIND,
    version: 1,
    options: { ...c.options },
    numClasses: c.numClasses,
    alpha: c.alpha,
    decisionRule: c.decisionRule,
    maxQResolved: c.k,
    adaptor: {
      kind: c.kind,
      inputDim: c.inputDim,
      exemplarDim: c.exemplarDim,
      appendLogits: c.appendLogits,
      normalize: { ...c.normalization },
    },
    support: {
      exemplars: encodeF32(c.support.exemplars.data, [c.support.labels.length, c.exemplarDim]),
      labels: Array.from(c.support.labels),
      predicted: Array.from(c.support.predicted),
    },
    calibration: {
      labels: Array.from(c.calibration.labels),
      predicted: Array.from(c.calibration.predicted),
      q: Array.from(c.calibration.q),
      d0: Array.from(c.calibration.d0),
      d: Array.from(c.calibration.d),
      sdmProbs: c.calibration.sdmProbs.map((r) => Array.from(r)),
      qPrime: Array.from(c.calibration.qPrime),
      distanceCdfs: c.calibration.distanceCdfs.map((r) => Array.from(r)),
      qPrimeSortedPerClass: c.calibration.qPrimeSortedPerClass.map((r) => Array.from(r)),
      isOod: Array.from(c.calibration.isOod),
    },
    region: {
      alpha: c.region.alpha,
      found: c.region.found,
      qPrimeMin: Number.isFinite(c.region.qPrimeMin) ? c.region.qPrimeMin : null,
      thresholds: Array.from(c.region.thresholds),
      classConditionalAccuracy: c.region.classConditionalAccuracy,
    },
    rng: { seed: c.rng.seed, state: c.rng.state },
  };
  if (w) {
    state.adaptor.weights = {
      W2: encodeF32(w.W2, [w.W1 ? c.exemplarDim : D, c.numClasses]),
      b2: encodeF32(w.b2, [c.numClasses]),
    };
    if (w.W1) state.adaptor.weights.W1 = enc(w.W1, [D, c.exemplarDim]);
    if (w.b1) state.adaptor.weights.b1 = enc(w.b1, [c.exemplarDim]);
  }
  if (c.support.ids) state.support.ids = [...c.support.ids];
  if (c.calibration.ids) state.calibration.ids = [...c.calibration.ids];
  if (c.training) state.training = { ...c.training, history: c.training.history.map((h) => ({ ...h })) };
  return JSON.parse(JSON.stringify(state)) as SdmEstimatorState;
}

function decodeWeights(s: SdmEstimatorState): AdaptorWeights | undefined {
  if (!s.adaptor.weights) return undefined;
  const C = s.numClasses;
  const M = s.adaptor.exemplarDim;
  const D = s.adaptor.inputDim + (s.adaptor.appendLogits ? C : 0);
  const w = s.adaptor.weights;
  const weights: AdaptorWeights = {
    W2: decodeF32(w.W2, 'state.adaptor.weights.W2'),
    b2: decodeF32(w.b2, 'state.adaptor.weights.b2'),
  };
  if (w.W1) weights.W1 = decodeF32(w.W1, 'state.adaptor.weights.W1');
  if (w.b1) weights.b1 = decodeF32(w.b1, 'state.adaptor.weights.b1');
  const hidden = weights.W1 ? M : D;
  if (weights.W2.length !== hidden * C || (weights.W1 && weights.W1.length !== D * M)) {
    throw new DroError('E_STATE_VERSION', 'adaptor weights do not match the stored dimensions', {
      argument: 'state.adaptor.weights',
    });
  }
  return weights;
}

/** Host data from a state (validated first: E_STATE_VERSION for a foreign, unsupported or invalid state). */
export function coreFromState(state: SdmEstimatorState): Core {
  validateState(state);
  const s = state;
  const cal = s.calibration;
  const oodRate = s.options.oodRate ?? DEFAULT_OOD_RATE;
  const calibration: CalibrationData = {
    labels: Int32Array.from(cal.labels),
    predicted: Int32Array.from(cal.predicted),
    q: Float64Array.from(cal.q),
    d0: Float64Array.from(cal.d0),
    d: Float64Array.from(cal.d),
    sdmProbs: cal.sdmProbs.map((r) => Float64Array.from(r)),
    qPrime: Float64Array.from(cal.qPrime),
    distanceCdfs: cal.distanceCdfs.map((r) => Float64Array.from(r)),
    qPrimeSortedPerClass: cal.qPrimeSortedPerClass.map((r) => Float64Array.from(r)),
    isOod: Uint8Array.from(cal.isOod),
    // Derived, not stored: states written before the OOD test existed load with the default δ.
    oodDistanceThreshold: conformalDistanceThreshold(cal.d0, oodRate),
  };
  if (cal.ids) calibration.ids = [...cal.ids];
  const M = s.adaptor.exemplarDim;
  const core: Core = {
    options: { ...s.options, oodRate },
    numClasses: s.numClasses,
    alpha: s.alpha,
    decisionRule: s.decisionRule,
    k: s.maxQResolved,
    kind: s.adaptor.kind,
    inputDim: s.adaptor.inputDim,
    exemplarDim: M,
    appendLogits: s.adaptor.appendLogits,
    normalization: { ...s.adaptor.normalize },
    support: {
      exemplars: {
        data: Float32Array.from(decodeF32(s.support.exemplars, 'state.support.exemplars')),
        rows: s.support.labels.length,
        cols: M,
      },
      // States written before UNLABELED became −2 carry −1 for unlabelled support rows.
      labels: Int32Array.from(s.support.labels, (y) => (y === LEGACY_UNLABELED ? UNLABELED : y)),
      predicted: Int32Array.from(s.support.predicted),
    },
    calibration,
    region: {
      alpha: s.region.alpha,
      found: s.region.found,
      qPrimeMin: s.region.qPrimeMin === null ? Number.POSITIVE_INFINITY : s.region.qPrimeMin,
      thresholds: Float64Array.from(s.region.thresholds),
      classConditionalAccuracy: s.region.classConditionalAccuracy,
    },
    rng: { seed: s.rng.seed, state: s.rng.state },
  };
  let weights: AdaptorWeights | undefined;
  try {
    weights = decodeWeights(s);
  } catch (e) {
    if (e instanceof DroError && e.code === 'E_STATE_VERSION') throw e;
    throw invalidState('state.adaptor.weights', 'encoded float32 weights', e instanceof Error ? e.message : String(e));
  }
  if (weights) core.weights = weights;
  if (s.support.ids) core.support.ids = [...s.support.ids];
  if (s.training) core.training = { ...s.training, history: s.training.history.map((h) => ({ ...h })) };
  return core;
}
