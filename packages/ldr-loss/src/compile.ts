import { checkOptions, type OptionSchema } from '@drojs/dro-core';
import type * as tf from '@tensorflow/tfjs-core';
import {
  CROSS_ENTROPY_OPTIONS,
  crossEntropyLoss,
  FOCAL_OPTIONS,
  focalLoss,
  TAYLOR_CE_OPTIONS,
  taylorCeLoss,
} from './baselines/crossEntropy.js';
import { GCE_OPTIONS, gceLoss } from './baselines/gce.js';
import { JS_OPTIONS, jsLoss } from './baselines/jensenShannon.js';
import { MAE_OPTIONS, MSE_OPTIONS, maeLoss, mseLoss } from './baselines/maeMse.js';
import {
  AGCE_OPTIONS,
  AUL_OPTIONS,
  agceLoss,
  aulLoss,
  NCE_AGCE_OPTIONS,
  NCE_AUL_OPTIONS,
  NCE_OPTIONS,
  NCE_RCE_OPTIONS,
  nceAgceLoss,
  nceAulLoss,
  nceLoss,
  nceRceLoss,
} from './baselines/normalized.js';
import { RLL_REFERENCE_OPTIONS, rllReferenceLoss } from './baselines/rll.js';
import { RCE_OPTIONS, rceLoss, SCE_OPTIONS, sceLoss } from './baselines/symmetric.js';
import {
  CS_HINGE_OPTIONS,
  csHingeLoss,
  ldrTopKHingeLoss,
  TOP_K_HINGE_OPTIONS,
  WW_HINGE_OPTIONS,
  wwHingeLoss,
} from './hinge.js';
import type { LabelsLike } from './labels.js';
import { LDR_KL_LIMIT_INF_OPTIONS, LDR_KL_OPTIONS, ldrKlLimitInfLoss, ldrKlLoss } from './ldr.js';

/**
 * A Keras-style loss for `tf.LayersModel.compile({loss})`: `yTrue` one-hot `[N, K]` (the only target shape
 * `fit` passes to custom losses) or sparse `[N]` / `[N, 1]` (fitDataset, direct calls); `yPred` logits —
 * the model must not end in a softmax.
 */
export type CompileLoss = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

type LossFn<O> = (logits: tf.Tensor, labels: LabelsLike, opts: O) => tf.Tensor;

// Default reduction 'none': tfjs-layers multiplies per-sample losses by classWeight, then takes the mean.
// The options are checked when the factory is called (a misspelt key fails at compile(), not at the first batch).
function factory<O extends { reduction?: 'mean' | 'sum' | 'none' }>(
  loss: LossFn<O>,
  schema: OptionSchema,
  name: string,
  opts: O,
): CompileLoss {
  checkOptions(opts, schema, name);
  const resolved = { reduction: 'none', ...opts } as O;
  const f: CompileLoss = (yTrue, yPred) => loss(yPred, yTrue, resolved);
  return f;
}

/** The options type of a loss function `F` (the third parameter). */
export type Opts<F> = F extends (l: tf.Tensor, y: LabelsLike, o: infer O) => tf.Tensor ? NonNullable<O> : never;

/** Factory of {@link ldrKlLoss} (per-sample by default). */
export const ldrKl = (opts: Opts<typeof ldrKlLoss> = {}): CompileLoss =>
  factory(ldrKlLoss, LDR_KL_OPTIONS, 'ldrKl', opts);
/** Factory of {@link ldrKlLimitInfLoss}. */
export const ldrKlLimitInf = (opts: Opts<typeof ldrKlLimitInfLoss> = {}): CompileLoss =>
  factory(ldrKlLimitInfLoss, LDR_KL_LIMIT_INF_OPTIONS, 'ldrKlLimitInf', opts);
/** Factory of {@link csHingeLoss}. */
export const csHinge = (opts: Opts<typeof csHingeLoss> = {}): CompileLoss =>
  factory(csHingeLoss, CS_HINGE_OPTIONS, 'csHinge', opts);
/** Factory of {@link wwHingeLoss}. */
export const wwHinge = (opts: Opts<typeof wwHingeLoss> = {}): CompileLoss =>
  factory(wwHingeLoss, WW_HINGE_OPTIONS, 'wwHinge', opts);
/** Factory of {@link ldrTopKHingeLoss}. */
export const ldrTopKHinge = (opts: Opts<typeof ldrTopKHingeLoss>): CompileLoss =>
  factory(ldrTopKHingeLoss, TOP_K_HINGE_OPTIONS, 'ldrTopKHinge', opts);
/** Factory of {@link crossEntropyLoss}. */
export const crossEntropy = (opts: Opts<typeof crossEntropyLoss> = {}): CompileLoss =>
  factory(crossEntropyLoss, CROSS_ENTROPY_OPTIONS, 'crossEntropy', opts);
/** Factory of {@link maeLoss}. */
export const mae = (opts: Opts<typeof maeLoss> = {}): CompileLoss => factory(maeLoss, MAE_OPTIONS, 'mae', opts);
/** Factory of {@link mseLoss}. */
export const mse = (opts: Opts<typeof mseLoss> = {}): CompileLoss => factory(mseLoss, MSE_OPTIONS, 'mse', opts);
/** Factory of {@link gceLoss}. */
export const gce = (opts: Opts<typeof gceLoss> = {}): CompileLoss => factory(gceLoss, GCE_OPTIONS, 'gce', opts);
/** Factory of {@link sceLoss}. */
export const sce = (opts: Opts<typeof sceLoss> = {}): CompileLoss => factory(sceLoss, SCE_OPTIONS, 'sce', opts);
/** Factory of {@link nceLoss}. */
export const nce = (opts: Opts<typeof nceLoss> = {}): CompileLoss => factory(nceLoss, NCE_OPTIONS, 'nce', opts);
/** Factory of {@link rceLoss}. */
export const rce = (opts: Opts<typeof rceLoss> = {}): CompileLoss => factory(rceLoss, RCE_OPTIONS, 'rce', opts);
/** Factory of {@link agceLoss}. */
export const agce = (opts: Opts<typeof agceLoss> = {}): CompileLoss => factory(agceLoss, AGCE_OPTIONS, 'agce', opts);
/** Factory of {@link aulLoss}. */
export const aul = (opts: Opts<typeof aulLoss> = {}): CompileLoss => factory(aulLoss, AUL_OPTIONS, 'aul', opts);
/** Factory of {@link nceRceLoss}. */
export const nceRce = (opts: Opts<typeof nceRceLoss> = {}): CompileLoss =>
  factory(nceRceLoss, NCE_RCE_OPTIONS, 'nceRce', opts);
/** Factory of {@link nceAgceLoss}. */
export const nceAgce = (opts: Opts<typeof nceAgceLoss> = {}): CompileLoss =>
  factory(nceAgceLoss, NCE_AGCE_OPTIONS, 'nceAgce', opts);
/** Factory of {@link nceAulLoss}. */
export const nceAul = (opts: Opts<typeof nceAulLoss> = {}): CompileLoss =>
  factory(nceAulLoss, NCE_AUL_OPTIONS, 'nceAul', opts);
/** Factory of {@link jsLoss}. */
export const js = (opts: Opts<typeof jsLoss> = {}): CompileLoss => factory(jsLoss, JS_OPTIONS, 'js', opts);
/** Factory of {@link rllReferenceLoss}. */
export const rllReference = (opts: Opts<typeof rllReferenceLoss> = {}): CompileLoss =>
  factory(rllReferenceLoss, RLL_REFERENCE_OPTIONS, 'rllReference', opts);
/** Factory of {@link focalLoss}. */
export const focal = (opts: Opts<typeof focalLoss> = {}): CompileLoss =>
  factory(focalLoss, FOCAL_OPTIONS, 'focal', opts);
/** Factory of {@link taylorCeLoss}. */
export const taylorCe = (opts: Opts<typeof taylorCeLoss> = {}): CompileLoss =>
  factory(taylorCeLoss, TAYLOR_CE_OPTIONS, 'taylorCe', opts);
