import { createRng } from '@drojs/dro-core';
import { describeBackends, expectDroError, expectNoLeakAsync } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import * as api from './index.js';

const K = 3;
const N = 48;

/** Three separable Gaussian blobs in 4-D, labels 0..2. */
function blobs(seed: number): { x: tf.Tensor2D; labels: number[] } {
  const rng = createRng(seed);
  const labels = Array.from({ length: N }, (_, i) => i % K);
  const data = labels.flatMap((y) => Array.from({ length: 4 }, (_, d) => (d === y ? 3 : 0) + 0.5 * rng.normal()));
  return { x: tf.tensor2d(data, [N, 4]), labels };
}

function model(seed: number): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(
    tfl.layers.dense({
      units: 8,
      activation: 'relu',
      inputShape: [4],
      kernelInitializer: tfl.initializers.glorotUniform({ seed }),
    }),
  );
  m.add(tfl.layers.dense({ units: K, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) })); // logits, no softmax
  return m;
}

describeBackends('compile factories with LayersModel.fit', ['cpu', 'wasm'], () => {
  it('ldrKl (noisy-label preset) and gce train through compile + fit with one-hot targets, classWeight, validation and evaluate', async () => {
    for (const loss of [api.ldrKl(api.LDR_NOISY_LABEL_PRESET), api.gce(), api.crossEntropy()]) {
      const { x, labels } = blobs(1);
      const y = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), K), 'float32');
      const m = model(3);
      m.compile({ optimizer: tf.train.adam(0.05), loss, metrics: ['accuracy'] });
      const h = await m.fit(x, y, {
        epochs: 15,
        batchSize: 16,
        shuffle: true,
        classWeight: { 0: 1, 1: 2, 2: 1 },
        validationData: [x, y],
        verbose: 0,
      });
      const losses = h.history.loss as number[];
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses.at(-1)!).toBeLessThan(losses[0]!);
      expect((h.history.val_loss as number[]).every(Number.isFinite)).toBe(true);
      const ev = m.evaluate(x, y) as tf.Scalar[];
      expect(Number.isFinite(ev[0]!.dataSync()[0]!)).toBe(true);
      expect(ev[1]!.dataSync()[0]!).toBeGreaterThan(0.8);
      tf.dispose([x, y, ...ev]);
      m.dispose();
    }
  });

  it('factories also accept sparse [N] / [N, 1] targets (fitDataset, direct calls) and return per-sample losses', () => {
    const logits = tf.tensor2d([
      [1, 2, 0],
      [0, 0, 3],
    ]);
    const f = api.ldrKl({ lambda: 2 });
    const a = f(tf.tensor1d([1, 2]), logits);
    const b = f(tf.tensor2d([[1], [2]]), logits);
    const c = f(
      tf.tensor2d([
        [0, 1, 0],
        [0, 0, 1],
      ]),
      logits,
    );
    expect(a.shape).toEqual([2]);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(c.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([logits, a, b, c]);
  });

  it('AldrKlLoss.asCompileLoss with encodeIndexedTargets updates exactly the trained indices; one-hot validation never touches the state', async () => {
    const { x, labels } = blobs(2);
    const trained = Array.from({ length: N }, (_, i) => i);
    const aldr = new api.AldrKlLoss({ numInstances: N + 10, lambda0: 1, alpha: 1.5, normalize: 'none' });
    const yEnc = api.encodeIndexedTargets(labels, trained, K);
    const yHot = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), K), 'float32') as tf.Tensor2D;
    const m = model(5);
    m.compile({ optimizer: tf.train.adam(0.05), loss: aldr.asCompileLoss(), metrics: ['accuracy'] });
    const h = await m.fit(x, yEnc, { epochs: 3, batchSize: 16, shuffle: true, verbose: 0, validationData: [x, yHot] });
    expect((h.history.acc as number[]).every(Number.isFinite)).toBe(true);
    const st = aldr.stats();
    expect(st.visited).toBe(N);
    const lam = aldr.lambdas();
    for (let i = N; i < N + 10; i++) expect(lam[i]).toBe(1);
    const snap = JSON.stringify(aldr.getState());
    const ev = m.evaluate(x, yHot) as tf.Scalar[];
    expect(JSON.stringify(aldr.getState())).toBe(snap);
    expectDroError(
      () => aldr.asCompileLoss()(api.encodeIndexedTargets([0], [N + 10], K), tf.zeros([1, K])),
      'E_INDEX_RANGE',
    );
    tf.dispose([x, yEnc, yHot, ...ev]);
    m.dispose();
  });

  it('100 fit steps with a factory and with the ALDR compile loss leak no tensors', async () => {
    const { x, labels } = blobs(3);
    const y = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), K), 'float32');
    const m = model(7);
    m.compile({ optimizer: tf.train.sgd(0.01), loss: api.ldrKl(api.LDR_NOISY_LABEL_PRESET) });
    await expectNoLeakAsync(
      async () => {
        await m.fit(x, y, { epochs: 1, batchSize: N, verbose: 0 });
      },
      { repeats: 100, warmup: 2 },
    );
    const aldr = new api.AldrKlLoss({ numInstances: N });
    const yEnc = api.encodeIndexedTargets(
      labels,
      Array.from({ length: N }, (_, i) => i),
      K,
    );
    m.compile({ optimizer: tf.train.sgd(0.01), loss: aldr.asCompileLoss() });
    await expectNoLeakAsync(
      async () => {
        await m.fit(x, yEnc, { epochs: 1, batchSize: N, verbose: 0 });
      },
      { repeats: 100, warmup: 2 },
    );
    tf.dispose([x, y, yEnc]);
    m.dispose();
  });
});
