import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { inputAdversary } from './adversary.js';
import { GroupDroWeights, groupMeans } from './group.js';
import { MovingLogMeanExp } from './moving.js';
import { randomNormal } from './randomTensors.js';
import { createRng } from './rng.js';
import { robustLoss } from './robust.js';
import { describeBackends, expectNoLeak } from './testing/index.js';

describeBackends('a training step with every dro-core piece', ['cpu', 'wasm'], () => {
  it('100 steps keep numTensors constant and lower the robust loss', () => {
    const rng = createRng('train');
    const X = randomNormal([32, 6], rng);
    const y = tf.tensor1d(Float32Array.from({ length: 32 }, (_, i) => (i % 3) - 1));
    const groups = Array.from({ length: 32 }, (_, i) => i % 4);
    const w = tf.variable(tf.zeros([6, 1]));
    const opt = tf.train.sgd(0.05);
    const gdro = new GroupDroWeights({ nGroups: 4, etaQ: 0.1 });
    const ma = new MovingLogMeanExp({ lambda: 1, gamma: 0.5 });
    const perSample = (x: tf.Tensor) => tf.square(tf.sub(tf.squeeze(tf.matMul(x, w), [1]), y)) as tf.Tensor1D;
    const history: number[] = [];
    const step = () => {
      const adv = inputAdversary(perSample, X, { form: 'penalized', gamma: 5, steps: 2 });
      const cost = opt.minimize(
        () => {
          const l = perSample(adv.x);
          const { means } = groupMeans(l, groups, 4);
          const g = gdro.step(means).loss;
          const m = ma.update(l);
          const total = tf.addN([robustLoss(l, { kind: 'cvar', alpha: 0.5 }), g, m.surrogate]) as tf.Scalar;
          m.weights.dispose();
          return total;
        },
        true,
        [w],
      );
      history.push(cost!.dataSync()[0]!);
      cost!.dispose();
      adv.x.dispose();
    };
    expectNoLeak(step, { repeats: 100, warmup: 1 });
    expect(history.at(-1)!).toBeLessThan(history[0]!);
    opt.dispose();
    tf.dispose([X, y, w]);
  });
});
