import { checkAborted, createRng } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { D, K, type Prepared } from './data.js';
import { makeLoss, type RunLoss } from './losses.js';
import { createMlp, type Mlp } from './model.js';

export interface RunConfig {
  loss: string;
  seed: number;
  epochs: number;
  batchSize: number;
  lr: number;
  hidden: number;
  /** Number of final epochs averaged for the headline metric. */
  lastK: number;
  signal?: AbortSignal;
  onEpoch?: (epoch: number, testAcc: number, trainLoss: number) => void;
}

export interface RunResult {
  loss: string;
  seed: number;
  curve: number[];
  trainLoss: number[];
  lastKMean: number;
  best: number;
  bestEpoch: number;
  seconds: number;
  aldr?: { meanLambda: number; minLambda: number; maxLambda: number };
}

/** One optimisation step on a batch; returns the batch loss (host number). Leaves no tensors behind. */
export function trainStep(
  model: Mlp,
  opt: tf.Optimizer,
  loss: RunLoss,
  x: tf.Tensor2D,
  y: Int32Array,
  idx: Int32Array,
): number {
  const cost = opt.minimize(() => loss.call(model.predict(x), y, idx), true, model.vars);
  const v = (cost as tf.Scalar).dataSync()[0]!;
  cost?.dispose();
  return v;
}

/** Clean test accuracy of the model (batched). */
export function testAccuracy(model: Mlp, data: Prepared, batch = 2000): number {
  let correct = 0;
  for (let s = 0; s < data.nTest; s += batch) {
    const e = Math.min(data.nTest, s + batch);
    const pred = tf.tidy(() => {
      const x = tf.tensor2d(data.xTest.subarray(s * D, e * D), [e - s, D]);
      return tf.argMax(model.predict(x), 1).dataSync();
    });
    for (let i = 0; i < e - s; i++) if (pred[i] === data.yTest[s + i]) correct++;
  }
  return correct / data.nTest;
}

/** Trains the protocol's MLP with one loss: Adam, reshuffled batches (last partial batch kept). */
export function runOne(data: Prepared, cfg: RunConfig): RunResult {
  const t0 = Date.now();
  const root = createRng(cfg.seed);
  const model = createMlp([D, cfg.hidden, cfg.hidden, K], root.fork('init'));
  const shuffle = root.fork('shuffle');
  const loss = makeLoss(cfg.loss, data.nTrain);
  const opt = tf.train.adam(cfg.lr);
  const order = Int32Array.from({ length: data.nTrain }, (_, i) => i);
  const curve: number[] = [];
  const trainLoss: number[] = [];
  const xb = new Float32Array(cfg.batchSize * D);
  try {
    for (let ep = 0; ep < cfg.epochs; ep++) {
      shuffle.shuffle(order);
      let sum = 0;
      let nb = 0;
      for (let s = 0; s < data.nTrain; s += cfg.batchSize) {
        checkAborted(cfg.signal, 'training');
        const e = Math.min(data.nTrain, s + cfg.batchSize);
        const B = e - s;
        const idx = order.slice(s, e);
        const yb = new Int32Array(B);
        for (let i = 0; i < B; i++) {
          xb.set(data.xTrain.subarray(idx[i]! * D, idx[i]! * D + D), i * D);
          yb[i] = data.yTrain[idx[i]!]!;
        }
        const x = tf.tensor2d(xb.subarray(0, B * D), [B, D]);
        sum += trainStep(model, opt, loss, x, yb, idx);
        x.dispose();
        nb++;
      }
      const acc = testAccuracy(model, data);
      curve.push(acc);
      trainLoss.push(sum / nb);
      cfg.onEpoch?.(ep + 1, acc, sum / nb);
    }
  } finally {
    model.dispose();
    opt.dispose();
  }
  const last = curve.slice(-cfg.lastK);
  let best = -1;
  let bestEpoch = 0;
  curve.forEach((a, i) => {
    if (a > best) {
      best = a;
      bestEpoch = i + 1;
    }
  });
  const res: RunResult = {
    loss: cfg.loss,
    seed: cfg.seed,
    curve,
    trainLoss,
    lastKMean: last.reduce((a, b) => a + b, 0) / last.length,
    best,
    bestEpoch,
    seconds: (Date.now() - t0) / 1000,
  };
  if (loss.aldr) {
    const st = loss.aldr.stats();
    res.aldr = { meanLambda: st.meanLambda, minLambda: st.minLambda, maxLambda: st.maxLambda };
  }
  return res;
}
