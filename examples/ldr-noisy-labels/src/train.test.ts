import { createRng } from '@drojs/dro-core';
import { describeBackends, expectNoLeak } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { applyNoise } from './data.js';
import { makeLoss } from './losses.js';
import { createMlp } from './model.js';
import { trainStep } from './train.js';

describeBackends('ldr-noisy-labels training step', ['cpu', 'wasm'], () => {
  it('100 steps of every protocol loss leak no tensors and give finite losses', () => {
    const rng = createRng(0);
    const B = 16;
    const x = tf.tensor2d(
      Float32Array.from({ length: B * 784 }, () => rng.normal()),
      [B, 784],
    );
    for (const name of ['CE', 'LDR:10', 'ALDR:10', 'LDR:1', 'GCE', 'SCE', 'MAE', 'NCE+RCE']) {
      const model = createMlp([784, 32, 32, 10], rng.fork(name));
      const opt = tf.train.adam(1e-3);
      const loss = makeLoss(name, 64);
      const values: number[] = [];
      expectNoLeak(
        () => {
          const idx = rng.choice(64, B);
          const y = Int32Array.from({ length: B }, () => rng.int(10));
          values.push(trainStep(model, opt, loss, x, y, idx));
        },
        { repeats: 100, warmup: 2 },
      );
      expect(values.every(Number.isFinite), name).toBe(true);
      model.dispose();
      opt.dispose();
    }
    x.dispose();
  });
});

it('noise specs: clean is the identity, uniform/classdep change about the expected fraction', () => {
  const y = Int32Array.from({ length: 10000 }, (_, i) => i % 10);
  expect(Array.from(applyNoise(y, 'clean', createRng(1)))).toEqual(Array.from(y));
  const u = applyNoise(y, 'uniform:0.4', createRng(1));
  const c = applyNoise(y, 'classdep:0.3', createRng(1));
  const frac = (a: Int32Array) => a.reduce((s, v, i) => s + (v !== y[i] ? 1 : 0), 0) / y.length;
  expect(Math.abs(frac(u) - 0.36)).toBeLessThan(0.02);
  expect(Math.abs(frac(c) - 0.3)).toBeLessThan(0.02);
  expect(() => applyNoise(y, 'pairflip:0.2', createRng(1))).toThrow();
});
