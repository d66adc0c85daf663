import type { Problem } from './problem.js';

/** Numerically stable softplus log(1 + e^η). */
export function softplus(eta: number): number {
  return Math.max(eta, 0) + Math.log1p(Math.exp(-Math.abs(eta)));
}

/** Logistic σ(η) in its two-branch stable form. */
export function sigmoid(eta: number): number {
  if (eta >= 0) return 1 / (1 + Math.exp(-eta));
  const e = Math.exp(eta);
  return e / (1 + e);
}

/**
 * Evaluates the residual-type vector w with ∇_b ℓ = Zᵀw/n (Gaussian w = Zb − ỹ; binomial w = σ(η) − y) and
 * returns ℓ(θ). Only columns listed in `cols` (all when null) with b_j ≠ 0 enter Zb.
 * @internal
 */
export function residual(prob: Problem, theta: Float64Array, cols: Int32Array | null, w: Float64Array): number {
  const { n, z, y, off } = prob;
  const b0 = off === 1 ? theta[0]! : 0;
  w.fill(b0);
  const count = cols === null ? prob.p : cols.length;
  for (let k = 0; k < count; k++) {
    const j = cols === null ? k : cols[k]!;
    const b = theta[off + j]!;
    if (b === 0) continue;
    const o = j * n;
    for (let i = 0; i < n; i++) w[i] = w[i]! + b * z[o + i]!;
  }
  let loss = 0;
  if (prob.family === 'gaussian') {
    for (let i = 0; i < n; i++) {
      const r = w[i]! - y[i]!;
      w[i] = r;
      loss += r * r;
    }
    return loss / (2 * n);
  }
  for (let i = 0; i < n; i++) {
    const eta = w[i]!;
    loss += softplus(eta) - y[i]! * eta;
    w[i] = sigmoid(eta) - y[i]!;
  }
  return loss / n;
}

/**
 * ∇ℓ from the residual: g_j = z_jᵀw/n for the listed columns (all when null), and g₀ = mean(w) for a
 * binomial intercept. Entries of other columns are left untouched.
 * @internal
 */
export function lossGradient(prob: Problem, w: Float64Array, cols: Int32Array | null, g: Float64Array): void {
  const { n, z, off } = prob;
  if (off === 1) {
    let s = 0;
    for (let i = 0; i < n; i++) s += w[i]!;
    g[0] = s / n;
  }
  const count = cols === null ? prob.p : cols.length;
  for (let k = 0; k < count; k++) {
    const j = cols === null ? k : cols[k]!;
    const o = j * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += z[o + i]! * w[i]!;
    g[off + j] = s / n;
  }
}

/** Deviance: Gaussian RSS ‖ỹ − Zb‖², binomial 2Σ[softplus(η) − yη] (= 2n·ℓ in both cases). */
export function deviance(prob: Problem, theta: Float64Array, w: Float64Array): number {
  return 2 * prob.n * residual(prob, theta, null, w);
}
