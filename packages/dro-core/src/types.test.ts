import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { describeBackends, expectNoLeak } from './testing/index.js';
import { applyClassifier } from './types.js';

function model(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(
    tfl.layers.dense({ units: 16, inputShape: [4], kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
  );
  m.add(tfl.layers.dropout({ rate: 0.5, seed: 2 }));
  m.add(tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }));
  return m;
}

describeBackends('applyClassifier', () => {
  it('runs a layers model on the whole batch, in inference mode by default and training mode on request', () => {
    const m = model();
    const x = tf.tensor2d(
      Array.from({ length: 100 * 4 }, (_, i) => Math.sin(i)),
      [100, 4],
    );
    const inference = applyClassifier(m, x);
    const predicted = m.predict(x) as tf.Tensor;
    expect(inference.shape).toEqual([100, 3]);
    const gap = tf.max(tf.abs(tf.sub(inference, predicted))).dataSync()[0]!;
    expect(gap).toBeLessThan(1e-5);
    // Dropout is active only in training mode: its outputs differ from inference (rate 0.5, 300 logits).
    const training = applyClassifier(m, x, { training: true });
    const diff = tf.max(tf.abs(tf.sub(training, inference))).dataSync()[0]!;
    expect(diff).toBeGreaterThan(1e-3);
    const g = tf.grad((w: tf.Tensor) => tf.sum(applyClassifier(m, tf.mul(x, w), { training: true })))(tf.scalar(1));
    expect(Number.isFinite(g.dataSync()[0]!)).toBe(true);
    tf.dispose([x, inference, predicted, training, g]);
    m.dispose();
  });
  it('leaks nothing and accepts plain function models', () => {
    const x = tf.ones([5, 2]);
    expectNoLeak(() => applyClassifier((t) => tf.mul(t, 2), x), { repeats: 10 });
    x.dispose();
  });
});
