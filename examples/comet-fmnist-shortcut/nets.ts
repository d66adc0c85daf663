// The example's networks (spec §10.2), initialised U(±1/√fan_in) from a seeded dro-core stream (PyTorch's
// default, dro-core's seedLayerWeights), so that a seed fixes the initial weights on every backend.
import { seedLayerWeights } from '@drojs/dro-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** conv 3×3 (8) → ReLU → max-pool 2 → conv 3×3 (16) → ReLU → max-pool 2 → flatten → dense 10. */
export function buildClassifier(label: string): tfl.Sequential {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 10 }));
  return seedLayerWeights(m, label);
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
  return seedLayerWeights(m, label);
}
