import type { Rng } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';

/** A small MLP classifier `d → hidden (ReLU) → k` whose forward pass returns logits (no softmax). */
export interface Mlp {
  apply(x: tf.Tensor2D): tf.Tensor2D;
  variables: tf.Variable[];
  /** Sum of squared weights (biases excluded), for an explicit ℓ2 penalty. */
  l2(): tf.Scalar;
  dispose(): void;
}

/** Uniform(−1/√fan_in, 1/√fan_in) from the host RNG, like PyTorch's `nn.Linear` default. */
function linearInit(rng: Rng, fanIn: number, size: number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  return Float32Array.from({ length: size }, () => (2 * rng.uniform() - 1) * bound);
}

export function createMlp(dims: { input: number; hidden: number; output: number }, rng: Rng): Mlp {
  const { input, hidden, output } = dims;
  const w1 = tf.variable(tf.tensor2d(linearInit(rng, input, input * hidden), [input, hidden]));
  const b1 = tf.variable(tf.tensor1d(linearInit(rng, input, hidden)));
  const w2 = tf.variable(tf.tensor2d(linearInit(rng, hidden, hidden * output), [hidden, output]));
  const b2 = tf.variable(tf.tensor1d(linearInit(rng, hidden, output)));
  return {
    apply: (x) => tf.tidy(() => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2)),
    variables: [w1, b1, w2, b2],
    l2: () => tf.tidy(() => tf.add(tf.sum(tf.square(w1)), tf.sum(tf.square(w2)))),
    dispose: () => {
      for (const v of [w1, b1, w2, b2]) v.dispose();
    },
  };
}

/** Per-row cross-entropy of logits against int labels given as a one-hot float tensor. */
export function crossEntropyPerRow(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), oneHot), 1)) as tf.Tensor1D);
}
