// Tiny seeded networks for the tests (function nets with their variables: fast on both backends).
import { createRng } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';

function uniform(rng: ReturnType<typeof createRng>, shape: number[], scale: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => (2 * rng.uniform() - 1) * scale),
    shape,
  );
}

export interface FnNet {
  apply(x: tf.Tensor, training: boolean): tf.Tensor;
  variables: tf.Variable[];
  dispose(): void;
}

/** tanh(conv 3×3, 2 filters, same) → flatten → dense K. */
export function tinyClassifier(seed: string, h: number, w: number, c: number, k: number): FnNet {
  const rng = createRng(seed);
  const vars = [
    tf.variable(uniform(rng, [3, 3, c, 2], 0.5)),
    tf.variable(uniform(rng, [2], 0.1)),
    tf.variable(uniform(rng, [h * w * 2, k], 0.5)),
    tf.variable(uniform(rng, [k], 0.1)),
  ];
  return {
    variables: vars,
    apply: (x) =>
      tf.tidy(() => {
        const a = tf.tanh(tf.add(tf.conv2d(x as tf.Tensor4D, vars[0] as tf.Tensor4D, 1, 'same'), vars[1]!));
        return tf.add(tf.matMul(tf.reshape(a, [x.shape[0]!, h * w * 2]), vars[2] as tf.Tensor2D), vars[3]!);
      }),
    dispose: () => {
      for (const v of vars) v.dispose();
    },
  };
}

/** conv 3×3 (1 filter, same) → average pool `pool` → `[B, h/pool, w/pool, 1]` mask logits. */
export function tinySelector(seed: string, c: number, pool: number): FnNet {
  const rng = createRng(seed);
  const vars = [tf.variable(uniform(rng, [3, 3, c, 1], 0.8)), tf.variable(uniform(rng, [1], 0.2))];
  return {
    variables: vars,
    apply: (x) =>
      tf.tidy(() =>
        tf.avgPool(
          tf.add(tf.conv2d(x as tf.Tensor4D, vars[0] as tf.Tensor4D, 1, 'same'), vars[1]!) as tf.Tensor4D,
          pool,
          pool,
          'valid',
        ),
      ),
    dispose: () => {
      for (const v of vars) v.dispose();
    },
  };
}

/** Seeded uniform data `[shape]` in [lo, hi). */
export function uniformData(seed: string, shape: number[], lo = 0, hi = 1): tf.Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform()),
    shape,
  );
}
