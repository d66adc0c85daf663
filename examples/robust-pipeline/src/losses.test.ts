// ldr-loss's losses through smoothing's `loss` option: LDR-KL and the stateful ALDR-KL (keyed by the row
// indices trainWithNoise passes) train an MLP under Gaussian noise and leak no tensors.
import { initBackend } from '@drojs/dro-core';
import { AldrKlLoss } from '@drojs/ldr-loss';
import { trainWithNoise } from '@drojs/smoothing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUICK } from './config.js';
import { loadPipelineData, PIXELS } from './data.js';
import { aldrTrainingLoss, ldrTrainingLoss } from './losses.js';
import { buildMlp } from './model.js';

const N = 600;
let xs: tf.Tensor2D;
let ys: tf.Tensor1D;

beforeAll(async () => {
  await initBackend();
  const data = await loadPipelineData({ ...QUICK, numTrain: N, numSupport: 0, numCalibration: 0, numEval: 0 });
  xs = tf.tensor2d(data.train.x, [N, PIXELS]);
  ys = tf.tensor1d(data.train.y, 'int32');
});

describe('ldr-loss losses as trainWithNoise’s loss', () => {
  it('LDR-KL: the loss falls over epochs, no tensors are left behind, a seed repeats the run exactly', async () => {
    const run = async () => {
      const model = buildMlp([64, 32], 'losses-test');
      const before = tf.memory().numTensors;
      const r = await trainWithNoise(model, xs, ys, {
        noise: 0.25,
        epochs: 3,
        batchSize: 100,
        seed: 3,
        loss: ldrTrainingLoss,
      });
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
      return r.loss;
    };
    const a = await run();
    expect(a[2]).toBeLessThan(a[0] as number);
    expect(await run()).toEqual(a);
  });

  it('ALDR-KL: every training row is visited once per epoch through context.indices, and λ moves off λ₀', async () => {
    const aldr = new AldrKlLoss({ numInstances: N });
    const model = buildMlp([64, 32], 'aldr-test');
    const r = await trainWithNoise(model, xs, ys, {
      noise: 0.25,
      epochs: 2,
      batchSize: 100,
      seed: 4,
      loss: aldrTrainingLoss(aldr),
    });
    expect(r.loss.every(Number.isFinite)).toBe(true);
    const s = aldr.stats();
    expect(s.visited).toBe(N);
    expect(s.maxLambda - s.minLambda).toBeGreaterThan(0);
    model.dispose();
  });
});
