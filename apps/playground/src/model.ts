import type { Rng } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';

/** A 784-H-H-10 ReLU MLP as plain variables, exposing its last hidden layer as the embedding SDM uses. */
export interface Mlp {
  vars: tf.Variable[];
  /** Logits `[B, 10]`. */
  logits(x: tf.Tensor2D): tf.Tensor2D;
  /** Last hidden layer and logits. */
  forward(x: tf.Tensor2D): { hidden: tf.Tensor2D; logits: tf.Tensor2D };
  dispose(): void;
}

/** PyTorch `nn.Linear` default initialisation U(−1/√fan_in, 1/√fan_in), drawn on the host from `rng`. */
export function createMlp(sizes: number[], rng: Rng): Mlp {
  const vars: tf.Variable[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l]!;
    const fanOut = sizes[l + 1]!;
    const b = 1 / Math.sqrt(fanIn);
    const w = Float32Array.from({ length: fanIn * fanOut }, () => (2 * rng.uniform() - 1) * b);
    const bias = Float32Array.from({ length: fanOut }, () => (2 * rng.uniform() - 1) * b);
    // A variable shares the initial tensor's data: dispose the initial tensors, or each model leaks them.
    const init = [tf.tensor2d(w, [fanIn, fanOut]), tf.tensor1d(bias)];
    for (const t of init) {
      vars.push(tf.variable(t));
      t.dispose();
    }
  }
  const forward = (x: tf.Tensor2D) =>
    tf.tidy(() => {
      let h: tf.Tensor2D = x;
      let hidden: tf.Tensor2D = x;
      for (let l = 0; l < vars.length; l += 2) {
        h = tf.add(tf.matMul(h, vars[l] as tf.Tensor2D), vars[l + 1]!) as tf.Tensor2D;
        if (l + 2 < vars.length) {
          h = tf.relu(h);
          hidden = h;
        }
      }
      return { hidden, logits: h };
    });
  return {
    vars,
    forward,
    logits(x) {
      return tf.tidy(() => {
        let h: tf.Tensor2D = x;
        for (let l = 0; l < vars.length; l += 2) {
          h = tf.add(tf.matMul(h, vars[l] as tf.Tensor2D), vars[l + 1]!) as tf.Tensor2D;
          if (l + 2 < vars.length) h = tf.relu(h);
        }
        return h;
      });
    },
    dispose() {
      for (const v of vars) v.dispose();
    },
  };
}
