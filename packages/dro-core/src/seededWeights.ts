import { DroError, describeValue } from './errors.js';
import { Rng, toRng } from './rng.js';
import { checkOptions, opt } from './validate/options.js';
import { checkSeed, type Seed } from './validate/seed.js';

/**
 * How {@link seededWeights} draws initial weights.
 * - `'fan-in-uniform'` (default, PyTorch's `nn.Linear`/`nn.Conv2d` default): kernels and biases
 *   U(−1/√fan_in, 1/√fan_in), a bias using the fan-in of the kernel before it.
 * - `'glorot-uniform'` (Keras's default): kernels U(±√(6/(fan_in + fan_out))), biases zero (no draws).
 */
export type WeightInitScheme = 'fan-in-uniform' | 'glorot-uniform';

/** Options of {@link seededWeights} and `seedLayerWeights`. */
export interface SeededWeightsOptions {
  /** Default `'fan-in-uniform'`. */
  scheme?: WeightInitScheme;
}

const SCHEMA = { scheme: opt.oneOf(['fan-in-uniform', 'glorot-uniform'] as const) };

/**
 * Reproducible initial weights for a stack of dense/convolution layers, drawn on the host from a dro-core
 * {@link Rng} so that one seed gives the same weights on every backend and machine (tfjs-layers' own
 * initialisers draw from an unseeded or backend-dependent source).
 *
 * `shapes` lists the weights in layer order, as a tfjs-layers model's `getWeights()` does: a rank ≥ 2 entry
 * is a kernel (fan_in = product of all but the last dimension, fan_out = receptive field × last dimension),
 * a rank-1 entry the bias of the kernel before it. Values are drawn entry after entry in row-major order,
 * each `(2u − 1)·bound` from `rng.uniform()` rounded to float32 — the order the examples' hand-written
 * copies used, so their runs are unchanged. `source`: a seed (a fresh stream) or an `Rng` (advanced by
 * the draws, for callers that keep one stream).
 * @throws DroError E_SHAPE when a bias has no kernel before it or a dimension is not a whole number ≥ 1.
 */
export function seededWeights(
  shapes: readonly (readonly number[])[],
  source: Seed | Rng,
  opts?: SeededWeightsOptions,
): Float32Array[] {
  const caller = 'seededWeights';
  const scheme = checkOptions(opts, SCHEMA, caller).scheme ?? 'fan-in-uniform';
  if (!Array.isArray(shapes))
    throw new DroError('E_SHAPE', `${caller}: shapes must be an array of shapes`, {
      argument: 'shapes',
      received: describeValue(shapes),
    });
  const rng = source instanceof Rng ? source : toRng(checkSeed(source, 'source'));
  const out: Float32Array[] = [];
  let lastFanIn: number | undefined;
  shapes.forEach((shape, i) => {
    const argument = `shapes[${i}]`;
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isSafeInteger(d) && d >= 1))
      throw new DroError('E_SHAPE', `${caller}: ${argument} must be a non-empty list of whole numbers ≥ 1`, {
        argument,
        received: describeValue(shape),
      });
    const size = shape.reduce((a, b) => a * b, 1);
    const w = new Float32Array(size);
    let bound: number;
    if (shape.length === 1) {
      if (lastFanIn === undefined)
        throw new DroError('E_SHAPE', `${caller}: ${argument} is a bias with no kernel before it`, { argument });
      if (scheme === 'glorot-uniform') {
        out.push(w);
        return;
      }
      bound = 1 / Math.sqrt(lastFanIn);
    } else {
      const fanIn = size / (shape[shape.length - 1] as number);
      const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
      const fanOut = receptive * (shape[shape.length - 1] as number);
      lastFanIn = fanIn;
      bound = scheme === 'glorot-uniform' ? Math.sqrt(6 / (fanIn + fanOut)) : 1 / Math.sqrt(fanIn);
    }
    for (let j = 0; j < size; j++) w[j] = (2 * rng.uniform() - 1) * bound;
    out.push(w);
  });
  return out;
}
