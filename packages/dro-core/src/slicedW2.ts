import * as tf from '@tensorflow/tfjs-core';
import { DroError, describeValue } from './errors.js';
import { Rng } from './rng.js';
import { sliceDirections } from './sliceDirections.js';
import { sortedW2Tensors } from './sortedW2.js';
import { checkLength, toHostVector } from './validate/hostInputs.js';
import { checkOptions, opt } from './validate/options.js';
import { toTensor } from './validate/toTensor.js';

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

const SCHEMA = {
  projections: opt.integer({ min: 1 }),
  rng: opt.custom('an Rng', (v, a) => {
    if (!(v instanceof Rng))
      throw new DroError('E_SPEC', `slicedW2: ${a} must be an Rng`, { argument: a, received: describeValue(v) });
  }),
  seed: opt.seed(),
  directions: opt.array(),
  reduction: opt.oneOf(['mean', 'none']),
};

export function slicedW2(
  x: tf.Tensor2D | tf.TensorLike,
  y: tf.Tensor2D | tf.TensorLike,
  opts: SlicedW2Options,
): tf.Tensor {
  checkOptions(opts, SCHEMA, 'slicedW2');
  const reduction = opts.reduction ?? 'mean';
  // Full input checks before the Rng advances; an array input's temporary tensor is disposed by tidy.
  const shapeOf = (t: unknown, argument: string): number[] =>
    tf.tidy(() => toTensor(t, argument, 'slicedW2', { rank: 2 }).shape);
  const xs = shapeOf(x, 'x');
  const ys = shapeOf(y, 'y');
  if (xs.length !== 2)
    throw new DroError('E_SHAPE', 'slicedW2: x must be [n, d]', {
      argument: 'x',
      received: `shape [${xs.join(', ')}]`,
    });
  const d = xs[1]!;
  if (ys.length !== 2 || ys[1] !== d) {
    throw new DroError('E_SHAPE', 'slicedW2: x and y must have the same number of columns', {
      argument: 'y',
      expected: `${d} columns`,
      received: `shape [${ys.join(', ')}]`,
    });
  }
  const sources = [opts.rng, opts.seed, opts.directions].filter((s) => s !== undefined).length;
  if (sources !== 1) {
    throw new DroError('E_SPEC', 'slicedW2 takes exactly one of opts.rng, opts.seed, opts.directions', {
      argument: 'rng',
      received: `${sources} given`,
    });
  }
  let dirs: Float64Array;
  let L: number;
  if (opts.directions !== undefined) {
    dirs = toHostVector(opts.directions, 'directions', 'slicedW2');
    if (dirs.length % d !== 0) {
      throw new DroError('E_SHAPE', 'slicedW2: directions must hold L·d numbers', {
        argument: 'directions',
        expected: `a multiple of ${d} entries`,
        received: `${dirs.length} entries`,
      });
    }
    L = dirs.length / d;
    if (opts.projections !== undefined) checkLength(opts.projections, L, 'projections', 'direction given');
  } else {
    L = opts.projections ?? 50;
    // Validation is complete: only now may the caller's Rng advance.
    dirs = sliceDirections(d, L, opts.rng ?? (opts.seed as number | string));
  }
  return tf.tidy(() => {
    const tx = toTensor(x, 'x', 'slicedW2', { rank: 2 }) as tf.Tensor2D;
    const ty = toTensor(y, 'y', 'slicedW2', { rank: 2 }) as tf.Tensor2D;
    // Directions as a float32 constant Θ [d, L]: column l is θ_l.
    const theta = tf.transpose(tf.tensor2d(Float32Array.from(dirs), [L, d]));
    return sortedW2Tensors(tf.matMul(tx, theta) as tf.Tensor2D, tf.matMul(ty, theta) as tf.Tensor2D, reduction);
  });
}
