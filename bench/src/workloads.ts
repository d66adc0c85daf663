/**
 * The tfjs side of each workload, run on the backend in force. Every function returns one {@link Sample}: the
 * timed part only (set-up and warm-up excluded), from process CPU time and from the wall clock.
 */

import { applyClassifier, createRng } from '@drojs/dro-core';
import { knnSquaredL2 } from '@drojs/sdm';
import { sampleCounts } from '@drojs/smoothing';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Sample, Unit } from './schema.js';
import { type Sizes, toUnit } from './workloadList.js';

function uniform(n: number, seed: number, scale = 1, offset = 0): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = offset + scale * (2 * rng.uniform() - 1);
  return out;
}

/** Runs `work` (which does `units` units) and converts its CPU and wall seconds into `unit`. */
async function measure(unit: Unit, units: number, work: () => unknown): Promise<Sample> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { cpu: toUnit(unit, units, (c.user + c.system) / 1e6), wall: toUnit(unit, units, wall) };
}

async function repeat(n: number, f: () => unknown): Promise<void> {
  for (let i = 0; i < n; i++) await f();
}

/** 784-256-256-10 ReLU MLP, softmax cross-entropy, plain SGD: the step of dro-core's and PyTorch's bench. */
export async function mlpStep(batch: number, steps: number, s: Sizes): Promise<Sample> {
  const layer = (i: number, o: number, seed: number) => ({
    w: tf.variable(tf.tensor2d(uniform(i * o, seed, Math.sqrt(6 / i)), [i, o])),
    b: tf.variable(tf.zeros([o])),
  });
  const l1 = layer(784, 256, 1);
  const l2 = layer(256, 256, 2);
  const l3 = layer(256, 10, 3);
  const x = tf.tensor2d(uniform(batch * 784, 4, 0.5, 0.5), [batch, 784]);
  const y = tf.tidy(() =>
    tf.oneHot(
      tf.tensor1d(
        Array.from({ length: batch }, (_, i) => (i * 7) % 10),
        'int32',
      ),
      10,
    ),
  );
  const opt = tf.train.sgd(0.01);
  const step = () => {
    const loss = opt.minimize(() => {
      const h1 = tf.relu(tf.add(tf.matMul(x, l1.w), l1.b));
      const h2 = tf.relu(tf.add(tf.matMul(h1, l2.w), l2.b));
      const logits = tf.add(tf.matMul(h2, l3.w), l3.b);
      return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
    }, true) as tf.Scalar;
    loss.dataSync();
    loss.dispose();
  };
  try {
    await repeat(s.warmup, step);
    return await measure('ms', steps, () => repeat(steps, step));
  } finally {
    tf.dispose([l1.w, l1.b, l2.w, l2.b, l3.w, l3.b, x, y]);
    opt.dispose();
  }
}

/** Conv train step: [64,28,28,1] ⊛ [3,3,1,32] 'same'; forward, dX and dW, SGD on the filter. */
export async function convStep(s: Sizes): Promise<Sample> {
  const x = tf.variable(tf.tensor4d(uniform(64 * 28 * 28, 5), [64, 28, 28, 1]));
  const f = tf.variable(tf.tensor4d(uniform(3 * 3 * 32, 6, 0.1), [3, 3, 1, 32]));
  const g = tf.grads((xx: tf.Tensor, ff: tf.Tensor) =>
    tf.mean(tf.square(tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, 1, 'same'))),
  );
  const step = () => {
    tf.tidy(() => {
      const [, df] = g([x, f]);
      f.assign(tf.sub(f, tf.mul(df!, 0.01)));
    });
    f.dataSync();
  };
  try {
    await repeat(s.warmup, step);
    return await measure('ms', s.convSteps, () => repeat(s.convSteps, step));
  } finally {
    tf.dispose([x, f]);
  }
}

/** The smoothing example's RS-MLP (784 → 784 → 256 → 256 → 10 after a rescaling), seeded initialisers. */
export function rsMlp(): tfl.Sequential {
  const init = (seed: number) => tfl.initializers.glorotUniform({ seed });
  return tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [28, 28, 1] }),
      tfl.layers.rescaling({ scale: 1 / 0.353, offset: -0.286 / 0.353 }),
      tfl.layers.dense({ units: 784, activation: 'relu', kernelInitializer: init(1) }),
      tfl.layers.dense({ units: 256, activation: 'relu', kernelInitializer: init(2) }),
      tfl.layers.dense({ units: 256, activation: 'relu', kernelInitializer: init(3) }),
      tfl.layers.dense({ units: 10, kernelInitializer: init(4) }),
    ],
  });
}

/** Inference on a batch of 1000 through dro-core's applyClassifier (the library's forward path), read back. */
export async function rsForward(s: Sizes): Promise<Sample> {
  const model = rsMlp();
  const x = tf.tensor4d(uniform(1000 * 784, 7, 0.5, 0.5), [1000, 28, 28, 1]);
  const step = async () => {
    const y = tf.tidy(() => applyClassifier(model, x));
    await y.data();
    y.dispose();
  };
  try {
    await repeat(s.warmup, step);
    return await measure('samples/s', 1000 * s.forwardReps, () => repeat(s.forwardReps, step));
  } finally {
    x.dispose();
    model.dispose();
  }
}

const SIGMA = 0.25;

/**
 * smoothing's `sampleCounts` (host Gaussian noise, forward, on-device counts), batch 1000; `polar`: the opt-in
 * polar-method noise stream instead of the default Box–Muller one.
 */
export async function certify(s: Sizes, polar = false): Promise<Sample> {
  const model = rsMlp();
  const x = tf.tensor3d(uniform(784, 8, 0.5, 0.5), [28, 28, 1]);
  const noise = polar ? { kind: 'gaussian' as const, sigma: SIGMA, sampler: 'polar' as const } : SIGMA;
  const opts = { numClasses: 10, noise, seed: 1, batchSize: 1000 };
  try {
    await sampleCounts(model, x, 1000, opts);
    return await measure('samples/s', s.certifySamples, () => sampleCounts(model, x, s.certifySamples, opts));
  } finally {
    x.dispose();
    model.dispose();
  }
}

/**
 * The certification loop as it was when issue 14 was filed: noise from one `Rng.normal()` call per value and
 * `model.predict` (which cuts the batch into pieces of 32); everything else as `sampleCounts`. Kept only as
 * the "before" figure the defect fixes are measured against.
 */
export async function certifyBefore(s: Sizes): Promise<Sample> {
  const model = rsMlp();
  const base = tf.tensor3d(uniform(784, 8, 0.5, 0.5), [28, 28, 1]);
  const rng = createRng(1);
  const batch = 1000;
  const run = async (num: number) => {
    for (let done = 0; done < num; done += batch) {
      const b = Math.min(batch, num - done);
      const buf = new Float32Array(b * 784);
      for (let i = 0; i < buf.length; i++) buf[i] = SIGMA * rng.normal();
      const out = tf.tidy(() => {
        const xb = tf.add(tf.expandDims(base, 0), tf.tensor(buf, [b, 28, 28, 1]));
        const f = tf.cast(model.predict(xb) as tf.Tensor, 'float32');
        const bad = tf.reshape(tf.cast(tf.any(tf.logicalNot(tf.isFinite(f))), 'int32'), [1]);
        return tf.concat([tf.sum(tf.oneHot(tf.argMax(f, 1), 10, 1, 0, 'int32'), 0), bad]);
      });
      await out.data();
      out.dispose();
    }
  };
  try {
    await run(batch);
    return await measure('samples/s', s.certifyBeforeSamples, () => run(s.certifyBeforeSamples));
  } finally {
    base.dispose();
    model.dispose();
  }
}

/** sdm's exact kNN (blockwise matmul + topk, neighbours read back) of Q queries against N support rows. */
export async function knn(s: Sizes): Promise<Sample> {
  const d = 256;
  const support = tf.tensor2d(uniform(s.knnSupport * d, 9), [s.knnSupport, d]);
  const queries = tf.tensor2d(uniform(s.knnQueries * d, 10), [s.knnQueries, d]);
  try {
    const warm = tf.slice(queries, [0, 0], [8, d]) as tf.Tensor2D;
    await knnSquaredL2(warm, support, s.knnK).finally(() => warm.dispose());
    return await measure('queries/s', s.knnQueries, () => knnSquaredL2(queries, support, s.knnK));
  } finally {
    tf.dispose([support, queries]);
  }
}
