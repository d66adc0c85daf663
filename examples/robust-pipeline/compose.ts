// The pipeline in one small program on toy data (the root README's "Compose the packages" block): `tsx compose.ts`.

import { injectLabelNoise } from '@drojs/datasets';
import { createRng, initBackend, seedLayerWeights } from '@drojs/dro-core';
import { LDR_NOISY_LABEL_PRESET, ldrKlLoss } from '@drojs/ldr-loss';
import { classifierFeatures, SdmEstimator } from '@drojs/sdm';
import { certify, trainWithNoise } from '@drojs/smoothing';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

await initBackend();
// Three Gaussian blobs in 8 dimensions (stand-ins for images), 20 % of the training labels flipped.
const rng = createRng(0);
const blobs = (n: number) => {
  const y = Int32Array.from({ length: n }, (_, i) => i % 3);
  const x = Float32Array.from(
    { length: n * 8 },
    (_, j) => 0.3 * rng.normal() + (j % 8 === y[Math.floor(j / 8)] ? 1 : 0),
  );
  return { x: tf.tensor2d(x, [n, 8]), y };
};
const train = blobs(600);
const support = blobs(300);
const calibration = blobs(300);
const test = blobs(5);
const noisy = injectLabelNoise(train.y, { type: 'symmetric', rate: 0.2, numClasses: 3, seed: 0 });

// One seed fixes the initial weights on every backend; the LDR-KL loss replaces cross-entropy.
const model = seedLayerWeights(
  tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [8], units: 16, activation: 'relu', name: 'h1' }),
      tfl.layers.dense({ units: 3, name: 'logits' }),
    ],
  }),
  0,
);
const optimizer = tf.train.adam(0.01);
await trainWithNoise(model, train.x, tf.tensor1d(noisy.labels, 'int32'), {
  noise: 0.25,
  epochs: 30,
  batchSize: 64,
  seed: 0,
  optimizer,
  loss: (logits, labels) => ldrKlLoss(logits, labels, LDR_NOISY_LABEL_PRESET),
});
optimizer.dispose();

// Frozen SDM judges the model's own label; smoothing certifies the smoothed classifier's. Unit-length
// exemplars (normalize: 'l2') keep SDM's distance term from collapsing when classes spread differently.
const features = (x: tf.Tensor2D) => classifierFeatures(model, x, { embed: ['h1'], normalize: 'l2' });
const sdm = await SdmEstimator.fitFrozen(
  { ...features(support.x), labels: support.y, calibration: { ...features(calibration.x), labels: calibration.y } },
  { numClasses: 3 },
);
const judged = await sdm.predict(features(test.x).embeddings, features(test.x).logits);
for (let i = 0; i < 5; i++) {
  const x = tf.reshape(tf.slice(test.x, [i, 0], [1, 8]), [8]);
  const c = await certify(model, x, { numClasses: 3, noise: 0.25, n: 1000, seed: i });
  console.log(
    `label ${test.y[i]}: certified ${c.prediction} (radius ${c.radius.toFixed(2)}), SDM ${judged[i]?.label} ${judged[i]?.reliability}`,
  );
}
