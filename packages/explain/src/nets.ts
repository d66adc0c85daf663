import { applyClassifier, type Classifier, DroError, describeValue } from '@drojs/dro-core';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * A network the trainer updates: a LayersModel (its trainable weights) or a function with its variables
 * (`apply(x, training)` returns logits or mask logits).
 */
export type TrainableNet =
  | { apply(x: tf.Tensor, kwargs?: { training?: boolean }): unknown; trainableWeights: { read(): tf.Tensor }[] }
  | { apply(x: tf.Tensor, training: boolean): tf.Tensor; variables: tf.Variable[] };

function isFunctionNet(
  net: unknown,
): net is { apply(x: tf.Tensor, training: boolean): tf.Tensor; variables: tf.Variable[] } {
  return (
    typeof net === 'object' &&
    net !== null &&
    Array.isArray((net as { variables?: unknown }).variables) &&
    typeof (net as { apply?: unknown }).apply === 'function'
  );
}

function isLayersNet(net: unknown): boolean {
  return (
    typeof net === 'object' &&
    net !== null &&
    Array.isArray((net as { trainableWeights?: unknown }).trainableWeights) &&
    typeof (net as { apply?: unknown }).apply === 'function'
  );
}

/** Throws E_SPEC unless `net` is a TrainableNet. @internal */
export function checkTrainable(net: unknown, argument: string, caller: string): TrainableNet {
  if (!isFunctionNet(net) && !isLayersNet(net)) {
    throw new DroError('E_SPEC', `${caller}: ${argument} must be a LayersModel or {apply, variables}`, {
      argument,
      expected: 'a tf.LayersModel or { apply(x, training), variables }',
      received: describeValue(net),
    });
  }
  return net as TrainableNet;
}

/** Throws E_SPEC unless `net` can be called as a classifier (function, LayersModel or TrainableNet). @internal */
export function checkCallable(net: unknown, argument: string, caller: string): void {
  const ok =
    typeof net === 'function' ||
    isFunctionNet(net) ||
    (typeof net === 'object' &&
      net !== null &&
      (typeof (net as { apply?: unknown }).apply === 'function' ||
        typeof (net as { predict?: unknown }).predict === 'function'));
  if (!ok) {
    throw new DroError('E_SPEC', `${caller}: ${argument} is not a model`, {
      argument,
      expected: 'a Classifier (function or LayersModel) or a TrainableNet',
      received: describeValue(net),
    });
  }
}

/** The trainable variables in layer order (kernel, bias, …). @internal */
export function netVariables(net: TrainableNet): tf.Variable[] {
  if (isFunctionNet(net)) return net.variables;
  // LayerVariable.read() returns the underlying tf.Variable.
  return (net as { trainableWeights: { read(): tf.Tensor }[] }).trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Runs any network (Classifier or TrainableNet) on a batch. @internal */
export function runNet(net: Classifier | TrainableNet, x: tf.Tensor, training: boolean): tf.Tensor {
  if (isFunctionNet(net)) return net.apply(x, training);
  return applyClassifier(net as Classifier, x, { training });
}
