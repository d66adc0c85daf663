import * as tf from '@tensorflow/tfjs-core';
import { layers, type Sequential, sequential } from '@tensorflow/tfjs-layers';

/**
 * A `tf.Sequential` of dense layers from `W [in, out]` and biases, ReLU after every hidden layer and a
 * linear output: the networks of the vectors. Layer `l` of the model is hidden layer `l`.
 */
export function mlpFromWeights(weights: number[][][], biases: number[][]): Sequential {
  const model = sequential();
  weights.forEach((w, l) => {
    const last = l === weights.length - 1;
    model.add(
      layers.dense({
        units: w[0]!.length,
        activation: last ? 'linear' : 'relu',
        ...(l === 0 ? { inputShape: [w.length] } : {}),
      }),
    );
  });
  tf.tidy(() => model.setWeights(weights.flatMap((w, l) => [tf.tensor2d(w), tf.tensor1d(biases[l]!)])));
  return model;
}
