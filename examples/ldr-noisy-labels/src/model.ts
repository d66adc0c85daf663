import { type Rng, seededWeights } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';

/** An MLP D-H-H-K (ReLU, logits out — no softmax) as plain variables, so its step is a plain closure. */
export interface Mlp {
  vars: tf.Variable[];
  /** Logits of a batch `[B, D]`. */
  predict(x: tf.Tensor2D): tf.Tensor2D;
  dispose(): void;
}

/** PyTorch `nn.Linear` default initialisation `U(−1/√fan_in, 1/√fan_in)` for weights and biases (dro-core's `seededWeights`). */
export function createMlp(sizes: number[], rng: Rng): Mlp {
  const shapes = sizes.slice(1).flatMap((fanOut, l) => [[sizes[l]!, fanOut], [fanOut]]);
  const values = seededWeights(shapes, rng);
  const vars = values.map((v, i) =>
    tf.variable(tf.tensor(v, shapes[i]), true, `${i % 2 === 0 ? 'w' : 'b'}${Math.floor(i / 2)}`),
  );
  return {
    vars,
    predict(x) {
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
