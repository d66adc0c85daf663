import { DroError, describeValue } from '@drojs/dro-core/host';
import * as tf from '@tensorflow/tfjs-core';
import { checkTarget, runHooked, type SteerTarget } from './intercept.js';
import { SteerMaps } from './maps.js';

function checkInput(x: unknown, argument: string, caller: string): tf.Tensor {
  if (!(x instanceof tf.Tensor) || x.isDisposed) {
    throw new DroError('E_DTYPE', `${caller}: ${argument} must be a live tensor`, {
      argument,
      received: describeValue(x),
    });
  }
  if (x.dtype !== 'float32') {
    throw new DroError('E_DTYPE', `${caller}: ${argument} must be float32`, { argument, received: x.dtype });
  }
  if (x.rank < 1 || x.shape[0] === 0) {
    throw new DroError('E_EMPTY', `${caller}: ${argument} must hold at least one row`, {
      argument,
      received: `shape [${x.shape.join(', ')}]`,
    });
  }
  return x;
}

/** Validates the shared arguments of the public entry points. */
export function checkRunArgs(model: unknown, x: unknown, argument: string, caller: string): tf.Tensor {
  checkTarget(model, caller);
  return checkInput(x, argument, caller);
}

function checkMaps(maps: unknown, caller: string): SteerMaps | null {
  if (maps === null || maps === undefined) return null;
  if (!(maps instanceof SteerMaps)) {
    throw new DroError('E_SPEC', `${caller}: maps must be a SteerMaps or null`, {
      argument: 'maps',
      received: describeValue(maps),
    });
  }
  return maps;
}

/**
 * The model's output on `x` with `maps` inserted after their layers (`null`: the unmodified model).
 * Each map sees the already steered output of the layers before it. Differentiable in the maps.
 */
export function runWithMaps(model: SteerTarget, x: tf.Tensor, maps: SteerMaps | null): tf.Tensor {
  const caller = 'runWithMaps';
  checkRunArgs(model, x, 'x', caller);
  const m = checkMaps(maps, caller);
  return tf.tidy(() => {
    const reached = new Set<number>();
    const out = runHooked(model, x, (layer, h) => {
      if (!m?.layers.includes(layer)) return h;
      reached.add(layer);
      return m.apply(layer, h);
    });
    const missing = m?.layers.find((l) => !reached.has(l));
    if (missing !== undefined) throw unreached(missing, caller);
    return out;
  });
}

function unreached(layer: number, caller: string): DroError {
  return new DroError('E_INDEX_RANGE', `${caller}: the model never reached layer ${layer}`, {
    argument: 'layers',
    received: String(layer),
  });
}

/** Rank > 2 activations (a token axis) → `[n, d]`: mean over the middle axes, or every token as a row. */
export function poolActivation(h: tf.Tensor, pooling: 'mean' | 'none'): tf.Tensor2D {
  if (h.rank === 2) return h as tf.Tensor2D;
  const d = h.shape[h.shape.length - 1]!;
  if (h.rank === 1) return tf.reshape(h, [-1, 1]);
  if (pooling === 'none') return tf.reshape(h, [-1, d]);
  const middle = Array.from({ length: h.rank - 2 }, (_, i) => i + 1);
  return tf.mean(h, middle) as tf.Tensor2D;
}

/**
 * Activations at `layers` on `x` as `[n, d_ℓ]` matrices: the outputs of the maps `z_ℓ` when `maps` is given
 * (the maps of every listed layer of `maps` are active, so later layers see the steered upstream), else
 * the unmodified `h_ℓ`. Activations with a token axis are mean-pooled (`pooling: 'none'` treats every token
 * as a row). Differentiable in the maps.
 */
export function activations(
  model: SteerTarget,
  x: tf.Tensor,
  layers: number[],
  maps?: SteerMaps | null,
  opts: { pooling?: 'mean' | 'none' } = {},
): tf.Tensor2D[] {
  const caller = 'activations';
  checkRunArgs(model, x, 'x', caller);
  const m = checkMaps(maps, caller);
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new DroError('E_EMPTY', `${caller}: layers must name at least one layer`, { argument: 'layers' });
  }
  const pooling = opts.pooling ?? 'mean';
  if (pooling !== 'mean' && pooling !== 'none') {
    throw new DroError('E_SPEC', `${caller}: unknown pooling`, {
      argument: 'opts.pooling',
      received: describeValue(pooling),
    });
  }
  return capture(model, x, layers, m, pooling, 'x', caller);
}

/** {@link activations} after validation; `argument` names `x` in errors (`'source'`, `'target'`). */
export function capture(
  model: SteerTarget,
  x: tf.Tensor,
  layers: readonly number[],
  m: SteerMaps | null,
  pooling: 'mean' | 'none',
  argument: string,
  caller: string,
): tf.Tensor2D[] {
  const captured = new Map<number, tf.Tensor2D>();
  const reached = new Set<number>();
  // The captured tensors leave the scope as its result (not through tf.keep, which would also exempt them
  // from every enclosing tidy, such as the forward pass of tf.variableGrads, and leak them there).
  const kept = tf.tidy(() => {
    runHooked(
      model,
      x,
      (layer, h) => {
        let z = h;
        if (m?.layers.includes(layer)) {
          reached.add(layer);
          z = m.apply(layer, h);
        }
        if (layers.includes(layer)) {
          const p = poolActivation(z, pooling);
          // An input layer hands back the caller's own tensor; return a copy the caller may dispose.
          captured.set(layer, p === x ? (tf.clone(p) as tf.Tensor2D) : p);
        }
        return z;
      },
      argument,
    );
    return [...captured.values()];
  });
  const missing = layers.find((l) => !captured.has(l)) ?? m?.layers.find((l) => !reached.has(l));
  if (missing !== undefined) {
    for (const t of kept) t.dispose();
    throw unreached(missing, caller);
  }
  return layers.map((l) => captured.get(l)!);
}
