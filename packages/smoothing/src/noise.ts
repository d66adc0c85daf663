import { checkOptions, DroError, describeValue, Rng } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkPositive } from './checks.js';
import { NOISE_SCHEMA } from './optionSchemas.js';

/**
 * How Gaussian noise is drawn from the seeded generator. `'box-muller'` (default): dro-core's `Rng.fillNormal`,
 * the stream of `Rng.normal()`. `'polar'`: `Rng.fillNormalPolar`, Marsaglia's polar method — a different stream
 * for the same seed, about twice as fast per value (certification spends a large share of its time here).
 */
export type GaussianSampler = 'box-muller' | 'polar';

/**
 * Noise distribution: Gaussian certifies L2; uniform and Laplace certify L1. A normalised Gaussian spec carries
 * `sampler` only when it is `'polar'`.
 */
export type NoiseSpec =
  | { kind: 'gaussian'; sigma: number; sampler?: GaussianSampler }
  | { kind: 'uniform'; lambda: number }
  | { kind: 'laplace'; lambda: number };
/** A number means `{ kind: 'gaussian', sigma: number }`. */
export type NoiseInput = NoiseSpec | number;

/** Validates and normalises a noise argument. */
export function toNoiseSpec(noise: unknown, argument = 'noise'): NoiseSpec {
  if (typeof noise === 'number') return { kind: 'gaussian', sigma: checkPositive(noise, argument) };
  if (!noise || typeof noise !== 'object') {
    throw new DroError('E_SPEC', `${argument} must be a number (sigma) or a noise spec`, {
      argument,
      received: describeValue(noise),
    });
  }
  const n = checkOptions(
    noise as { kind?: unknown; sigma?: unknown; lambda?: unknown; sampler?: unknown },
    NOISE_SCHEMA,
    argument,
  );
  if (n.sampler !== undefined && (n.kind !== 'gaussian' || (n.sampler !== 'box-muller' && n.sampler !== 'polar'))) {
    throw new DroError('E_SPEC', `${argument}.sampler must be "box-muller" or "polar", with Gaussian noise only`, {
      argument: `${argument}.sampler`,
      expected: n.kind === 'gaussian' ? '"box-muller" or "polar"' : 'no sampler for non-Gaussian noise',
      received: describeValue(n.sampler),
    });
  }
  if (n.kind === 'gaussian') {
    const sigma = checkPositive(n.sigma, `${argument}.sigma`);
    return n.sampler === 'polar' ? { kind: 'gaussian', sigma, sampler: 'polar' } : { kind: 'gaussian', sigma };
  }
  if (n.kind === 'uniform' || n.kind === 'laplace')
    return { kind: n.kind, lambda: checkPositive(n.lambda, `${argument}.lambda`) };
  throw new DroError('E_SPEC', `unknown ${argument}.kind`, {
    argument: `${argument}.kind`,
    expected: '"gaussian", "uniform" or "laplace"',
    received: describeValue(n.kind),
  });
}

/** Scale parameter of a noise spec (σ or λ). */
export function noiseScale(n: NoiseSpec): number {
  return n.kind === 'gaussian' ? n.sigma : n.lambda;
}

/** Fills `out` with i.i.d. draws of the noise from `rng` (host float64 arithmetic, stored as float32). */
export function fillNoise(out: Float32Array, noise: NoiseSpec, rng: Rng): void {
  const len = out.length;
  if (noise.kind === 'gaussian') {
    // Box–Muller: the same stream as `len` calls of `s * rng.normal()`; polar: its own stream, about twice as fast.
    if (noise.sampler === 'polar') rng.fillNormalPolar(out, noise.sigma);
    else rng.fillNormal(out, noise.sigma);
  } else if (noise.kind === 'uniform') {
    const l = noise.lambda;
    for (let i = 0; i < len; i++) out[i] = l * (2 * rng.uniform() - 1);
  } else {
    // Laplace as a signed exponential; 1 − u ∈ (0, 1] keeps the log finite.
    const l = noise.lambda;
    for (let i = 0; i < len; i++) {
      const e = -Math.log(1 - rng.uniform());
      out[i] = rng.uniform() < 0.5 ? -l * e : l * e;
    }
  }
}

/** `x + noise`, with fresh noise drawn from `rng` on the host (same sampler as certification). Caller disposes. */
export function addNoise(x: tf.Tensor, noise: NoiseInput, rng: Rng): tf.Tensor {
  const spec = toNoiseSpec(noise);
  if (!(x instanceof tf.Tensor))
    throw new DroError('E_DTYPE', 'x must be a tensor', { argument: 'x', received: describeValue(x) });
  if (x.dtype !== 'float32') throw new DroError('E_DTYPE', 'x must be float32', { argument: 'x', received: x.dtype });
  if (!(rng instanceof Rng))
    throw new DroError('E_SPEC', 'rng must be a dro-core Rng', { argument: 'rng', received: describeValue(rng) });
  const buf = new Float32Array(x.size);
  fillNoise(buf, spec, rng);
  return tf.tidy(() => tf.add(x, tf.tensor(buf, x.shape, 'float32')));
}
