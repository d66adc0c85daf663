import { normalCdf } from '@drojs/dro-core';
import type { GmmSample } from './gmm.js';

/**
 * Robust Self-Supervised (RSS) training of a linear classifier `sign(θᵀx)`, `‖θ‖ = 1`, on the synthetic
 * mixture of dro-core spec §8.3 — host float64, full batch, exact inner maximiser.
 */
export interface RssOptions {
  /** Weight λ of the unlabeled term (0 = ERM with the robust loss). */
  lambda: number;
  /** Transport-cost multipliers g (labeled) and g′ (unlabeled). */
  gamma: number;
  gammaUnlabeled: number;
  /** Logistic slope s. */
  slope: number;
  steps: number;
  /** Riemannian step size η. */
  stepSize: number;
  /** Fixed-point iterations of the inner maximiser. */
  innerIterations: number;
}

/** The protocol's settings: g = g′ = 2, λ = 10, s = 1, 300 steps, η = 1/√(1 + 10) for every run. */
export const PROTOCOL: RssOptions = {
  lambda: 10,
  gamma: 2,
  gammaUnlabeled: 2,
  slope: 1,
  steps: 300,
  stepSize: 1 / Math.sqrt(1 + 10),
  innerIterations: 20,
};

const sigmoid = (u: number): number => (u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u)));

/**
 * Derivative φ′(t) of the robust logistic loss `φ_g(t) = sup_{δ≥0} ℓ(t − δ) − g·δ²`, `ℓ(t) = log(1 + e^{−st})`.
 * The maximiser solves `δ = (s/(2g))·σ(−s(t − δ))`, a contraction with factor s²/(8g) < 1 for 2g > s²/4,
 * iterated from δ = 0; then `φ′(t) = −s·σ(−s(t − δ*))` (envelope theorem).
 */
export function robustLogisticDerivative(t: number, g: number, s: number, iterations: number): number {
  return -s * sigmoid(-s * (t - innerDelta(t, g, s, iterations)));
}

/**
 * The fixed point δ* after `iterations` steps from δ = 0. Stops early once an iterate repeats exactly:
 * every later iterate would be the same number, so the result is identical to running all of them.
 */
export function innerDelta(t: number, g: number, s: number, iterations: number): number {
  const c = s / (2 * g);
  let delta = 0;
  for (let k = 0; k < iterations; k++) {
    const next = c * sigmoid(-s * (t - delta));
    if (next === delta) break;
    delta = next;
  }
  return delta;
}

/** Value φ_g(t) at the fixed point (for diagnostics and tests). */
export function robustLogistic(t: number, g: number, s: number, iterations: number): number {
  const delta = innerDelta(t, g, s, iterations);
  const u = -s * (t - delta);
  const softplus = u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
  return softplus - g * delta * delta;
}

/** The ERM mean estimator `θ = mean_i(y_i x_i)`, normalised to the unit sphere. */
export function meanEstimator(labeled: GmmSample): Float64Array {
  const { x, y, n, d } = labeled;
  const theta = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) theta[k]! += y[i]! * x[i * d + k]!;
  return normalize(theta);
}

function normalize(v: Float64Array): Float64Array {
  let s = 0;
  for (const a of v) s += a * a;
  const norm = Math.sqrt(s);
  for (let k = 0; k < v.length; k++) v[k]! /= norm;
  return v;
}

/** Exact accuracy of `sign(θᵀx)` on P₀ (`x = y·μ₀ + N(0, I)`): `Φ(θᵀμ₀ / ‖θ‖)`. */
export function p0Accuracy(theta: Float64Array, mu0: Float64Array): number {
  let dot = 0;
  let nn = 0;
  for (let k = 0; k < theta.length; k++) {
    dot += theta[k]! * mu0[k]!;
    nn += theta[k]! * theta[k]!;
  }
  return normalCdf(dot / Math.sqrt(nn));
}

/**
 * Full-batch Riemannian gradient descent on the sphere for
 * `(1/m) Σ_i φ_g(y_i θᵀx_i) + λ·(1/n) Σ_j φ_g′(|θᵀx′_j|)` — the pseudo-label `ŷ_j = sign(θᵀx′_j)` (0 ↦ +1) is held
 * fixed within a step, so the unlabeled margin is `|θᵀx′_j|`. Starts at the mean estimator.
 */
export function trainRss(labeled: GmmSample, unlabeled: GmmSample | null, opts: RssOptions = PROTOCOL): Float64Array {
  const { d } = labeled;
  const theta = meanEstimator(labeled);
  const grad = new Float64Array(d);
  const useUnlabeled = unlabeled !== null && opts.lambda > 0 && unlabeled.n > 0;
  for (let step = 0; step < opts.steps; step++) {
    grad.fill(0);
    accumulate(grad, theta, labeled, opts.gamma, opts, 1 / labeled.n, false);
    if (useUnlabeled) accumulate(grad, theta, unlabeled!, opts.gammaUnlabeled, opts, opts.lambda / unlabeled!.n, true);
    let gt = 0;
    for (let k = 0; k < d; k++) gt += grad[k]! * theta[k]!;
    for (let k = 0; k < d; k++) theta[k]! -= opts.stepSize * (grad[k]! - gt * theta[k]!);
    normalize(theta);
  }
  return theta;
}

/** grad += weight · Σ_i φ′(t_i)·label_i·x_i, label = y (labeled) or the pseudo-label sign(θᵀx) (unlabeled). */
function accumulate(
  grad: Float64Array,
  theta: Float64Array,
  sample: GmmSample,
  g: number,
  opts: RssOptions,
  weight: number,
  pseudo: boolean,
): void {
  const { x, y, n, d } = sample;
  for (let i = 0; i < n; i++) {
    const row = i * d;
    let z = 0;
    for (let k = 0; k < d; k++) z += theta[k]! * x[row + k]!;
    const label = pseudo ? (z >= 0 ? 1 : -1) : y[i]!;
    const c = weight * robustLogisticDerivative(label * z, g, opts.slope, opts.innerIterations) * label;
    for (let k = 0; k < d; k++) grad[k]! += c * x[row + k]!;
  }
}
