/**
 * @drojs/explain — COMET complete attributions (a selector and a predictor trained against a frozen detector
 * that reads the complement), mask metrics (IoU, pointing game, completeness, deletion/insertion) and attribution
 * baselines (gradient saliency, integrated gradients, occlusion) for tfjs image classifiers.
 * @packageDocumentation
 */

export { gradientSaliency } from './baselines/gradientSaliency.js';
export { type IgRule, igNodes, integratedGradients } from './baselines/integratedGradients.js';
export { occlusion, windowStarts } from './baselines/occlusion.js';
export type { ChannelReduction, ScoreOutput } from './baselines/score.js';
export {
  type CometLossOptions,
  type CometLossTensors,
  type CometTerms,
  cometLoss,
  cometLossTerms,
} from './cometLoss.js';
export {
  type CometEpochMeans,
  type CometFitOptions,
  type CometModel,
  type CometNets,
  type CometStepInfo,
  CometTrainer,
  type CometTrainerOptions,
  type CometTrainerState,
} from './cometTrainer.js';
export { composite } from './composite.js';
export { SHORTCUT_SLOTS, type ShortcutData, shortcutFashionMnist } from './data/shortcutFashionMnist.js';
export { type ExplainOptions, type Explanation, explain } from './explain.js';
export { type FitClassifierOptions, fitClassifier } from './fitClassifier.js';
export type { Fill, Labels, MapInput } from './inputs.js';
export { type MaskMode, maskFromLogits } from './mask.js';
export { type DeletionInsertionResult, deletionInsertion } from './metrics/deletionInsertion.js';
export { type IoUMode, type MaskIoUResult, maskIoU } from './metrics/maskIoU.js';
export { type MaskScoreMeans, type MaskScoreRows, maskScores } from './metrics/maskScores.js';
export { pointingGame } from './metrics/pointingGame.js';
export { rankPixels, trapezoidAuc } from './metrics/ranking.js';
export type { TrainableNet } from './nets.js';
export type { OptimizerSpec, OptimizerState } from './optim.js';
export { disposeCaches, resizeMatrix, type UpsampleMode, upsampleLogits } from './resize.js';
