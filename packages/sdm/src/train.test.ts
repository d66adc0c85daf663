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
});
