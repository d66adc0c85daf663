/**
 * @drojs/sdm — Similarity-Distance-Magnitude activations and the SDM estimator (Schmaltz, arXiv 2509.12760):
 * calibrated, OOD-aware admission of any classifier's predictions.
 * @packageDocumentation
 */

export { sdmActivation, sdmLogProbs, sdmLogProbsHost, sdmProbsHost } from './activation.js';
export type { AdaptorKind, AdaptorTensors } from './adaptor.js';
export {
  conformalSingletonAdmit,
  fitTemperature,
  type SelectiveMetrics,
  selectiveMetrics,
  softmaxHost,
  softmaxThresholdAdmit,
} from './baselines.js';
export * from './constants.js';
export { buildDistanceCdfs, distanceQuantile } from './distance.js';
export { distanceBounds, effectiveSampleSizes, samplesForMargin } from './dkw.js';
export {
  SdmEstimator,
  type SdmFitData,
  type SdmFrozenFitData,
  type SdmFrozenFitOptions,
  type SdmFrozenRows,
  type SdmPrediction,
  type SdmReliability,
} from './estimator.js';
export { classifierFeatures } from './features.js';
export type { SdmRows } from './fitData.js';
export { LEGACY_UNLABELED } from './hostMatrix.js';
export { type KnnOptions, type KnnResult, knnSquaredL2 } from './knn.js';
export { type SdmLossOptions, sdmLoss, sdmLossHost } from './loss.js';
export { type LowerRuleNeedArgs, lowerRuleDataNeed } from './lowerRuleNeed.js';
export { explainNoRegion, type NoRegionReport } from './noRegionReport.js';
export { conformalDistanceThreshold, DEFAULT_OOD_RATE } from './oodThreshold.js';
export { type DecisionRule, SDM_CPU_SETTINGS, type SdmFitOptions } from './options.js';
export {
  findHighReliabilityRegion,
  type HighReliabilityRegion,
  highReliabilityIndicator,
  type RegionArgs,
  rescaledSimilarity,
} from './region.js';
export { diagnoseRegion, type RegionDiagnosis } from './regionDiagnosis.js';
export { similarityQ } from './similarity.js';
export {
  LEGACY_SDM_ESTIMATOR_KIND,
  SDM_ESTIMATOR_KIND,
  type SdmEstimatorState,
  type SdmResolvedOptions,
} from './state.js';
export type { SdmSummary } from './summary.js';
export { type EpochInfo, type EpochRecord, sdmTrainStep } from './train.js';
