import { checkOptions, DroError, describeValue, type Rng, type Seed } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { checkCount } from '../checks.js';
import type { NoiseInput } from '../noise.js';
import { TRAIN_SCHEMA } from '../optionSchemas.js';
import { resolveRandom, throwIfAborted, yieldToEventLoop } from '../random.js';
import {
  checkBatch,
  lossAndCorrect,
  type NoiseLossFn,
  resolveLossOptions,
  type SideOfSplit,
} from './noiseAugmentedLoss.js';

/** Options of {@link trainWithNoise}. */
export interface TrainWithNoiseOptions {
  noise: NoiseInput;
  epochs: number;
  /** Default 256. */
  batchSize?: number;
  /** Default Adam 1e-3. */
  optimizer?: tf.Optimizer;
  seed?: Seed;
  rng?: Rng;
  m?: number;
  consistency?: { lambda: number; eta?: number };
  sideOf?: SideOfSplit;
  /**
   * The loss of the noisy logits; default softmax cross-entropy. Its `context.indices` are the rows'
   * positions in `xs` (int32 `[m·B]`), the key of per-instance losses (ldr-loss's `AldrKlLoss.call`). It
   * runs inside `optimizer.minimize`: when it throws (or returns a wrong shape, E_SHAPE) training stops with
   * that error and the batch tensors are freed (a tfjs-layers model interrupted inside a gradient tape keeps a
   * few tensors of its forward pass: measured 6 for one dense layer, in tfjs-layers itself).
   */
  loss?: NoiseLossFn;
  onEpochEnd?: (epoch: number, logs: { loss: number; noisyAccuracy: number }) => void;
  signal?: AbortSignal;
}

/** E_NONFINITE when a float tensor holds NaN or ±Infinity (one awaited device read: GPU-safe). */
async function checkFiniteTensor(t: tf.Tensor, argument: string): Promise<void> {
  const bad = tf.tidy(() => tf.any(tf.logicalNot(tf.isFinite(t))));
  let any: boolean;
  try {
    any = (await bad.data())[0] !== 0;
  } finally {
    bad.dispose();
  }
  if (any)
    throw new DroError('E_NONFINITE', `${argument} holds NaN or ±Infinity`, { argument, expected: 'finite values' });
}

/**
 * Trains `model` on noisy copies of `xs` (fresh noise every batch, same sampler and space as
 * certification), with softmax cross-entropy or `opts.loss` (e.g. an ldr-loss loss). Labels: int32 [N] (checked once up front) or one-hot [N, K]; NaN/Inf in `xs` or one-hot
 * labels → E_NONFINITE before any training. The model runs in training mode. Returns per-epoch mean
 * loss and accuracy on the noisy training inputs (not certified accuracy).
 */
export async function trainWithNoise(
  model: LayersModel,
  xs: tf.Tensor,
  labels: tf.Tensor,
  opts: TrainWithNoiseOptions,
): Promise<{ loss: number[]; noisyAccuracy: number[] }> {
  if (!model || typeof (model as { predict?: unknown }).predict !== 'function') {
    throw new DroError('E_SPEC', 'model must be a LayersModel', { argument: 'model', received: describeValue(model) });
  }
  checkOptions(opts, TRAIN_SCHEMA, 'trainWithNoise');
  const epochs = checkCount(opts.epochs, 'epochs');
  const batchSize = checkCount(opts.batchSize ?? 256, 'batchSize');
  const src = resolveRandom({ seed: opts.seed, rng: opts.rng });
  const o = resolveLossOptions({
    noise: opts.noise,
    rng: src.rng.fork('noise'),
    m: opts.m,
    consistency: opts.consistency,
    sideOf: opts.sideOf,
    loss: opts.loss,
  });
  checkBatch(xs, labels, o);
  const n = xs.shape[0] as number;
  if (n === 0) throw new DroError('E_EMPTY', 'xs is empty', { argument: 'xs' });
  // One read per call (training reads the loss back every batch anyway): NaN/Inf would train to NaN weights.
  await checkFiniteTensor(xs, 'xs');
  if (labels.dtype === 'float32') await checkFiniteTensor(labels, 'labels');
  if (labels.dtype === 'int32') {
    const y = await labels.data();
    let k = Number.POSITIVE_INFINITY;
    const out = (model as { outputs?: { shape: (number | null)[] }[] }).outputs?.[0]?.shape;
    if (out && typeof out[1] === 'number') k = out[1];
    for (let i = 0; i < y.length; i++) {
      const v = y[i] as number;
      if (v < 0 || v >= k)
        throw new DroError('E_LABEL_RANGE', `labels[${i}] is not a class`, {
          argument: 'labels',
          expected: `[0, ${k})`,
          received: String(v),
        });
    }
  }
  // An optimizer created here is disposed here (its slot variables would otherwise outlive the call).
  const ownOptimizer = opts.optimizer === undefined;
  const optimizer = opts.optimizer ?? tf.train.adam(1e-3);
  try {
    const shuffleRng = src.rng.fork('shuffle');
    const lossHist: number[] = [];
    const accHist: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = shuffleRng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
      let lossSum = 0;
      let correct = 0;
      for (let s = 0; s < n; s += batchSize) {
        throwIfAborted(opts.signal);
        const idx = tf.tensor1d(order.subarray(s, Math.min(n, s + batchSize)), 'int32');
        const xb = tf.gather(xs, idx);
        const yb = tf.gather(labels, idx);
        let kept: tf.Scalar | undefined;
        let cost: tf.Scalar | null = null;
        // finally: a loss that throws on a later batch must not leave the batch tensors behind.
        try {
          cost = optimizer.minimize(() => {
            const r = lossAndCorrect(model, xb, yb, o, o.loss ? idx : undefined);
            kept = tf.keep(r.correct);
            return r.loss;
          }, true) as tf.Scalar;
        } finally {
          if (cost === null) tf.dispose([idx, xb, yb, ...(kept ? [kept] : [])]);
        }
        const [lv, cv] = await Promise.all([cost.data(), (kept as tf.Scalar).data()]);
        tf.dispose([idx, xb, yb, cost, kept as tf.Scalar]);
        lossSum += (lv[0] as number) * (Math.min(n, s + batchSize) - s);
        correct += cv[0] as number;
        await yieldToEventLoop();
      }
      lossHist.push(lossSum / n);
      accHist.push(correct / (n * o.m));
      opts.onEpochEnd?.(epoch, { loss: lossHist[epoch] as number, noisyAccuracy: accHist[epoch] as number });
    }
    src.rng.u32();
    return { loss: lossHist, noisyAccuracy: accHist };
  } finally {
    if (ownOptimizer) optimizer.dispose();
  }
}
