import { createRng } from '@drojs/dro-core';
import { describeBackends, expectDroError, expectNoLeak } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { checkerboardSplit } from '../dual/split.js';
import { noiseAugmentedLoss } from './noiseAugmentedLoss.js';
import { trainWithNoise } from './trainWithNoise.js';

async function expectRejects(p: Promise<unknown>, code: string, argument: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect((err as { name?: string }).name).toBe('DroError');
  expect((err as { code?: string }).code).toBe(code);
  expect((err as Error).message).toContain(argument);
}

describeBackends('noise-augmented training', ['cpu', 'wasm'], () => {
  it('the loss runs the model in training mode on the whole batch (one apply of m·B rows)', () => {
    const calls: { training: unknown; rows: number }[] = [];
    const model = {
      predict: () => {
        throw new Error('predict must not be used inside the loss');
      },
      apply: (x: tf.Tensor, kwargs?: { training?: boolean }) => {
        calls.push({ training: kwargs?.training, rows: x.shape[0] as number });
        return tf.matMul(x, tf.ones([3, 2]));
      },
    };
    const x = tf.zeros([40, 3]);
    const y = tf.zeros([40], 'int32');
    const loss = noiseAugmentedLoss(model as never, x, y, { noise: 0.3, rng: createRng(1), m: 2 });
    expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
    tf.dispose([x, y, loss]);
    expect(calls).toEqual([{ training: true, rows: 80 }]);
  });

  it('noiseAugmentedLoss (a pure tensor op, no read-back) carries NaN/±∞ in x into the loss, never a finite value', () => {
    const model = (x: tf.Tensor) =>
      tf.matMul(
        x,
        tf.tensor2d([
          [1, -1],
          [0.5, 2],
        ]),
      );
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      for (const consistency of [undefined, { lambda: 1 }]) {
        const v = tf.tidy(() => {
          const x = tf.tensor2d([0, bad, 1, 2], [2, 2]);
          const y = tf.tensor1d([0, 1], 'int32');
          return noiseAugmentedLoss(model, x, y, { noise: 0.1, rng: createRng(2), m: 2, consistency }).dataSync()[0];
        });
        expect(Number.isFinite(v), `${bad} ${consistency ? 'consistency' : 'plain'}`).toBe(false);
      }
    }
  });

  it('trainWithNoise rejects NaN/Inf in xs or one-hot labels with E_NONFINITE before training', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [2] })] });
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const xs = tf.tensor2d([0, 1, bad, 2], [2, 2]);
      const y = tf.tensor1d([0, 1], 'int32');
      await expectRejects(trainWithNoise(model, xs, y, { noise: 0.1, epochs: 1, seed: 0 }), 'E_NONFINITE', 'xs');
      const x2 = tf.tensor2d([0, 1, 1, 2], [2, 2]);
      const oneHot = tf.tensor2d([1, 0, bad, 1], [2, 2]);
      await expectRejects(
        trainWithNoise(model, x2, oneHot, { noise: 0.1, epochs: 1, seed: 0 }),
        'E_NONFINITE',
        'labels',
      );
      tf.dispose([xs, y, x2, oneHot]);
    }
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    model.dispose();
  });

  it('an aborted trainWithNoise rejects with E_ABORTED (a DroError carrying the reason)', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [2] })] });
    const xs = tf.tensor2d([0, 1, 1, 2], [2, 2]);
    const y = tf.tensor1d([0, 1], 'int32');
    const ctl = new AbortController();
    ctl.abort(new Error('stop'));
    await expectRejects(
      trainWithNoise(model, xs, y, { noise: 0.1, epochs: 2, seed: 0, signal: ctl.signal }),
      'E_ABORTED',
      'signal',
    );
    tf.dispose([xs, y]);
    model.dispose();
  });

  it('consistency loss matches a host float64 computation of CE + λ·KL(p̂‖p_i) + η·H(p̂)', () => {
    // A fixed linear model; replay the same noise on the host from a cloned Rng.
    const W = [
      [0.5, -1, 0.2],
      [1.5, 0.3, -0.7],
    ];
    const model = (x: tf.Tensor) => tf.matMul(x, tf.tensor2d(W));
    const xv = [0.2, -0.4, 1, 0.5];
    const x = tf.tensor2d(xv, [2, 2]);
    const y = tf.tensor1d([2, 0], 'int32');
    const rng = createRng(3);
    const replay = rng.clone();
    const loss = noiseAugmentedLoss(model, x, y, { noise: 0.3, rng, m: 3, consistency: { lambda: 10, eta: 0.5 } });
    const got = loss.dataSync()[0] as number;
    loss.dispose();
    const noise = Array.from({ length: 3 * 2 * 2 }, () => Math.fround(0.3 * replay.normal()));
    const logp: number[][][] = [];
    for (let i = 0; i < 3; i++) {
      logp.push([]);
      for (let b = 0; b < 2; b++) {
        const xi = [0, 1].map((j) =>
          Math.fround(Math.fround(xv[b * 2 + j] as number) + (noise[(i * 2 + b) * 2 + j] as number)),
        );
        const z = [0, 1, 2].map(
          (c) => (xi[0] as number) * (W[0]?.[c] as number) + (xi[1] as number) * (W[1]?.[c] as number),
        );
        const mx = Math.max(...z);
        const lse = mx + Math.log(z.reduce((s, v) => s + Math.exp(v - mx), 0));
        logp[i]?.push(z.map((v) => v - lse));
      }
    }
    const labels = [2, 0];
    let ce = 0;
    for (let i = 0; i < 3; i++) for (let b = 0; b < 2; b++) ce -= logp[i]?.[b]?.[labels[b] as number] as number;
    ce /= 6;
    let kl = 0;
    let ent = 0;
    for (let b = 0; b < 2; b++) {
      const pHat = [0, 1, 2].map((c) =>
        logp[0]?.[b]?.[c] === undefined
          ? 0
          : [0, 1, 2].reduce((s, i) => s + Math.exp(logp[i]?.[b]?.[c] as number), 0) / 3,
      );
      for (let i = 0; i < 3; i++)
        for (let c = 0; c < 3; c++)
          kl += (pHat[c] as number) * (Math.log(pHat[c] as number) - (logp[i]?.[b]?.[c] as number));
      for (let c = 0; c < 3; c++) ent -= (pHat[c] as number) * Math.log(pHat[c] as number);
    }
    const want = ce + 10 * (kl / 6) + 0.5 * (ent / 2);
    expect(Math.abs(got - want)).toBeLessThan(1e-5 + 1e-4 * Math.abs(want));
    tf.dispose([x, y]);
  });

  it('a training step (plain, consistency, DRS side) repeated 100 times leaks no tensors or buffers', () => {
    // tfjs's IS_TEST per-kernel data-id check misfires on dro-core's wasm matmul-transpose wrapper
    // (temporaries freed inside the kernel); numTensors and numDataBuffers are checked here instead.
    const isTest = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', false);
    const spec = checkerboardSplit(2, 4);
    const x = tf.randomUniform([8, 2, 4, 1], 0, 1, 'float32', 1);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32');
    for (const variant of ['plain', 'consistency', 'side'] as const) {
      const inputShape = variant === 'side' ? [2, 2, 1] : [2, 4, 1];
      const model = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape }), tfl.layers.dense({ units: 3 })] });
      const opt = tf.train.adam(1e-3);
      const rng = createRng(1);
      const opts =
        variant === 'plain'
          ? { noise: 0.25, rng }
          : variant === 'consistency'
            ? { noise: 0.25, rng, m: 2, consistency: { lambda: 5 } }
            : { noise: 0.25, rng, sideOf: { split: spec, side: 'right' as const } };
      const step = () => opt.minimize(() => noiseAugmentedLoss(model, x, y, opts), true);
      expectNoLeak(step, { repeats: 3 });
      const buffers = tf.memory().numDataBuffers;
      expectNoLeak(step, { repeats: 100, warmup: 0 });
      expect(tf.memory().numDataBuffers).toBe(buffers);
      model.dispose();
      opt.dispose();
    }
    tf.dispose([x, y]);
    tf.env().set('IS_TEST', isTest);
  });

  it('trainWithNoise learns a separable problem and reports per-epoch logs', async () => {
    const isTest = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', false); // see above
    const n = 256;
    const xs = tf.tidy(() => tf.concat([tf.fill([n / 2, 2], 1), tf.fill([n / 2, 2], -1)]));
    const ys = tf.tensor1d(
      Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1)),
      'int32',
    );
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 2 })] });
    const epochs: number[] = [];
    const nt = tf.memory().numTensors;
    const optimizer = tf.train.adam(0.05);
    const r = await trainWithNoise(model, xs, ys, {
      noise: 0.25,
      epochs: 5,
      batchSize: 32,
      seed: 1,
      optimizer,
      onEpochEnd: (e) => epochs.push(e),
    });
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(nt);
    expect(epochs).toEqual([0, 1, 2, 3, 4]);
    expect(r.noisyAccuracy[4]).toBeGreaterThan(0.95);
    expect(r.loss[4]).toBeLessThan(r.loss[0] as number);
    tf.dispose([xs, ys]);
    model.dispose();
    tf.env().set('IS_TEST', isTest);
  });

  it('rejects bad training input', async () => {
    const x = tf.zeros([4, 2]);
    const y = tf.tensor1d([0, 1, 0, 1], 'int32');
    const model = (z: tf.Tensor) => tf.matMul(z, tf.ones([2, 2]));
    expectDroError(
      () => noiseAugmentedLoss(model, x, y, { noise: 0.25, rng: createRng(1), m: 1, consistency: { lambda: 5 } }),
      'E_SPEC',
      'm',
    );
    const yf = tf.zeros([4]);
    expectDroError(() => noiseAugmentedLoss(model, x, yf, { noise: 0.25, rng: createRng(1) }), 'E_DTYPE', 'labels');
    const y3 = tf.tensor1d([0, 1, 0], 'int32');
    expectDroError(() => noiseAugmentedLoss(model, x, y3, { noise: 0.25, rng: createRng(1) }), 'E_SHAPE', 'labels');
    const lm = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 2 })] });
    const bad = tf.tensor1d([0, 1, 2, 1], 'int32');
    let code = '';
    try {
      await trainWithNoise(lm, x, bad, { noise: 0.25, epochs: 1, seed: 1 });
    } catch (e) {
      code = (e as { code: string }).code;
    }
    expect(code).toBe('E_LABEL_RANGE');
    tf.dispose([x, y, yf, y3, bad]);
    lm.dispose();
  });
});
