// The example's networks (spec §10.2), initialised U(±1/√fan_in) from a seeded dro-core stream (PyTorch's
// default), so that a seed fixes the initial weights on every backend.
import { createRng } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

function seedWeights(model: tfl.Sequential, label: string): tfl.Sequential {
  const rng = createRng(label);
  const weights = model.getWeights();
  const fresh: tf.Tensor[] = [];
  for (let i = 0; i < weights.length; i += 2) {
    const k = weights[i]!;
    const fanIn = k.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const bound = 1 / Math.sqrt(fanIn);
    const draw = (n: number) => Float32Array.from({ length: n }, () => (2 * rng.uniform() - 1) * bound);
    fresh.push(tf.tensor(draw(k.size), k.shape), tf.tensor(draw(weights[i + 1]!.size), weights[i + 1]!.shape));
  }
  model.setWeights(fresh);
  for (const t of fresh) t.dispose();
  return model;
}

/** conv 3×3 (8) → ReLU → max-pool 2 → conv 3×3 (16) → ReLU → max-pool 2 → flatten → dense 10. */
export function buildClassifier(label: string): tfl.Sequential {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 10 }));
  return seedWeights(m, label);
}

/** conv 3×3 (8) → pool → conv 3×3 (16) → pool → conv 3×3 (16) → conv 1×1 (1): 7×7 mask logits. */
export function buildSelector(label: string): tfl.Sequential {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.conv2d({ filters: 1, kernelSize: 1 }));
  return seedWeights(m, label);
}
