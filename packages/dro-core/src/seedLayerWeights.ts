import * as tf from '@tensorflow/tfjs-core';
import { DroError, describeValue } from './errors.js';
import type { Rng } from './rng.js';
import { type SeededWeightsOptions, seededWeights } from './seededWeights.js';
import type { Seed } from './validate/seed.js';

/** The part of a tfjs-layers model (or layer) that {@link seedLayerWeights} uses. */
export interface HasWeights {
  getWeights(): tf.Tensor[];
  setWeights(weights: tf.Tensor[]): void;
}

/**
 * Replaces every weight of a built tfjs-layers model (dense/convolution kernels and biases) by
 * {@link seededWeights} drawn from `source` (a seed or an `Rng`), so a seed fixes the initial weights on
 * every backend. Returns the model. No tensors are left behind.
 * @example
 * const model = seedLayerWeights(tfl.sequential({ layers: [...] }), 42);              // PyTorch-style
 * seedLayerWeights(other, 'run-3/init', { scheme: 'glorot-uniform' });                // Keras-style
 * @throws DroError E_SPEC when `model` has no getWeights/setWeights; E_SHAPE when a rank-1 weight has no
 *   kernel before it (e.g. batch-normalisation statistics, which this does not initialise).
 */
export function seedLayerWeights<T extends HasWeights>(model: T, source: Seed | Rng, opts?: SeededWeightsOptions): T {
  const m = model as Partial<HasWeights> | null | undefined;
  if (!m || typeof m.getWeights !== 'function' || typeof m.setWeights !== 'function')
    throw new DroError('E_SPEC', 'seedLayerWeights: model must have getWeights and setWeights (a tfjs-layers model)', {
      argument: 'model',
      received: describeValue(model),
    });
  const current = model.getWeights();
  const shapes = current.map((w) => w.shape);
  const values = seededWeights(shapes, source, opts);
  const fresh = values.map((v, i) => tf.tensor(v, shapes[i], 'float32'));
  try {
    model.setWeights(fresh);
  } finally {
    tf.dispose(fresh);
  }
  return model;
}
