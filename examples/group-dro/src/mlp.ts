import { type Rng, seededWeights } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';

/** A small MLP classifier `d → hidden (ReLU) → k` whose forward pass returns logits (no softmax). */
export interface Mlp {
  apply(x: tf.Tensor2D): tf.Tensor2D;
  variables: tf.Variable[];
  /** Sum of squared weights (biases excluded), for an explicit ℓ2 penalty. */
  l2(): tf.Scalar;
  dispose(): void;
}

export function createMlp(dims: { input: number; hidden: number; output: number }, rng: Rng): Mlp {
  const { input, hidden, output } = dims;
  // PyTorch's nn.Linear default U(±1/√fan_in) for weights and biases, from the seeded host stream.
  const [v1, c1, v2, c2] = seededWeights([[input, hidden], [hidden], [hidden, output], [output]], rng) as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  const w1 = tf.variable(tf.tensor2d(v1, [input, hidden]));
  const b1 = tf.variable(tf.tensor1d(c1));
  const w2 = tf.variable(tf.tensor2d(v2, [hidden, output]));
  const b2 = tf.variable(tf.tensor1d(c2));
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
