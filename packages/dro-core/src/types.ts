import type * as tf from '@tensorflow/tfjs-core';
import { DroError } from './errors.js';

/**
 * A layers model (structural, so tfjs-layers' class need not be imported): `predict`, and `apply` where the model
 * has it (every `tf.LayersModel` does), which runs the whole batch at once and honours `training`.
 */
export interface PredictingModel {
  predict(x: tf.Tensor | tf.Tensor[], config?: unknown): tf.Tensor | tf.Tensor[];
  apply?(x: tf.Tensor | tf.Tensor[], kwargs?: { training?: boolean }): unknown;
}

export interface ApplyClassifierOptions {
  /**
   * Run the model in training mode (dropout active, batch-norm on batch statistics): pass `true` inside
   * gradient closures. Default false (inference).
   */
  training?: boolean;
}

/** A classifier maps a batch of inputs to logits: a tf.LayersModel or a plain function. */
export type Classifier = PredictingModel | ((x: tf.Tensor) => tf.Tensor);

/**
 * Runs a classifier on a whole batch and returns its logits tensor (caller owns it). A layers model runs
 * through `apply(x, {training})` — not `predict`, which cuts every batch into pieces of 32 and always runs in
 * inference mode, wrong inside a training closure and several times slower on large batches.
 */
export function applyClassifier(model: Classifier, x: tf.Tensor, opts: ApplyClassifierOptions = {}): tf.Tensor {
  const training = opts.training ?? false;
  const out =
    typeof model === 'function'
      ? model(x)
      : typeof model.apply === 'function'
        ? (model.apply(x, { training }) as tf.Tensor | tf.Tensor[])
        : model.predict(x, { batchSize: Math.max(1, x.shape[0] ?? 1) });
  if (Array.isArray(out)) {
    throw new DroError('E_SHAPE', 'model returned several outputs', {
      argument: 'model',
      expected: 'a single logits tensor',
      received: `${out.length} tensors`,
    });
  }
  return out;
}
