import type * as tf from '@tensorflow/tfjs-core';
import { DroError } from './errors.js';

/** A layers model with a `predict` method (structural, so tfjs-layers' class need not be imported). */
export interface PredictingModel {
  predict(x: tf.Tensor | tf.Tensor[], config?: unknown): tf.Tensor | tf.Tensor[];
}

/** A classifier maps a batch of inputs to logits: a tf.LayersModel or a plain function. */
export type Classifier = PredictingModel | ((x: tf.Tensor) => tf.Tensor);

/** Runs a classifier on a batch and returns its logits tensor (caller owns it). */
export function applyClassifier(model: Classifier, x: tf.Tensor): tf.Tensor {
  const out = typeof model === 'function' ? model(x) : model.predict(x);
  if (Array.isArray(out)) {
    throw new DroError('E_SHAPE', 'model returned several outputs', {
      argument: 'model',
      expected: 'a single logits tensor',
      received: `${out.length} tensors`,
    });
  }
  return out;
}
