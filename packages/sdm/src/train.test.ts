import { createRng } from '@drojs/dro-core';
import { describeBackends, expectNoLeak } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { adaptorForward, disposeWeights, initAdaptorWeights, uploadWeights } from './adaptor.js';
import { classifierFeatures } from './features.js';
import { sdmLoss } from './loss.js';
import { sdmTrainStep } from './train.js';

describeBackends('training step and features', () => {
  it('one SDM training step repeated 100 times leaves numTensors constant and lowers the loss', () => {
    const rng = createRng(0);
    const w = uploadWeights(initAdaptorWeights('linear', 5, 4, 3, rng), 5, 4, 3, true);
    const opt = tf.train.adam(1e-2, 0.9, 0.999, 1e-8);
    const x = tf.tensor2d(
      Float32Array.from({ length: 40 }, () => rng.normal()),
      [8, 5],
    );
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32');
    const q = tf.tensor1d([3, 3, 3, 0, 1, 9, 2, 2]);
    const d = tf.tensor1d([1, 0.5, 0.2, 1, 1, 0.3, 0.9, 0.7]);
    const loss = () => tf.tidy(() => (sdmLoss(adaptorForward(w, x).logits, y, q, d) as tf.Scalar).arraySync());
    const before = loss();
    expectNoLeak(() => tf.tidy(() => sdmTrainStep(opt, w, x, y, q, d)), { warmup: 1, repeats: 100 });
    expect(loss()).toBeLessThan(0.5 * before);
    disposeWeights(w);
    opt.dispose();
    tf.dispose([x, y, q, d]);
  });

  it('classifierFeatures concatenates named hidden layers and leaks nothing else', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [4], units: 5, activation: 'relu', name: 'h1' }),
        tfl.layers.dense({ units: 3, activation: 'relu', name: 'h2' }),
        tfl.layers.dense({ units: 2, name: 'out' }),
      ],
    });
    const x = tf.randomNormal([7, 4], 0, 1, 'float32', 3);
    const { embeddings, logits } = classifierFeatures(model, x, { embed: ['h1', 'h2'], batchSize: 3 });
    expect(embeddings.shape).toEqual([7, 8]);
    expect(logits.shape).toEqual([7, 2]);
    const direct = tf.tidy(() => (model.predict(x) as tf.Tensor).arraySync());
    expect(logits.arraySync()).toEqual(direct);
    tf.dispose([embeddings, logits]);
    expectNoLeak(
      () => {
        const r = classifierFeatures(model, x, {
          embed: (b) => tf.tidy(() => tf.relu(b) as tf.Tensor2D),
          batchSize: 4,
        });
        return [r.embeddings, r.logits];
      },
      { repeats: 5 },
    );
    x.dispose();
    model.dispose();
  });

  it("classifierFeatures normalize: 'l2' gives unit rows in the same directions, keeps a zero row at zero, leaves logits alone", () => {
    const x = tf.tensor2d([
      [3, 4, 0],
      [0, 0, 0],
      [-1e-20, 2e-20, 0],
      [1e20, 0, -1e20],
    ]);
    const identity = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2, name: 'out' })] });
    const raw = classifierFeatures(identity, x, { embed: (b) => b as tf.Tensor2D });
    const unit = classifierFeatures(identity, x, { embed: (b) => b as tf.Tensor2D, normalize: 'l2', batchSize: 3 });
    const u = unit.embeddings.arraySync();
    expect(u[0]).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6), 0]);
    expect(u[1]).toEqual([0, 0, 0]);
    // Extreme scales: float32 cannot square 1e20 or 1e-20; the row must still come out unit length.
    for (const row of [u[2]!, u[3]!]) expect(Math.hypot(...row)).toBeCloseTo(1, 5);
    expect(u[2]![1]! / -u[2]![0]!).toBeCloseTo(2, 5);
    expect(unit.logits.arraySync()).toEqual(raw.logits.arraySync());
    expect(() => classifierFeatures(identity, x, { embed: (b) => b as tf.Tensor2D, normalize: 'L2' as 'l2' })).toThrow(
      /normalize/,
    );
    expectNoLeak(
      () => {
        const r = classifierFeatures(identity, x, { embed: (b) => b as tf.Tensor2D, normalize: 'l2', batchSize: 3 });
        return [r.embeddings, r.logits];
      },
      { repeats: 5 },
    );
    tf.dispose([raw.embeddings, raw.logits, unit.embeddings, unit.logits, x]);
    identity.dispose();
  });
});
