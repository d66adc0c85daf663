/**
 * @drojs/ldr-loss — label-distributionally-robust losses (LDR-KL, ALDR-KL), noisy-label baselines,
 * SogCLR/iSogCLR global contrastive losses and KL-DRO instance re-weighting for TensorFlow.js.
 * Every classification loss takes **logits** (never probabilities) with the class axis last.
 * @packageDocumentation
 */

export {
  ALDR_REFERENCE_PRESET,
  AldrKlLoss,
  type AldrKlOptions,
  type AldrKlResolvedOptions,
  type AldrKlState,
  type AldrStepInfo,
  encodeIndexedTargets,
} from './aldr.js';
export { crossEntropyLoss, focalLoss, taylorCeLoss } from './baselines/crossEntropy.js';
export { gceLoss, truncatedGceLoss } from './baselines/gce.js';
export { jsLoss } from './baselines/jensenShannon.js';
export { maeLoss, mseLoss } from './baselines/maeMse.js';
export {
  agceLoss,
  aulLoss,
  type Combo,
  nceAgceLoss,
  nceAulLoss,
  nceLoss,
  nceRceLoss,
  type Scaled,
} from './baselines/normalized.js';
export { rllReferenceLoss } from './baselines/rll.js';
export { rceLoss, sceLoss } from './baselines/symmetric.js';
export * from './compile.js';
export {
  BimodalGlobalContrastiveLoss,
  type BimodalGlobalContrastiveOptions,
  type BimodalGlobalContrastiveState,
  type BimodalResolvedOptions,
  type BimodalStepInfo,
} from './contrastive/bimodal.js';
export type { ContrastiveResolved } from './contrastive/common.js';
export { type TemperatureStepOptions, temperatureStep } from './contrastive/temperature.js';
export {
  GlobalContrastiveLoss,
  type GlobalContrastiveOptions,
  type GlobalContrastiveState,
  type UnimodalStepInfo,
} from './contrastive/unimodal.js';
export {
  type CsHingeOptions,
  csHingeLoss,
  ldrTopKHingeLoss,
  type TopKHingeOptions,
  type WwHingeOptions,
  wwHingeLoss,
} from './hinge.js';
export type { DuplicatePolicy, IndicesLike } from './indices.js';
export { KlDroReweighter, type KlDroReweighterState, klDroLoss, klDroWeights } from './kldro.js';
export type { CommonLossOptions, LabelFormat, LabelsLike, LogitsLike, Reduction } from './labels.js';
export { LDR_NOISY_LABEL_PRESET, type LdrKlOptions, ldrKlLimitInfLoss, ldrKlLoss } from './ldr.js';
export type { Margin } from './margin.js';
export { classDependentLabelNoise, type LabelNoiseHits, uniformLabelNoise } from './noise.js';
export type { ScoreNormalization, ScoreNormalizationName } from './normalize.js';
