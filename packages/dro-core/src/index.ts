/**
 * @drojs/dro-core — distributionally robust optimisation primitives for TensorFlow.js.
 * Importing this module registers the cpu and wasm backends and every tfjs gradient (through
 * `@tensorflow/tfjs-layers`), a documented side effect.
 * @packageDocumentation
 */

export { type AdversaryOptions, inputAdversary, pseudoLabels } from './adversary.js';
export * from './backend.js';
export { type ConformanceOutcome, reportConformance, reportConformanceCrash } from './conformance-report.js';
export { batches, gatherRows, groupBalancedBatches, zipStreams } from './data.js';
export { chi2ToUniform, klToUniform, tvToUniform } from './divergence.js';
export * from './errors.js';
export {
  checkGroupIds,
  type GroupDroOptions,
  type GroupDroOrder,
  type GroupDroState,
  GroupDroWeights,
  groupMeans,
} from './group.js';
export { cholesky, cholSolve, gram, quadForm, ridge, shermanMorrison } from './linalg.js';
export { klSmoothMax, logMeanExp } from './log-mean-exp.js';
export {
  accuracy,
  BestBy,
  type BestByState,
  cvarOf,
  type GroupStat,
  groupStats,
  RunningMean,
  type RunningMeanState,
  weightDiagnostics,
  worstGroup,
} from './metrics.js';
export {
  type GammaSchedule,
  IndexedMovingLogMeanExp,
  type IndexedMovingLogMeanExpState,
  MovingLogMeanExp,
  type MovingLogMeanExpState,
} from './moving.js';
export { chi2To, klTo, tvTo } from './nominalDivergence.js';
export { type Coupling1d, quantileCoupling, type SampleWeights, uniformCoupling } from './quantileCoupling.js';
export { randomNormal, randomUniform } from './random-tensors.js';
export * from './rng.js';
export { perRow, robustLoss, robustLossWithInfo, robustWeights, robustWeightsAsync } from './robust.js';
export { bisect, expandBracket } from './root-finding.js';
export { sliceDirections } from './sliceDirections.js';
export { type SlicedW2Options, slicedW2 } from './slicedW2.js';
export { type SolveInfo, type SolveResult, solveWeights } from './solve.js';
export { sortedW2 } from './sortedW2.js';
export * from './spec.js';
export * from './state.js';
export { betaContinuedFraction, erfc, normalCdf, normalQuantile } from './stats.js';
export { stopGradient } from './stop-gradient.js';
export { checkFloatTensor } from './tensor-checks.js';
export { findMismatch, isClose } from './testing/compare.js';
export * from './types.js';
export { type CaseResult, checkDroCoreVectors, specFromVector } from './vector-check.js';
export { sortedW2Host, type W2Reduction, type W2Result1d, w2Squared1d } from './w2Squared1d.js';
export { checkW2Vectors, isW2VectorsFile } from './w2VectorCheck.js';
export { applyWasmFixes } from './wasm-fixes.js';
export {
  type NominalInfo,
  type NominalSpec,
  type WorstCaseResult,
  worstCaseExpectation,
} from './worstCaseExpectation.js';
