import { createRng } from '@drojs/dro-core/host';
import type { Problem } from './problem.js';

/** Largest eigenvalue of a symmetric tridiagonal matrix (diagonal `al`, off-diagonal `be`, size k) by Sturm bisection. */
function topEigenTridiagonal(al: Float64Array, be: Float64Array, k: number): number {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < k; i++) {
    const r = (i > 0 ? Math.abs(be[i - 1]!) : 0) + (i < k - 1 ? Math.abs(be[i]!) : 0);
    lo = Math.min(lo, al[i]! - r);
    hi = Math.max(hi, al[i]! + r);
  }
  // count of eigenvalues < x (Sturm sequence of the LDLᵀ pivots)
  const countBelow = (x: number): number => {
    let c = 0;
    let q = 1;
    for (let i = 0; i < k; i++) {
      const b2 = i > 0 ? be[i - 1]! * be[i - 1]! : 0;
      q = al[i]! - x - (i > 0 ? b2 / q : 0);
      if (q === 0) q = -1e-300;
      if (q < 0) c++;
    }
    return c;
  };
  for (let it = 0; it < 200 && hi - lo > 1e-16 * Math.max(Math.abs(lo), Math.abs(hi)); it++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (countBelow(mid) < k) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * λ_max(AᵀA) for the n×m matrix A given by `mul(v) → A·v` (length n) and `mulT(u) → Aᵀu` (length m), by
 * Lanczos with full re-orthogonalisation on the smaller of AᵀA and AAᵀ (they share the top eigenvalue).
 * Stops when the top Ritz value changes by ≤ 1e−14 relatively on two successive steps, or at the full
 * dimension (then it is exact up to rounding). Deterministic start vector.
 * @internal
 */
export function largestEigenGram(
  n: number,
  m: number,
  mul: (v: Float64Array, out: Float64Array) => void,
  mulT: (u: Float64Array, out: Float64Array) => void,
): number {
  const dim = Math.min(n, m);
  const useSmallRight = m <= n;
  const tmpN = new Float64Array(n);
  const tmpM = new Float64Array(m);
  const op = (v: Float64Array, out: Float64Array): void => {
    if (useSmallRight) {
      mul(v, tmpN);
      mulT(tmpN, out);
    } else {
      mulT(v, tmpM);
      mul(tmpM, out);
    }
  };
  const rng = createRng('sparse/lanczos');
  const basis: Float64Array[] = [];
  let q = new Float64Array(dim);
  let nrm = 0;
  for (let i = 0; i < dim; i++) {
    q[i] = rng.normal();
    nrm += q[i]! * q[i]!;
  }
  nrm = Math.sqrt(nrm);
  for (let i = 0; i < dim; i++) q[i] = q[i]! / nrm;
  const al = new Float64Array(dim);
  const be = new Float64Array(dim);
  const w = new Float64Array(dim);
  let prev = Number.NaN;
  let stable = 0;
  let theta = 0;
  for (let k = 0; k < dim; k++) {
    basis.push(q);
    op(q, w);
    let a = 0;
    for (let i = 0; i < dim; i++) a += w[i]! * q[i]!;
    al[k] = a;
    // full re-orthogonalisation (twice is enough) keeps the Ritz values free of ghosts
    for (let pass = 0; pass < 2; pass++) {
      for (const v of basis) {
        let c = 0;
        for (let i = 0; i < dim; i++) c += w[i]! * v[i]!;
        for (let i = 0; i < dim; i++) w[i] = w[i]! - c * v[i]!;
      }
    }
    theta = topEigenTridiagonal(al, be, k + 1);
    let b = 0;
    for (let i = 0; i < dim; i++) b += w[i]! * w[i]!;
    b = Math.sqrt(b);
    if (Math.abs(theta - prev) <= 1e-14 * Math.abs(theta)) {
      if (++stable >= 2) break;
    } else stable = 0;
    prev = theta;
    if (b <= 1e-13 * Math.max(Math.abs(theta), 1e-300)) break; // invariant subspace: T is exact
    be[k] = b;
    q = new Float64Array(dim);
    for (let i = 0; i < dim; i++) q[i] = w[i]! / b;
  }
  return theta;
}

/**
 * L_loss (spec §5): λ_max(ZᵀZ)/n (Gaussian) or λ_max(WᵀW)/(4n) with W = [1, Z] for a binomial intercept.
 * @internal
 */
export function lossLipschitz(prob: Problem): number {
  const { n, p, z, off } = prob;
  const m = off + p;
  const mul = (v: Float64Array, out: Float64Array): void => {
    out.fill(off === 1 ? v[0]! : 0);
    for (let j = 0; j < p; j++) {
      const b = v[off + j]!;
      if (b === 0) continue;
      const o = j * n;
      for (let i = 0; i < n; i++) out[i] = out[i]! + b * z[o + i]!;
    }
  };
  const mulT = (u: Float64Array, out: Float64Array): void => {
    if (off === 1) {
      let s = 0;
      for (let i = 0; i < n; i++) s += u[i]!;
      out[0] = s;
    }
    for (let j = 0; j < p; j++) {
      const o = j * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += z[o + i]! * u[i]!;
      out[off + j] = s;
    }
  };
  const top = largestEigenGram(n, m, mul, mulT);
  return prob.family === 'gaussian' ? top / n : top / (4 * n);
}
