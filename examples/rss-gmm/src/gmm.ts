import type { Rng } from '@drojs/dro-core';

/** Two-component Gaussian mixture data of dro-core spec §8.3 (host float64, row-major). */
export interface GmmSample {
  /** n · d values, row after row. */
  x: Float64Array;
  /** ±1 labels (hidden for the unlabeled sample: kept only for diagnostics). */
  y: Int8Array;
  n: number;
  d: number;
}

/** A standard-normal vector scaled to unit length. */
export function randomUnitVector(d: number, rng: Rng): Float64Array {
  const v = Float64Array.from({ length: d }, () => rng.normal());
  const norm = Math.hypot(...v);
  for (let i = 0; i < d; i++) v[i]! /= norm;
  return v;
}

/** `n` draws of `y ∈ {−1, +1}` uniform and `x = y·mu + N(0, I)`. */
export function sampleMixture(mu: Float64Array, n: number, rng: Rng): GmmSample {
  const d = mu.length;
  const x = new Float64Array(n * d);
  const y = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const yi = rng.uniform() < 0.5 ? -1 : 1;
    y[i] = yi;
    const row = i * d;
    for (let k = 0; k < d; k++) x[row + k] = yi * mu[k]! + rng.normal();
  }
  return { x, y, n, d };
}

/** `μ₁ = μ₀ + α_frac·‖μ₀‖·v`: the unlabeled distribution's mean, shifted along the unit vector v. */
export function shiftedMean(mu0: Float64Array, v: Float64Array, alphaFrac: number): Float64Array {
  const norm = Math.hypot(...mu0);
  return mu0.map((m, k) => m + alphaFrac * norm * v[k]!);
}
