import { seedLayerWeights } from '@drojs/dro-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { NUM_CLASSES, PIXELS } from './data.js';

/**
 * MLP 784 → h1 → h2 → 10 (ReLU, logits out: ldr-loss's losses and smoothing's votes both take logits).
 * Layers are named h1, h2, logits so SDM can read [h1 ; h2] as the embedding. Initial weights come from
 * dro-core's `seedLayerWeights` (PyTorch's fan-in uniform from a seeded stream), so a seed fixes them on
 * every backend.
 */
export function buildMlp(hidden: [number, number], seed: string): tfl.Sequential {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [PIXELS], units: hidden[0], activation: 'relu', name: 'h1' }),
      tfl.layers.dense({ units: hidden[1], activation: 'relu', name: 'h2' }),
      tfl.layers.dense({ units: NUM_CLASSES, name: 'logits' }),
    ],
  });
  return seedLayerWeights(model, seed);
}
