import * as tf from '@tensorflow/tfjs-core';
import { DroError, describeValue } from './errors.js';
import { Rng } from './rng.js';
import { sliceDirections } from './sliceDirections.js';
import { sortedW2 } from './sortedW2.js';
import { checkFloatTensor } from './tensorChecks.js';
import { checkReduction } from './w2Squared1d.js';

/** Options of {@link slicedW2}: exactly one of `rng`, `seed`, `directions`. */
export interface SlicedW2Options {
  /** Number of directions L (default 50; with `directions`, inferred from their length). */
  projections?: number;
  /** Draws the directions from this generator (advancing it by L·d normals). */
  rng?: Rng;
  /** Draws the directions from a fresh `createRng(seed)`. */
  seed?: number | string;
  /** Explicit unit directions, row-major `[L·d]` (host float64; not renormalised). */
  directions?: ArrayLike<number>;
  /** `'mean'` (default) over directions, or `'none'` for the `[L]` vector. */
  reduction?: 'mean' | 'none';
}

const KEYS = ['projections', 'rng', 'seed', 'directions', 'reduction'];

/**
 * Sliced W₂²: `(1/L) Σ_l W₂²(x θ_l, y θ_l)` for `x [n, d]`, `y [m, d]` (float32 tensors), with seeded
 * directions from {@link sliceDirections} (or explicit ones). Differentiable in `x` and `y` (not in the
 * directions). `d = 1` reduces to W₂². A rejected call leaves a passed `Rng` untouched.
 *
 * @example
 * ```ts
 * const loss = slicedW2(x, y, { projections: 64, seed: 0 });
 * ```
 */
export function slicedW2(x: tf.Tensor2D, y: tf.Tensor2D, opts: SlicedW2Options): tf.Tensor {
  checkFloatTensor(x, 'x', 2);
  checkFloatTensor(y, 'y', 2);
  if (opts === null || typeof opts !== 'object') {
    throw new DroError('E_SPEC', 'opts must be an object', { argument: 'opts', received: describeValue(opts) });
  }
  for (const key of Object.keys(opts)) {
    if (!KEYS.includes(key)) {
      throw new DroError('E_SPEC', `slicedW2: unknown option opts.${key}`, {
        argument: `opts.${key}`,
        expected: `one of ${KEYS.join(', ')}`,
      });
    }
  }
  const reduction = checkReduction(opts.reduction, ['mean', 'none']);
  const d = x.shape[1];
  if (y.shape[1] !== d) {
    throw new DroError('E_SHAPE', 'x and y must have the same number of columns', {
      argument: 'y',
      expected: `${d} columns`,
      received: `shape [${y.shape.join(', ')}]`,
    });
  }
  const sources = [opts.rng, opts.seed, opts.directions].filter((s) => s !== undefined).length;
  if (sources !== 1) {
    throw new DroError('E_SPEC', 'slicedW2 takes exactly one of opts.rng, opts.seed, opts.directions', {
      argument: 'opts.rng',
      received: `${sources} given`,
    });
  }
  if (opts.rng !== undefined && !(opts.rng instanceof Rng)) {
    throw new DroError('E_SPEC', 'opts.rng must be an Rng', {
      argument: 'opts.rng',
      received: describeValue(opts.rng),
    });
  }
  let dirs: Float64Array;
  let L: number;
  if (opts.directions !== undefined) {
    const given = opts.directions;
    if (!given || typeof given.length !== 'number' || given.length === 0 || given.length % d !== 0) {
      throw new DroError('E_SHAPE', 'opts.directions must hold L·d numbers', {
        argument: 'opts.directions',
        expected: `a multiple of ${d} entries`,
        received: describeValue(given),
      });
    }
    dirs = Float64Array.from(given);
    for (let i = 0; i < dirs.length; i++) {
      if (!Number.isFinite(dirs[i]!)) {
        throw new DroError('E_NONFINITE', `opts.directions[${i}] is not finite`, { argument: 'opts.directions' });
      }
    }
    L = dirs.length / d;
    if (opts.projections !== undefined && opts.projections !== L) {
      throw new DroError('E_SHAPE', 'opts.projections disagrees with opts.directions', {
        argument: 'opts.projections',
        expected: String(L),
        received: describeValue(opts.projections),
      });
    }
  } else {
    L = opts.projections ?? 50;
    if (!Number.isSafeInteger(L) || L < 1) {
      throw new DroError('E_SPEC', 'opts.projections must be a whole number ≥ 1', {
        argument: 'opts.projections',
        received: describeValue(L),
      });
    }
    // Validation is complete: only now may the caller's Rng advance.
    dirs = sliceDirections(d, L, opts.rng ?? (opts.seed as number | string));
  }
  return tf.tidy(() => {
    // Directions as a float32 constant Θ [d, L]: column l is θ_l.
    const theta = tf.transpose(tf.tensor2d(Float32Array.from(dirs), [L, d]));
    return sortedW2(tf.matMul(x, theta) as tf.Tensor2D, tf.matMul(y, theta) as tf.Tensor2D, { reduction });
  });
}
