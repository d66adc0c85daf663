import { createRng } from '@drojs/dro-core';
import { describeBackends, expectDroError, expectNoLeak } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { type NoiseLossFn, noiseAugmentedLoss } from './noiseAugmentedLoss.js';
import { trainWithNoise } from './trainWithNoise.js';

const W = [
  [0.5, -1, 0.2],
  [1.5, 0.3, -0.7],
];

/** Per-example mean absolute error between softmax and one-hot labels (a bounded, noise-robust loss). */
const maeRows: NoiseLossFn = (z, y) =>
  tf.sum(tf.abs(tf.sub(tf.softmax(z), tf.oneHot(y as tf.Tensor1D, z.shape[1]))), 1);

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describeBackends('noise-augmented training with a custom loss', ['cpu', 'wasm'], () => {
  it('the loss sees the m noisy copies and labels repeated copy-major; per-example values are averaged', () => {
    const x = tf.tensor2d([0.2, -0.4, 1, 0.5], [2, 2]);
    const y = tf.tensor1d([2, 0], 'int32');
    const w = tf.tensor2d(W);
    const model = (t: tf.Tensor) => tf.matMul(t, w);
    const seen: { rows: number[]; labels: number[]; copies: number; indices: unknown }[] = [];
    const rng = createRng(3);
    const replay = rng.clone();
    const loss = noiseAugmentedLoss(model, x, y, {
      noise: 0.3,
      rng,
      m: 3,
      loss: (z, yy, ctx) => {
        seen.push({ rows: z.shape, labels: Array.from(yy.dataSync()), copies: ctx.copies, indices: ctx.indices });
        return maeRows(z, yy, ctx);
      },
    });
    const got = loss.dataSync()[0] as number;
    expect(seen).toEqual([{ rows: [6, 3], labels: [2, 0, 2, 0, 2, 0], copies: 3, indices: undefined }]);
    // The same noisy inputs rebuilt from a clone of the stream, the same loss applied by hand.
    const want = tf.tidy(() => {
      const e = Float32Array.from({ length: 12 }, () => 0.3 * replay.normal());
      const xr = tf.add(tf.concat([x, x, x]), tf.tensor2d(e, [6, 2]));
      const yr = tf.tensor1d([2, 0, 2, 0, 2, 0], 'int32');
      return tf.mean(maeRows(model(xr) as tf.Tensor2D, yr, { copies: 3 })).dataSync()[0] as number;
    });
    expect(Math.abs(got - want)).toBeLessThan(1e-6);
    tf.dispose([x, y, w, loss]);
  });

  it('gradients flow through the custom loss into the model (equal to the directly differentiated loss)', () => {
    const x = tf.tensor2d([0.2, -0.4, 1, 0.5, -1, 0.3], [3, 2]);
    const y = tf.tensor1d([2, 0, 1], 'int32');
    const w = tf.variable(tf.tensor2d(W));
    const rng = createRng(7);
    const replay = rng.clone();
    const fromOption = tf.variableGrads(
      () => noiseAugmentedLoss((t) => tf.matMul(t, w), x, y, { noise: 0.5, rng, loss: maeRows }),
      [w],
    );
    const direct = tf.variableGrads(() => {
      const e = tf.tensor2d(
        Float32Array.from({ length: 6 }, () => 0.5 * replay.normal()),
        [3, 2],
      );
      return tf.mean(maeRows(tf.matMul(tf.add(x, e), w) as tf.Tensor2D, y, { copies: 1 })) as tf.Scalar;
    }, [w]);
    const g = Array.from((fromOption.grads[w.name] as tf.Tensor).dataSync());
    const h = Array.from((direct.grads[w.name] as tf.Tensor).dataSync());
    expect(g.some((v) => Math.abs(v) > 1e-4)).toBe(true);
    for (let i = 0; i < g.length; i++) expect(Math.abs((g[i] as number) - (h[i] as number))).toBeLessThan(1e-6);
    expect(Math.abs(fromOption.value.dataSync()[0]! - direct.value.dataSync()[0]!)).toBeLessThan(1e-6);
    tf.dispose([x, y, w, fromOption.value, direct.value, ...Object.values(fromOption.grads)]);
    tf.dispose(Object.values(direct.grads));
  });

  it('a custom loss spelling out cross-entropy gives the default loss', () => {
    const x = tf.tensor2d([0.2, -0.4, 1, 0.5], [2, 2]);
    const y = tf.tensor2d([0, 0, 1, 1, 0, 0], [2, 3]);
    const w = tf.tensor2d(W);
    const model = (t: tf.Tensor) => tf.matMul(t, w);
    const ce: NoiseLossFn = (z, yy) => tf.neg(tf.mean(tf.sum(tf.mul(yy, tf.logSoftmax(z)), 1)));
    const a = noiseAugmentedLoss(model, x, y, { noise: 0.2, rng: createRng(5), m: 2 });
    const b = noiseAugmentedLoss(model, x, y, { noise: 0.2, rng: createRng(5), m: 2, loss: ce });
    expect(b.dataSync()[0]).toBe(a.dataSync()[0]);
    tf.dispose([x, y, w, a, b]);
  });

  it('a loss that is not a function, or returns the wrong shape, is rejected naming loss', () => {
    const x = tf.tensor2d([0.2, -0.4, 1, 0.5], [2, 2]);
    const y = tf.tensor1d([2, 0], 'int32');
    const w = tf.tensor2d(W);
    const model = (t: tf.Tensor) => tf.matMul(t, w);
    expectDroError(
      () => noiseAugmentedLoss(model, x, y, { noise: 0.2, rng: createRng(1), loss: 3 as never }),
      'E_SPEC',
      'loss',
    );
    expectNoLeak(() => {
      expectDroError(
        () => noiseAugmentedLoss(model, x, y, { noise: 0.2, rng: createRng(1), loss: (z) => tf.softmax(z) }),
        'E_SHAPE',
        'loss',
      );
      expectDroError(
        () => noiseAugmentedLoss(model, x, y, { noise: 0.2, rng: createRng(1), loss: (z) => tf.sum(z, 0) }),
        'E_SHAPE',
        'loss',
      );
    });
    tf.dispose([x, y, w]);
  });

  it('trainWithNoise rejects a non-function loss (E_SPEC) before training and a wrong-shaped one (E_SHAPE)', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 3 })] });
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const xs = tf.tensor2d([0, 1, 1, 2], [2, 2]);
    const ys = tf.tensor1d([0, 2], 'int32');
    const notFn = (await rejection(
      trainWithNoise(model, xs, ys, { noise: 0.1, epochs: 1, seed: 0, loss: 'ldr' as never }),
    )) as { code?: string; message: string };
    expect([notFn.code, notFn.message.includes('loss')]).toEqual(['E_SPEC', true]);
    const badShape = (await rejection(
      trainWithNoise(model, xs, ys, { noise: 0.1, epochs: 1, seed: 0, loss: (z) => tf.softmax(z) }),
    )) as { code?: string; message: string };
    expect([badShape.code, badShape.message.includes('loss')]).toEqual(['E_SHAPE', true]);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('trainWithNoise passes each row its position in xs (every row once per epoch and copy) with its label', async () => {
    const isTest = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', false); // see train.test.ts: tfjs's per-kernel check misfires on the wasm matmul
    const n = 10;
    const xs = tf.tensor2d(
      Array.from({ length: 2 * n }, (_, i) => i / n),
      [n, 2],
    );
    const labels = Array.from({ length: n }, (_, i) => i % 3);
    const ys = tf.tensor1d(labels, 'int32');
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 3 })] });
    const seen: number[][] = [];
    const nt = tf.memory().numTensors;
    await trainWithNoise(model, xs, ys, {
      noise: 0.1,
      epochs: 2,
      batchSize: 4,
      m: 2,
      seed: 1,
      loss: (z, y, ctx) => {
        const idx = Array.from((ctx.indices as tf.Tensor1D).dataSync());
        const lab = Array.from(y.dataSync());
        expect(idx.length).toBe(z.shape[0]);
        expect(lab).toEqual(idx.map((i) => labels[i]));
        // Copy-major: the second half repeats the first.
        expect(idx.slice(idx.length / 2)).toEqual(idx.slice(0, idx.length / 2));
        seen.push(idx.slice(0, idx.length / 2));
        return maeRows(z, y, ctx);
      },
    });
    expect(tf.memory().numTensors).toBe(nt);
    for (const epoch of [seen.slice(0, 3).flat(), seen.slice(3).flat()])
      expect([...epoch].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(seen.length).toBe(6);
    tf.dispose([xs, ys]);
    model.dispose();
    tf.env().set('IS_TEST', isTest);
  });

  it('trainWithNoise with a bounded custom loss learns a separable problem; repeated steps leak nothing', async () => {
    const isTest = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', false);
    const n = 128;
    const xs = tf.tidy(() => tf.concat([tf.fill([n / 2, 2], 1), tf.fill([n / 2, 2], -1)]));
    const ys = tf.tensor1d(
      Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1)),
      'int32',
    );
    // Zero initial weights (a fixed start: glorot's unseeded draw would make the run vary).
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [2], units: 2, kernelInitializer: 'zeros' })],
    });
    const optimizer = tf.train.adam(0.05);
    const r = await trainWithNoise(model, xs, ys, {
      noise: 0.25,
      epochs: 6,
      batchSize: 16,
      seed: 2,
      optimizer,
      loss: maeRows,
    });
    expect(r.noisyAccuracy[5]).toBeGreaterThan(0.95);
    expect(r.loss[5]).toBeLessThan(r.loss[0] as number);
    const rng = createRng(1);
    const step = () =>
      optimizer.minimize(() => noiseAugmentedLoss(model, xs, ys, { noise: 0.25, rng, m: 2, loss: maeRows }), true);
    expectNoLeak(step, { repeats: 20 });
    optimizer.dispose();
    model.dispose();
    tf.dispose([xs, ys]);
    tf.env().set('IS_TEST', isTest);
  });
});
