import { DroError, describeValue } from '@drojs/dro-core/host';
import * as tf from '@tensorflow/tfjs-core';
import { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * A function model that exposes its activations: it calls `hook(layer, h)` wherever a map may go and
 * continues with what the hook returns. `layer` is the caller's own numbering (0, 1, … in forward order).
 */
export type HookedFunction = (x: tf.Tensor, hook: (layer: number, h: tf.Tensor) => tf.Tensor) => tf.Tensor;

/**
 * What steering works on: a `tf.LayersModel` whose layers form a chain (every `tf.Sequential`, or a
 * functional model in which each layer reads the previous one) or a {@link HookedFunction}.
 * For a layers model, layer `i` is `model.layers[i]`, and a map at `i` acts on that layer's output — for a
 * `Dense` with a fused `relu`, after the ReLU.
 */
export type SteerTarget = LayersModel | HookedFunction;

/** A layer given by its index in `model.layers` (or the hook's number) or, for layers models, by its name. */
export type LayerRef = number | string;

function chainLayers(model: LayersModel, caller: string): LayersModel['layers'] {
  const layers = model.layers;
  // A functional graph that is not a chain would be walked in the wrong order; refuse it rather than guess.
  let previous: string | null = null;
  for (const layer of layers) {
    const inbound = layer.inboundNodes.flatMap((n) => n.inboundLayers.map((l) => l.name));
    if (layer.getClassName() === 'InputLayer') {
      previous = layer.name;
      continue;
    }
    if (previous !== null && (inbound.length !== 1 || inbound[0] !== previous) && inbound.length > 0) {
      throw new DroError('E_SPEC', `${caller}: only chain-shaped layers models are supported`, {
        argument: 'model',
        expected: 'a tf.Sequential or a functional model whose layers each read the previous one',
        received: `layer ${layer.name} reads [${inbound.join(', ')}]`,
      });
    }
    previous = layer.name;
  }
  return layers;
}

/** Throws `E_SPEC` unless `model` is a layers model or a function. */
export function checkTarget(model: unknown, caller: string): asserts model is SteerTarget {
  if (!(model instanceof LayersModel) && typeof model !== 'function') {
    throw new DroError('E_SPEC', `${caller}: model must be a tf.LayersModel or a hooked function`, {
      argument: 'model',
      received: describeValue(model),
    });
  }
}

/**
 * Resolves layer references to indices: names through `model.layers`, indices checked against its length
 * (`E_INDEX_RANGE`). For a hooked function only non-negative integers are accepted; whether the function
 * calls the hook with that number is checked when it runs.
 */
export function resolveLayers(model: SteerTarget, layers: readonly LayerRef[], caller: string): number[] {
  if (!Array.isArray(layers)) {
    throw new DroError('E_SPEC', `${caller}: layers must be an array`, {
      argument: 'layers',
      received: describeValue(layers),
    });
  }
  if (layers.length === 0) {
    throw new DroError('E_EMPTY', `${caller}: layers must name at least one layer`, { argument: 'layers' });
  }
  const modelLayers = model instanceof LayersModel ? chainLayers(model, caller) : null;
  const out: number[] = [];
  layers.forEach((ref, i) => {
    let index: number;
    if (typeof ref === 'string') {
      index = modelLayers ? modelLayers.findIndex((l) => l.name === ref) : -1;
      if (index < 0) {
        throw new DroError('E_INDEX_RANGE', `${caller}: no layer named ${JSON.stringify(ref)}`, {
          argument: `layers[${i}]`,
          received: ref,
        });
      }
    } else if (typeof ref === 'number' && Number.isInteger(ref)) {
      index = ref;
      const limit = modelLayers ? modelLayers.length : Number.MAX_SAFE_INTEGER;
      if (index < 0 || index >= limit) {
        throw new DroError('E_INDEX_RANGE', `${caller}: layer index outside the model`, {
          argument: `layers[${i}]`,
          expected: modelLayers ? `an integer in [0, ${limit - 1}]` : 'a non-negative integer',
          received: String(ref),
        });
      }
    } else {
      throw new DroError('E_SPEC', `${caller}: a layer is an index or a name`, {
        argument: `layers[${i}]`,
        received: describeValue(ref),
      });
    }
    if (out.includes(index)) {
      throw new DroError('E_SPEC', `${caller}: layer ${index} is listed twice`, { argument: `layers[${i}]` });
    }
    out.push(index);
  });
  return out;
}

/**
 * Runs `model` on `x`, passing every layer output through `hook(layer, h)`. Layers models run layer by
 * layer with `training: false` (dropout off, batch norm in inference mode). An error the model itself throws
 * (tfjs's shape errors when `x` does not fit the first layer, or anything a hooked function throws) becomes a
 * DroError naming `argument`: `E_SHAPE` for shape and rank faults, `E_SPEC` otherwise.
 */
export function runHooked(
  model: SteerTarget,
  x: tf.Tensor,
  hook: (layer: number, h: tf.Tensor) => tf.Tensor,
  argument = 'x',
): tf.Tensor {
  try {
    if (model instanceof LayersModel) {
      let h = x;
      model.layers.forEach((layer, i) => {
        if (layer.getClassName() !== 'InputLayer') h = layer.apply(h, { training: false }) as tf.Tensor;
        h = hook(i, h);
      });
      return h;
    }
    return model(x, hook);
  } catch (e) {
    if (e instanceof DroError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    const shapeFault = /shape|rank|dimension|inner|incompatible/i.test(message);
    throw new DroError(shapeFault ? 'E_SHAPE' : 'E_SPEC', `the model failed on ${argument}: ${message}`, {
      argument: shapeFault ? argument : 'model',
      received: `shape [${x.shape.join(', ')}]`,
      cause: e,
    });
  }
}

/** The number of output features (last axis) of each of `layers` on a one-row probe of `x`. */
export function layerWidths(model: SteerTarget, x: tf.Tensor, layers: readonly number[], argument = 'x'): number[] {
  return tf.tidy(() => {
    const widths = new Map<number, number>();
    runHooked(
      model,
      tf.slice(x, 0, 1),
      (layer, h) => {
        if (layers.includes(layer)) widths.set(layer, h.shape[h.shape.length - 1] ?? 1);
        return h;
      },
      argument,
    );
    return layers.map((l, i) => {
      const w = widths.get(l);
      if (w === undefined) {
        throw new DroError('E_INDEX_RANGE', 'the model never reached this layer', {
          argument: `layers[${i}]`,
          received: String(l),
        });
      }
      return w;
    });
  });
}
