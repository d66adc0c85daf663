import { applyClassifier, type Classifier, checkOptions, DroError, describeValue, Rng } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkCount, checkOneOf } from '../checks.js';
import {
  checkSplitInput,
  type Side,
  type SplitSpec,
  sideMask,
  splitBatch,
  splitInputShape,
  validateSplit,
} from '../dual/split.js';
import { fillNoise, type NoiseInput, type NoiseSpec, toNoiseSpec } from '../noise.js';
import { LOSS_SCHEMA } from '../optionSchemas.js';
import { checkModel } from '../sample.js';

/** Train a DRS sub-classifier: the side is cut from full inputs and noised exactly as in certification. */
export interface SideOfSplit {
  split: SplitSpec;
  side: Side;
}

/**
 * What a custom training loss receives besides logits and labels (see {@link NoiseLossFn}).
 */
export interface NoiseLossContext {
  /** Noisy copies per input (m); rows `[i·B, (i+1)·B)` are copy i of the batch. */
  copies: number;
  /**
   * int32 `[m·B]`: each row's position in the training set, repeated per copy. Given by
   * {@link trainWithNoise} (so per-instance losses such as ldr-loss's `AldrKlLoss` can key their state);
   * `undefined` in {@link noiseAugmentedLoss}, whose caller knows its batch and can close over it.
   */
  indices?: tf.Tensor1D;
}

/**
 * A training loss of noisy logits: `logits` float32 `[m·B, K]` (raw scores, no softmax) and `labels` in
 * the caller's format repeated for the m copies — int32 `[m·B]` or one-hot float32 `[m·B, K]`. Returns
 * either the scalar loss (used as is) or per-example values `[m·B]` (their mean is used). Called inside
 * the gradient closure, so it must be built from differentiable tfjs ops; ldr-loss's losses qualify, e.g.
 * `(z, y) => ldrKlLoss(z, y, LDR_NOISY_LABEL_PRESET)`.
 */
export type NoiseLossFn = (logits: tf.Tensor2D, labels: tf.Tensor, context: NoiseLossContext) => tf.Tensor;

/** Options of {@link noiseAugmentedLoss}. */
export interface NoiseLossOptions {
  noise: NoiseInput;
  rng: Rng;
  /** Noisy copies per input, default 1. */
  m?: number;
  /** Consistency regularisation (Jeong & Shin 2020); needs m ≥ 2. */
  consistency?: { lambda: number; eta?: number };
  sideOf?: SideOfSplit;
  /** The loss of the noisy logits; default softmax cross-entropy (see {@link NoiseLossFn}). */
  loss?: NoiseLossFn;
}

/** @internal Validated loss options. */
export interface ResolvedLossOptions {
  noise: NoiseSpec;
  rng: Rng;
  m: number;
  lambda: number;
  eta: number;
  consistency: boolean;
  sideOf?: SideOfSplit;
  loss?: NoiseLossFn;
}

/** @internal */
export function resolveLossOptions(opts: NoiseLossOptions): ResolvedLossOptions {
  checkOptions(opts, LOSS_SCHEMA, 'noiseAugmentedLoss');
  const noise = toNoiseSpec(opts.noise);
  if (!(opts.rng instanceof Rng))
    throw new DroError('E_SPEC', 'rng must be a dro-core Rng', { argument: 'rng', received: describeValue(opts.rng) });
  const m = checkCount(opts.m ?? 1, 'm');
  let lambda = 0;
  let eta = 0;
  if (opts.consistency !== undefined) {
    if (m < 2)
      throw new DroError('E_SPEC', 'consistency needs m ≥ 2 noisy copies', {
        argument: 'm',
        expected: '≥ 2',
        received: String(m),
      });
    lambda = opts.consistency.lambda;
    eta = opts.consistency.eta ?? 0.5;
    for (const [v, a] of [
      [lambda, 'consistency.lambda'],
      [eta, 'consistency.eta'],
    ] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        throw new DroError('E_SPEC', `${a} must be a finite number ≥ 0`, { argument: a, received: describeValue(v) });
    }
  }
  if (opts.sideOf !== undefined) {
    validateSplit(opts.sideOf.split, 'sideOf.split');
    checkOneOf(opts.sideOf.side, 'sideOf.side', ['left', 'right'] as const);
  }
  return {
    noise,
    rng: opts.rng,
    m,
    lambda,
    eta,
    consistency: opts.consistency !== undefined,
    sideOf: opts.sideOf,
    loss: opts.loss,
  };
}

/** @internal Shape and dtype checks of a training batch. */
export function checkBatch(x: unknown, labels: unknown, o: ResolvedLossOptions): void {
  if (!(x instanceof tf.Tensor))
    throw new DroError('E_DTYPE', 'x must be a tensor', { argument: 'x', received: describeValue(x) });
  if (x.dtype !== 'float32') throw new DroError('E_DTYPE', 'x must be float32', { argument: 'x', received: x.dtype });
  if (x.rank < 2)
    throw new DroError('E_SHAPE', 'x must be a batch [B, ...]', { argument: 'x', received: `[${x.shape.join(', ')}]` });
  if (o.sideOf) checkSplitInput(o.sideOf.split, x, true);
  if (!(labels instanceof tf.Tensor))
    throw new DroError('E_DTYPE', 'labels must be a tensor', { argument: 'labels', received: describeValue(labels) });
  const b = x.shape[0];
  const intLabels = labels.dtype === 'int32' && labels.rank === 1;
  const oneHot = labels.dtype === 'float32' && labels.rank === 2;
  if (!intLabels && !oneHot) {
    throw new DroError(
      labels.rank === 1 || labels.rank === 2 ? 'E_DTYPE' : 'E_SHAPE',
      'labels must be int32 [B] or float32 one-hot [B, K]',
      {
        argument: 'labels',
        received: `${labels.dtype} [${labels.shape.join(', ')}]`,
      },
    );
  }
  if (labels.shape[0] !== b)
    throw new DroError('E_SHAPE', 'x and labels differ in batch size', {
      argument: 'labels',
      expected: `${b}`,
      received: `${labels.shape[0]}`,
    });
}

/** The m copies of a batch-major tensor stacked copy-major along axis 0. */
function repeatCopies(t: tf.Tensor, m: number): tf.Tensor {
  return m === 1
    ? t
    : tf.concat(
        Array.from({ length: m }, () => t),
        0,
      );
}

/** A custom loss's value as the scalar to minimise: a scalar as is, `[m·B]` per-example values averaged. */
function customLoss(fn: NoiseLossFn, logits: tf.Tensor2D, labels: tf.Tensor, context: NoiseLossContext): tf.Scalar {
  const v = fn(logits, repeatCopies(labels, context.copies), context);
  const rows = logits.shape[0];
  if (!(v instanceof tf.Tensor) || v.dtype !== 'float32' || !(v.rank === 0 || (v.rank === 1 && v.shape[0] === rows)))
    throw new DroError('E_SHAPE', 'loss must return a float32 scalar or per-example values', {
      argument: 'loss',
      expected: `float32 [] or [${rows}]`,
      received: v instanceof tf.Tensor ? `${v.dtype} [${v.shape.join(', ')}]` : describeValue(v),
    });
  return (v.rank === 0 ? v : tf.mean(v)) as tf.Scalar;
}

/** @internal The loss and the number of correct noisy predictions (for logging). Runs inside a tidy/tape. */
export function lossAndCorrect(
  model: Classifier,
  x: tf.Tensor,
  labels: tf.Tensor,
  o: ResolvedLossOptions,
  indices?: tf.Tensor1D,
): { loss: tf.Scalar; correct: tf.Scalar } {
  const b = x.shape[0] as number;
  const { m } = o;
  let base = x;
  let mask: tf.Tensor | undefined;
  if (o.sideOf) {
    base = splitBatch(o.sideOf.split, x, o.sideOf.side);
    if (o.sideOf.split.layout === 'masked')
      mask = tf.tensor(sideMask(o.sideOf.split, o.sideOf.side), splitInputShape(o.sideOf.split), 'float32');
  }
  const inner = base.shape.slice(1);
  const d = inner.reduce((a, c) => a * c, 1);
  const buf = new Float32Array(m * b * d);
  fillNoise(buf, o.noise, o.rng);
  let e: tf.Tensor = tf.tensor(buf, [m * b, ...inner], 'float32');
  if (mask) e = tf.mul(e, mask);
  // Copy-major layout: rows [i·b, (i+1)·b) are copy i of the batch.
  const xr =
    m === 1
      ? base
      : tf.concat(
          Array.from({ length: m }, () => base),
          0,
        );
  // Training mode (dropout, batch-norm batch statistics) and one whole-batch apply inside the gradient
  // closure; predict() would cut the batch into 32s and run in inference mode.
  const logits = applyClassifier(model, tf.add(xr, e), { training: true });
  if (logits.rank !== 2 || logits.shape[0] !== m * b) {
    throw new DroError('E_SHAPE', 'model output has the wrong shape', {
      argument: 'model',
      expected: `[${m * b}, K]`,
      received: `[${logits.shape.join(', ')}]`,
    });
  }
  const k = logits.shape[1] as number;
  if (labels.rank === 2 && labels.shape[1] !== k) {
    throw new DroError('E_SHAPE', 'one-hot labels and logits differ in classes', {
      argument: 'labels',
      expected: `${k} classes`,
      received: `${labels.shape[1]}`,
    });
  }
  const y = labels.rank === 1 ? tf.cast(tf.oneHot(labels as tf.Tensor1D, k), 'float32') : labels;
  const yr =
    m === 1
      ? y
      : tf.concat(
          Array.from({ length: m }, () => y),
          0,
        );
  const logp = tf.logSoftmax(logits);
  // The default path is left exactly as it was (bit-identical losses and updates without `loss`).
  const ce = o.loss
    ? customLoss(o.loss, logits as tf.Tensor2D, labels, {
        copies: m,
        indices: indices && (repeatCopies(indices, m) as tf.Tensor1D),
      })
    : tf.neg(tf.mean(tf.sum(tf.mul(yr, logp), 1)));
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(yr, 1)), 'float32')) as tf.Scalar;
  if (!o.consistency) return { loss: ce as tf.Scalar, correct };
  const lp = tf.reshape(logp, [m, b, k]);
  // log p̂ = logsumexp over copies − ln m (stable); gradients flow through p̂.
  const logPHat = tf.sub(tf.logSumExp(lp, 0), Math.log(m));
  const pHat = tf.exp(logPHat);
  const kl = tf.mean(tf.sum(tf.mul(pHat, tf.sub(logPHat, lp)), 2));
  const ent = tf.mean(tf.neg(tf.sum(tf.mul(pHat, logPHat), 1)));
  const loss = tf.add(ce, tf.add(tf.mul(o.lambda, kl), tf.mul(o.eta, ent))) as tf.Scalar;
  return { loss, correct };
}

/**
 * Scalar loss of Gaussian (or other) noise augmentation for use inside `optimizer.minimize`: fresh noise
 * on every call from `rng`, cross-entropy (or `opts.loss`, any {@link NoiseLossFn}) over m noisy copies,
 * plus consistency regularisation
 * λ·mean KL(p̂ ‖ p_i) + η·H(p̂) when requested. labels: int32 [B] or one-hot [B, K] (values not checked).
 * The model runs in training mode (`applyClassifier(model, x, { training: true })`). A pure tensor op: NaN
 * or ±Infinity in `x` is not detected (that would cost a device sync per step) and comes out as a NaN loss;
 * {@link trainWithNoise} checks its inputs once up front.
 */
export function noiseAugmentedLoss(
  model: Classifier,
  x: tf.Tensor,
  labels: tf.Tensor,
  opts: NoiseLossOptions,
): tf.Scalar {
  checkModel(model);
  const o = resolveLossOptions(opts);
  checkBatch(x, labels, o);
  return tf.tidy(() => lossAndCorrect(model, x, labels, o).loss);
}
