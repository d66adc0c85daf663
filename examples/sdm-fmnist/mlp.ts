import { type Rng, randomUniform } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** MLP 784–256–128–C with ReLU; layers named h1, h2, logits. */
export function buildMlp(numClasses: number, rng: Rng): tfl.Sequential {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [784], units: 256, activation: 'relu', name: 'h1' }),
      tfl.layers.dense({ units: 128, activation: 'relu', name: 'h2' }),
      tfl.layers.dense({ units: numClasses, name: 'logits' }),
    ],
  });
  // PyTorch-style initialisation U(−1/√fan_in, 1/√fan_in) for kernels and biases, from the seeded stream.
  const weights: tf.Tensor[] = [];
  for (const [fanIn, fanOut] of [
    [784, 256],
    [256, 128],
    [128, numClasses],
  ] as const) {
    const b = 1 / Math.sqrt(fanIn);
    weights.push(randomUniform([fanIn, fanOut], rng, { min: -b, max: b }));
    weights.push(randomUniform([fanOut], rng, { min: -b, max: b }));
  }
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

/** Adam lr 1e-3, batch 128, cross-entropy, seeded batch order. */
export async function trainMlp(
  model: tfl.Sequential,
  x: Float32Array,
  y: Int32Array,
  numClasses: number,
  epochs: number,
  rng: Rng,
  log: (s: string) => void,
): Promise<void> {
  const n = y.length;
  const opt = tf.train.adam(1e-3);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const xb = new Float32Array(128 * 784);
  const yb = new Int32Array(128);
  for (let e = 0; e < epochs; e++) {
    const t0 = Date.now();
    rng.shuffle(order);
    let total = 0;
    for (let s = 0; s < n; s += 128) {
      const r = Math.min(128, n - s);
      for (let i = 0; i < r; i++) {
        const j = order[s + i]!;
        xb.set(x.subarray(j * 784, (j + 1) * 784), i * 784);
        yb[i] = y[j]!;
      }
      const loss = tf.tidy(() => {
        const xt = tf.tensor2d(xb.subarray(0, r * 784), [r, 784]);
        const yt = tf.oneHot(tf.tensor1d(yb.subarray(0, r), 'int32'), numClasses);
        const cost = opt.minimize(
          () => tf.losses.softmaxCrossEntropy(yt, model.apply(xt) as tf.Tensor) as tf.Scalar,
          true,
        );
        return cost as tf.Scalar;
      });
      total += (await loss.data())[0]! * r;
      loss.dispose();
    }
    log(`  MLP epoch ${e + 1}/${epochs}: loss ${(total / n).toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  opt.dispose();
}
