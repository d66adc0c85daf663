/**
 * @drojs/dro-core — distributionally robust optimisation primitives for TensorFlow.js.
 * Importing this module registers the cpu and wasm backends and every tfjs gradient (through
 * `@tensorflow/tfjs-layers`), a documented side effect. Everything of `@drojs/dro-core/host` is re-exported here.
 * @packageDocumentation
 */

export {
  type AdversaryOptions,
  type AdversaryResult,
  inputAdversary,
  inputAdversaryAsync,
  pseudoLabels,
} from './adversary.js';
export * from './backend.js';
export { batches, gatherRows, groupBalancedBatches, zipStreams } from './data.js';
export {
  checkGroupIds,
  type GroupDroOptions,
  type GroupDroOrder,
  type GroupDroState,
  type GroupDroUpdate,
  GroupDroWeights,
  groupMeans,
} from './group.js';
export * from './host.js';
export { cholesky, cholSolve, gram, quadForm, ridge, shermanMorrison } from './linalg.js';
export { klSmoothMax, logMeanExp } from './logMeanExp.js';
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
export { randomNormal, randomUniform } from './randomTensors.js';
export { perRow, robustLoss, robustLossWithInfo, robustWeights, robustWeightsAsync } from './robust.js';
export {
  perRowAsync,
  type RobustPlan,
  type RobustStepOptions,
  type RobustStepResult,
  robustLossAsync,
  robustStep,
  robustSurrogate,
  solveRobustAsync,
} from './robustAsync.js';
export { type HasWeights, seedLayerWeights } from './seedLayerWeights.js';
export { sliceDirections } from './sliceDirections.js';
export { type SlicedW2Options, slicedW2 } from './slicedW2.js';
export { sortedW2 } from './sortedW2.js';
export { stopGradient } from './stopGradient.js';
export { checkFloatTensor } from './tensorChecks.js';
export * from './types.js';
export { type ToTensorOptions, toTensor } from './validate/toTensor.js';
export { sortedW2Host, type W2Reduction, type W2Result1d, w2Squared1d } from './w2Squared1d.js';
export { applyWasmFixes } from './wasmFixes.js';
export {
  type NominalInfo,
  type NominalSpec,
  type WorstCaseResult,
  worstCaseExpectation,
} from './worstCaseExpectation.js';
