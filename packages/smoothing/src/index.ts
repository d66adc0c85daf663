/**
 * @drojs/smoothing — certified robustness by randomized smoothing (Cohen et al. 2019) and dual
 * randomized smoothing with the sound radius (Xia et al. 2024) for TensorFlow.js.
 * Statistics are host float64; sampling runs on any tfjs backend with host-generated, seeded noise.
 * @packageDocumentation
 */

import { normalCdf, normalQuantile } from '@drojs/dro-core';

export { certifyMulticlassBonferroni } from './bonferroni.js';
export {
  ABSTAIN,
  type CertifyRule,
  certifyFromCounts,
  certifyRuleOnBound,
  predictFromCounts,
  radiusFromPA,
} from './certificate.js';
export {
  type DualCertifyResult,
  DualRandomizedSmoothing,
  type DualRandomizedSmoothingOptions,
  type DualRandomizedSmoothingState,
  dualCertify,
  type ResolvedDrsOptions,
} from './dual/dualRandomizedSmoothing.js';
export { drsRadius, dualCertifyFromCounts } from './dual/radius.js';
export {
  checkerboardMasks,
  checkerboardSplit,
  maskSplit,
  type Side,
  type SplitLayout,
  type SplitSpec,
  splitInputs,
  subInputShape,
} from './dual/split.js';
export { certifyDataset, type DatasetOptions, dualCertifyDataset } from './evaluate/certifyDataset.js';
export {
  abstentionRate,
  averageCertifiedRadius,
  type CertRecord,
  certifiedAccuracy,
  certifiedAccuracyCurve,
  highProbCertifiedAccuracy,
  isCorrect,
} from './evaluate/curves.js';
export { parseCertifyLog, toCertifyLog } from './evaluate/log.js';
export { type CurveSeries, certifiedAccuracySvg } from './evaluate/svg.js';
export { addNoise, type GaussianSampler, type NoiseInput, type NoiseSpec } from './noise.js';
export { l1RadiusLaplace, l1RadiusUniform, linfRadiusFromL2 } from './norms.js';
export { maxCertifiableRadius, minCountToCertify, minUnanimousVotesToPredict } from './planning.js';
export type { Progress, RandomSource, RunControl } from './random.js';
export {
  type CertifyBound,
  type CertifyResult,
  certify,
  type Norm,
  type PredictOptions,
  type PredictResult,
  RandomizedSmoothing,
  type RandomizedSmoothingOptions,
  type RandomizedSmoothingState,
  type ResolvedRsOptions,
  smoothedPredict,
} from './randomizedSmoothing.js';
export { type SampleOptions, type SampleTiming, sampleCounts } from './sample.js';
export { binomPValueHalf } from './stats/binomialTest.js';
export { clopperPearsonLower, clopperPearsonTwoSided, clopperPearsonUpper } from './stats/clopperPearson.js';
export {
  type NoiseLossContext,
  type NoiseLossFn,
  type NoiseLossOptions,
  noiseAugmentedLoss,
  type SideOfSplit,
} from './train/noiseAugmentedLoss.js';
export { type TrainWithNoiseOptions, trainWithNoise } from './train/trainWithNoise.js';

/**
 * @deprecated Use `normalQuantile` from `@drojs/dro-core` (the one set of special functions): the same
 * tail-accurate, exactly odd Φ⁻¹ with −∞ at 0 and +∞ at 1.
 */
export const normPpf: (p: number) => number = normalQuantile;
/** @deprecated Use `normalCdf` from `@drojs/dro-core`. */
export const normCdf: (z: number) => number = normalCdf;
