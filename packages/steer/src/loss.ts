import { sortedW2 } from '@drojs/dro-core';
import { checkOptions, DroError, describeValue, opt } from '@drojs/dro-core/host';
import * as tf from '@tensorflow/tfjs-core';
import { capture, checkRunArgs } from './activations.js';
import type { SteerTarget } from './intercept.js';
import { SteerMaps } from './maps.js';

/** Reductions of the LinEAS loss. */
export interface LineasLossOptions {
  /** Over layers: `'mean'` (default) or `'sum'`. */
  layerReduction?: 'mean' | 'sum';
  /** Over the neurons of a layer: `'mean'` (default) or `'sum'`. */
  neuronReduction?: 'mean' | 'sum';
  /** Token axes: `'mean'` pools them (default), `'none'` treats every token as a sample. */
  pooling?: 'mean' | 'none';
}

/** The loss and its per-layer terms. */
export interface LineasLoss {
  value: tf.Scalar;
  perLayer: tf.Tensor1D;
}

const LOSS_OPTIONS = {
  layerReduction: opt.oneOf(['mean', 'sum']),
  neuronReduction: opt.oneOf(['mean', 'sum']),
  pooling: opt.oneOf(['mean', 'none']),
};

/** Validates loss options (unknown keys and values → `E_SPEC`); returns them with defaults. */
export function checkLossOptions(opts: LineasLossOptions | undefined, caller: string): Required<LineasLossOptions> {
  const o = checkOptions(opts, LOSS_OPTIONS, caller);
  return {
    layerReduction: o.layerReduction ?? 'mean',
    neuronReduction: o.neuronReduction ?? 'mean',
    pooling: o.pooling ?? 'mean',
  };
}

/** Throws `E_SHAPE` unless source and target rows have the same shape (they go through one network). */
export function checkSameFeatures(source: tf.Tensor, target: tf.Tensor, caller: string): void {
  const a = source.shape.slice(1).join(', ');
  const b = target.shape.slice(1).join(', ');
  if (a !== b) {
    throw new DroError('E_SHAPE', `${caller}: source and target rows must have the same shape`, {
      argument: 'target',
      expected: `rows of shape [${a}]`,
      received: `rows of shape [${b}]`,
    });
  }
}

/**
 * The loss given precomputed target activations (one per map layer, unmodified network): the fitting loop
 * computes them once. Differentiable in the maps.
 */
export function lossFromTargets(
  model: SteerTarget,
  source: tf.Tensor,
  targets: readonly tf.Tensor2D[],
  maps: SteerMaps,
  o: Required<LineasLossOptions>,
): LineasLoss {
  const [value, perLayer] = tf.tidy(() => {
    const z = capture(model, source, maps.layers, maps, o.pooling, 'source', 'lineasLoss');
    const terms = z.map((zl, k) => {
      const tl = targets[k]!;
      if (zl.shape[1] !== tl.shape[1]) {
        throw new DroError('E_SHAPE', `the source and target activations differ in width at layer ${maps.layers[k]}`, {
          argument: 'target',
          expected: `${zl.shape[1]} features`,
          received: `${tl.shape[1]}`,
        });
      }
      return sortedW2(zl, tl, { reduction: o.neuronReduction }) as tf.Scalar;
    });
    const perLayer = tf.stack(terms) as tf.Tensor1D;
    const value = (o.layerReduction === 'sum' ? tf.sum(perLayer) : tf.mean(perLayer)) as tf.Scalar;
    return [value, perLayer];
  }) as [tf.Scalar, tf.Tensor1D];
  return { value, perLayer };
}

/**
 * The LinEAS loss: the mean (or sum) over the map layers of the per-neuron exact 1-D W₂² between the
 * source activations with **all** maps on (`z_ℓ`, each layer seeing the steered upstream) and the target
 * activations of the unmodified network (`t_ℓ`); `n_S ≠ n_T` is allowed (quantile coupling). Differentiable
 * in the maps' variables (`tf.variableGrads(() => lineasLoss(...).value, maps.variables())`).
 * @throws DroError `E_DTYPE` (not a float32 tensor), `E_EMPTY` (no rows), `E_SHAPE` (source and target rows
 * differ, maps of the wrong width), `E_INDEX_RANGE` (a map layer the model never reaches), `E_SPEC` (options).
 */
export function lineasLoss(
  model: SteerTarget,
  source: tf.Tensor,
  target: tf.Tensor,
  maps: SteerMaps,
  opts?: LineasLossOptions,
): LineasLoss {
  const caller = 'lineasLoss';
  checkRunArgs(model, source, 'source', caller);
  checkRunArgs(model, target, 'target', caller);
  checkSameFeatures(source, target, caller);
  if (!(maps instanceof SteerMaps)) {
    throw new DroError('E_SPEC', `${caller}: maps must be a SteerMaps`, {
      argument: 'maps',
      received: describeValue(maps),
    });
  }
  const o = checkLossOptions(opts, caller);
  const targets = capture(model, target, maps.layers, null, o.pooling, 'target', caller);
  try {
    return lossFromTargets(model, source, targets, maps, o);
  } finally {
    for (const t of targets) t.dispose();
  }
}
