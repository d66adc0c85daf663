import { injectLabelNoise } from '@drojs/datasets';
import { checkAborted, createRng } from '@drojs/dro-core';
import { AldrKlLoss, crossEntropyLoss, LDR_NOISY_LABEL_PRESET, ldrKlLoss } from '@drojs/ldr-loss';
import * as tf from '@tensorflow/tfjs-core';
import { D, K, type Split } from './data.js';
import { createMlp, type Mlp } from './model.js';
import type { LossName, TrainRequest } from './protocol.js';

export const HIDDEN = 128;
export const BATCH = 128;
/** Test images scored after every epoch (the first ones of the vendored test split). */
export const NUM_EVAL = 1000;

type BatchLoss = (logits: tf.Tensor2D, labels: Int32Array, indices: Int32Array) => tf.Scalar;

/** The loss of the LDR paper's noisy-label protocol: CE, LDR-KL (λ = 10) or ALDR-KL (λ₀ = 10). */
export function makeLoss(name: LossName, numInstances: number): BatchLoss {
  if (name === 'CE') return (l, y) => crossEntropyLoss(l, y) as tf.Scalar;
  if (name === 'LDR-KL') return (l, y) => ldrKlLoss(l, y, LDR_NOISY_LABEL_PRESET) as tf.Scalar;
  const aldr = new AldrKlLoss({ numInstances, lambda0: 10, alpha: 2, margin: 0.1, normalize: 'l1-mean' });
  return (l, y, i) => aldr.call(l, y, i) as tf.Scalar;
}

/** Accuracy of `model` on the first `count` test images, batched. */
export function accuracy(model: Mlp, test: Split, count = NUM_EVAL, batch = 500): number {
  const n = Math.min(count, test.n);
  let correct = 0;
  for (let s = 0; s < n; s += batch) {
    const e = Math.min(n, s + batch);
    const pred = tf.tidy(() =>
      tf.argMax(model.logits(tf.tensor2d(test.images.subarray(s * D, e * D), [e - s, D])), 1).dataSync(),
    );
    for (let i = 0; i < e - s; i++) if (pred[i] === test.labels[s + i]) correct++;
  }
  return correct / n;
}

export interface TrainedSet {
  models: Map<LossName, Mlp>;
  /** Training indices used (the rest of the training split is held out for SDM). */
  trainIndices: Int32Array;
  heldOut: Int32Array;
  actualNoise: number;
}

const nextTick = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * Trains one MLP per loss in lockstep (epoch 1 of every loss, then epoch 2, …) on the same noisy labels, initial
 * weights, batch order and augmentation noise, so the accuracy curves differ only by the loss.
 */
export async function trainAll(
  train: Split,
  test: Split,
  req: TrainRequest,
  signal: AbortSignal,
  onEpoch: (loss: LossName, epoch: number, acc: number, trainLoss: number) => void,
): Promise<TrainedSet> {
  const root = createRng(req.seed);
  const n = Math.min(req.numTrain, train.n - 1000);
  const perm = root.fork('subset').choice(train.n, train.n);
  const trainIndices = perm.slice(0, n);
  const heldOut = perm.slice(train.n - 1000);
  const clean = Int32Array.from(trainIndices, (i) => train.labels[i]!);
  const noisy =
    req.noiseRate > 0
      ? injectLabelNoise(clean, { type: 'symmetric', rate: req.noiseRate, numClasses: K, rng: root.fork('noise') })
          .labels
      : clean.slice();
  let changed = 0;
  for (let i = 0; i < n; i++) if (noisy[i] !== clean[i]) changed++;
  const runs = req.losses.map((name) => ({
    name,
    model: createMlp([D, HIDDEN, HIDDEN, K], root.fork('init')),
    loss: makeLoss(name, n),
    opt: tf.train.adam(1e-3),
    // fork(label) does not advance `root`: every loss gets the same initial weights, batch order and input noise.
    shuffle: root.fork('shuffle'),
    order: Int32Array.from({ length: n }, (_, i) => i),
    noise: root.fork('input-noise'),
  }));
  const xb = new Float32Array(BATCH * D);
  const eps = new Float32Array(BATCH * D);
  try {
    for (let ep = 1; ep <= req.epochs; ep++) {
      for (const run of runs) {
        const order = run.shuffle.shuffle(run.order);
        let sum = 0;
        let batches = 0;
        for (let s = 0; s < n; s += BATCH) {
          checkAborted(signal, 'training');
          const e = Math.min(n, s + BATCH);
          const B = e - s;
          const idx = order.slice(s, e);
          const yb = new Int32Array(B);
          for (let i = 0; i < B; i++) {
            const src = trainIndices[idx[i]!]!;
            xb.set(train.images.subarray(src * D, src * D + D), i * D);
            yb[i] = noisy[idx[i]!]!;
          }
          // Gaussian data augmentation (Cohen et al.): the base classifier of randomized smoothing sees noise.
          if (req.trainSigma > 0) {
            run.noise.fillNormal(eps.subarray(0, B * D), req.trainSigma);
            for (let i = 0; i < B * D; i++) xb[i]! += eps[i]!;
          }
          const x = tf.tensor2d(xb.subarray(0, B * D), [B, D]);
          const cost = run.opt.minimize(() => run.loss(run.model.logits(x), yb, idx), true, run.model.vars);
          sum += (cost as tf.Scalar).dataSync()[0]!;
          cost?.dispose();
          x.dispose();
          batches++;
          // Let an abort message in between batches.
          if (batches % 4 === 0) await nextTick();
        }
        onEpoch(run.name, ep, accuracy(run.model, test), sum / batches);
        await nextTick();
      }
    }
  } catch (e) {
    for (const r of runs) r.model.dispose();
    throw e;
  } finally {
    for (const r of runs) r.opt.dispose();
  }
  return {
    models: new Map(runs.map((r) => [r.name, r.model])),
    trainIndices,
    heldOut,
    actualNoise: changed / n,
  };
}
