import type * as tf from '@tensorflow/tfjs-core';
import { crossEntropyLoss, focalLoss, taylorCeLoss } from './baselines/crossEntropy.js';
import { gceLoss } from './baselines/gce.js';
import { jsLoss } from './baselines/jensenShannon.js';
import { maeLoss, mseLoss } from './baselines/maeMse.js';
import { agceLoss, aulLoss, nceAgceLoss, nceAulLoss, nceLoss, nceRceLoss } from './baselines/normalized.js';
import { rllReferenceLoss } from './baselines/rll.js';
import { rceLoss, sceLoss } from './baselines/symmetric.js';
import { csHingeLoss, ldrTopKHingeLoss, wwHingeLoss } from './hinge.js';
import type { LabelsLike } from './labels.js';
import { ldrKlLimitInfLoss, ldrKlLoss } from './ldr.js';

/**
 * A Keras-style loss for `tf.LayersModel.compile({loss})`: `yTrue` one-hot `[N, K]` (the only target shape
 * `fit` passes to custom losses) or sparse `[N]` / `[N, 1]` (fitDataset, direct calls); `yPred` logits —
 * the model must not end in a softmax.
 */
export type CompileLoss = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

type LossFn<O> = (logits: tf.Tensor, labels: LabelsLike, opts: O) => tf.Tensor;

// Default reduction 'none': tfjs-layers multiplies per-sample losses by classWeight, then takes the mean.
function factory<O extends { reduction?: 'mean' | 'sum' | 'none' }>(loss: LossFn<O>, opts: O): CompileLoss {
  const resolved = { reduction: 'none', ...opts } as O;
  const f: CompileLoss = (yTrue, yPred) => loss(yPred, yTrue, resolved);
  return f;
}

type Opts<F> = F extends (l: tf.Tensor, y: LabelsLike, o: infer O) => tf.Tensor ? NonNullable<O> : never;

/** Factory of {@link ldrKlLoss} (per-sample by default). */
export const ldrKl = (opts: Opts<typeof ldrKlLoss> = {}): CompileLoss => factory(ldrKlLoss, opts);
/** Factory of {@link ldrKlLimitInfLoss}. */
export const ldrKlLimitInf = (opts: Opts<typeof ldrKlLimitInfLoss> = {}): CompileLoss =>
  factory(ldrKlLimitInfLoss, opts);
/** Factory of {@link csHingeLoss}. */
export const csHinge = (opts: Opts<typeof csHingeLoss> = {}): CompileLoss => factory(csHingeLoss, opts);
/** Factory of {@link wwHingeLoss}. */
export const wwHinge = (opts: Opts<typeof wwHingeLoss> = {}): CompileLoss => factory(wwHingeLoss, opts);
/** Factory of {@link ldrTopKHingeLoss}. */
export const ldrTopKHinge = (opts: Opts<typeof ldrTopKHingeLoss>): CompileLoss => factory(ldrTopKHingeLoss, opts);
/** Factory of {@link crossEntropyLoss}. */
export const crossEntropy = (opts: Opts<typeof crossEntropyLoss> = {}): CompileLoss => factory(crossEntropyLoss, opts);
/** Factory of {@link maeLoss}. */
export const mae = (opts: Opts<typeof maeLoss> = {}): CompileLoss => factory(maeLoss, opts);
/** Factory of {@link mseLoss}. */
export const mse = (opts: Opts<typeof mseLoss> = {}): CompileLoss => factory(mseLoss, opts);
/** Factory of {@link gceLoss}. */
export const gce = (opts: Opts<typeof gceLoss> = {}): CompileLoss => factory(gceLoss, opts);
/** Factory of {@link sceLoss}. */
export const sce = (opts: Opts<typeof sceLoss> = {}): CompileLoss => factory(sceLoss, opts);
/** Factory of {@link nceLoss}. */
export const nce = (opts: Opts<typeof nceLoss> = {}): CompileLoss => factory(nceLoss, opts);
/** Factory of {@link rceLoss}. */
export const rce = (opts: Opts<typeof rceLoss> = {}): CompileLoss => factory(rceLoss, opts);
/** Factory of {@link agceLoss}. */
export const agce = (opts: Opts<typeof agceLoss> = {}): CompileLoss => factory(agceLoss, opts);
/** Factory of {@link aulLoss}. */
export const aul = (opts: Opts<typeof aulLoss> = {}): CompileLoss => factory(aulLoss, opts);
/** Factory of {@link nceRceLoss}. */
export const nceRce = (opts: Opts<typeof nceRceLoss> = {}): CompileLoss => factory(nceRceLoss, opts);
/** Factory of {@link nceAgceLoss}. */
export const nceAgce = (opts: Opts<typeof nceAgceLoss> = {}): CompileLoss => factory(nceAgceLoss, opts);
/** Factory of {@link nceAulLoss}. */
export const nceAul = (opts: Opts<typeof nceAulLoss> = {}): CompileLoss => factory(nceAulLoss, opts);
/** Factory of {@link jsLoss}. */
export const js = (opts: Opts<typeof jsLoss> = {}): CompileLoss => factory(jsLoss, opts);
/** Factory of {@link rllReferenceLoss}. */
export const rllReference = (opts: Opts<typeof rllReferenceLoss> = {}): CompileLoss => factory(rllReferenceLoss, opts);
/** Factory of {@link focalLoss}. */
export const focal = (opts: Opts<typeof focalLoss> = {}): CompileLoss => factory(focalLoss, opts);
/** Factory of {@link taylorCeLoss}. */
export const taylorCe = (opts: Opts<typeof taylorCeLoss> = {}): CompileLoss => factory(taylorCeLoss, opts);
