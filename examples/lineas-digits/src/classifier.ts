import { createRng, seededWeights } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { layers, type Sequential, sequential } from '@tensorflow/tfjs-layers';
import { type Digits, rowsOf } from './digits.js';

const SIZES = [64, 32, 32, 10];

/**
 * The protocol's classifier (spec §7.2–7.3): MLP 64 → 32 → 32 → 10 with ReLU after both hidden layers,
 * Glorot-uniform weights `(2u − 1)·sqrt(6/(in + out))` from `createRng(prefix + "/init")` in row-major order,
 * zero biases; softmax cross-entropy, Adam (lr 0.01, β 0.9/0.999, ε 1e-7), 40 epochs of batches of 50 in
 * the order of `createRng(prefix + "/batches").shuffle(…)` drawn afresh every epoch. Trained on plain
 * variables, then loaded into a `tf.Sequential` (the model steering works on; layers 0 and 1 are the ReLUs).
 */
export function trainClassifier(data: Digits, train: readonly number[], prefix: string, epochs = 40): Sequential {
  const shapes = SIZES.slice(1).flatMap((nOut, l) => [[SIZES[l]!, nOut], [nOut]]);
  const init = seededWeights(shapes, createRng(`${prefix}/init`), { scheme: 'glorot-uniform' });
  const params = init.map((v, i) => tf.variable(tf.tensor(v, shapes[i])));
  const forward = (x: tf.Tensor) => {
    let h = x;
    for (let l = 0; l < 3; l++) {
      h = tf.add(tf.matMul(h, params[2 * l]!), params[2 * l + 1]!);
      if (l < 2) h = tf.relu(h);
    }
    return h;
  };
  const optimizer = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
  const batches = createRng(`${prefix}/batches`);
  const labels = train.map((r) => data.labels[r]!);
  for (let e = 0; e < epochs; e++) {
    const order = batches.shuffle(Array.from({ length: train.length }, (_, i) => i));
    for (let b = 0; b < order.length; b += 50) {
      const idx = order.slice(b, b + 50);
      tf.tidy(() => {
        const x = tf.tensor2d(
          rowsOf(
            data,
            idx.map((i) => train[i]!),
          ),
          [idx.length, 64],
        );
        const y = tf.oneHot(
          tf.tensor1d(
            idx.map((i) => labels[i]!),
            'int32',
          ),
          10,
        );
        optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(x)) as tf.Scalar, false, params);
      });
    }
  }
  optimizer.dispose();
  const model = sequential();
  for (let l = 0; l < 3; l++) {
    model.add(
      layers.dense({
        units: SIZES[l + 1]!,
        activation: l < 2 ? 'relu' : 'linear',
        ...(l === 0 ? { inputShape: [64] } : {}),
      }),
    );
  }
  model.setWeights(params);
  for (const p of params) p.dispose();
  return model;
}
