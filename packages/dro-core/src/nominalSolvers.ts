/**
 * Sup-sense solvers of `worstCaseExpectation` (R2.4): `sup_μ E_μ l − λ D(μ‖q)` or `sup_{D(μ‖q) ≤ ρ} E_μ l`
 * over distributions μ on K outcomes, with a nominal `q` (zeros allowed, normalised by the caller). The
 * inf sense is `−sup` on `−v` (worstCaseExpectation.ts). Every routine is exact or a safeguarded 1-D root.
 * @internal
 */

import { klTemperatureRoot } from './klTemperature.js';

/** Result of one sup-sense solve; `eta` is the χ² threshold, `lambda` the KL-constrained temperature. */
export interface SupResult {
  weights: Float64Array;
  value: number;
  eta?: number | null;
  lambda?: number | null;
  moved?: number;
  dualValue?: number;
  iterations: number;
  converged: boolean;
}

function expectation(w: ArrayLike<number>, l: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < l.length; k++) if (w[k]! > 0) s += w[k]! * l[k]!;
  return s;
}

function nominalResult(l: ArrayLike<number>, q: Float64Array): SupResult {
  return { weights: Float64Array.from(q), value: expectation(q, l), iterations: 0, converged: true };
}

/** Largest value over the support (q > 0) or over all entries. */
function maxOver(l: ArrayLike<number>, q: ArrayLike<number>, supportOnly: boolean): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < l.length; k++) if ((!supportOnly || q[k]! > 0) && l[k]! > m) m = l[k]!;
  return m;
}

/** μ⁰ restricted to the support's argmax set and renormalised: the λ → 0 / large-radius limit of KL and χ². */
function argmaxOnSupport(
  l: ArrayLike<number>,
  q: ArrayLike<number>,
): { weights: Float64Array; mass: number; max: number } {
  const max = maxOver(l, q, true);
  const w = new Float64Array(l.length);
  let mass = 0;
  for (let k = 0; k < l.length; k++) if (q[k]! > 0 && l[k] === max) mass += q[k]!;
  for (let k = 0; k < l.length; k++) if (q[k]! > 0 && l[k] === max) w[k] = q[k]! / mass;
  return { weights: w, mass, max };
}

function singleValueOnSupport(l: ArrayLike<number>, q: ArrayLike<number>): boolean {
  let first: number | undefined;
  for (let k = 0; k < l.length; k++) {
    if (q[k]! <= 0) continue;
    if (first === undefined) first = l[k]!;
    else if (l[k] !== first) return false;
  }
  return true;
}

/** Distinct support values in descending order with their nominal mass (tie groups never split). */
function groupsDescending(l: ArrayLike<number>, q: ArrayLike<number>): { value: number[]; mass: number[] } {
  const idx: number[] = [];
  for (let k = 0; k < l.length; k++) if (q[k]! > 0) idx.push(k);
  idx.sort((a, b) => l[b]! - l[a]!);
  const value: number[] = [];
  const mass: number[] = [];
  for (const k of idx) {
    if (value.length > 0 && value[value.length - 1] === l[k]) mass[mass.length - 1]! += q[k]!;
    else {
      value.push(l[k]!);
      mass.push(q[k]!);
    }
  }
  return { value, mass };
}

/** `kl`, penalty λ: μ ∝ q e^{l/λ}; value `λ log E_q e^{l/λ}` computed after shifting by the support max. */
export function klPenalizedSup(l: ArrayLike<number>, q: Float64Array, lambda: number): SupResult {
  if (lambda === Number.POSITIVE_INFINITY || singleValueOnSupport(l, q)) return nominalResult(l, q);
  if (lambda === 0) {
    const a = argmaxOnSupport(l, q);
    return { weights: a.weights, value: a.max, iterations: 0, converged: true };
  }
  const m = maxOver(l, q, true);
  const w = new Float64Array(l.length);
  let s = 0;
  let sm1 = 0;
  for (let k = 0; k < l.length; k++) {
    if (q[k]! <= 0) continue;
    const z = (l[k]! - m) / lambda;
    w[k] = q[k]! * Math.exp(z);
    s += w[k]!;
    sm1 += q[k]! * Math.expm1(z);
  }
  for (let k = 0; k < l.length; k++) w[k]! /= s;
  // log1p(Σ q expm1) keeps the small differences at large λ, where every exp rounds to 1.
  return { weights: w, value: m + lambda * Math.log1p(sm1), iterations: 0, converged: true };
}

interface KlTilt {
  kl: number;
  variance: number;
  weights: Float64Array;
  logZ: number; // log Σ q e^{(l − m)/λ}
}

function klTilt(l: ArrayLike<number>, q: ArrayLike<number>, m: number, lambda: number): KlTilt {
  const w = new Float64Array(l.length);
  let s = 0;
  for (let k = 0; k < l.length; k++) {
    if (q[k]! <= 0) continue;
    w[k] = q[k]! * Math.exp((l[k]! - m) / lambda);
    s += w[k]!;
  }
  let ez = 0;
  let el = 0;
  for (let k = 0; k < l.length; k++) {
    if (q[k]! <= 0) continue;
    w[k]! /= s;
    ez += w[k]! * ((l[k]! - m) / lambda);
    el += w[k]! * l[k]!;
  }
  let v = 0;
  for (let k = 0; k < l.length; k++) if (q[k]! > 0) v += w[k]! * (l[k]! - el) ** 2;
  const logZ = Math.log(s);
  return { kl: Math.max(0, ez - logZ), variance: v, weights: w, logZ };
}

/** `kl-constrained`, radius ρ: λ* the root of `KL(p_λ‖q) = ρ` on t = log λ (safeguarded Newton). */
export function klConstrainedSup(
  l: ArrayLike<number>,
  q: Float64Array,
  rho: number,
  tol: number,
  maxIter: number,
  solver: 'newton' | 'bisection',
): SupResult {
  if (rho === 0 || singleValueOnSupport(l, q)) {
    const r = nominalResult(l, q);
    r.lambda = null;
    r.dualValue = r.value;
    return r;
  }
  const a = argmaxOnSupport(l, q);
  if (rho >= -Math.log(a.mass)) {
    return { weights: a.weights, value: a.max, lambda: 0, dualValue: a.max, iterations: 0, converged: true };
  }
  const m = a.max;
  const { lambda, ev, iterations, converged } = klTemperatureRoot(
    (lam) => klTilt(l, q, m, lam),
    rho,
    m - minOverSupport(l, q),
    tol,
    maxIter,
    solver,
  );
  return {
    weights: ev.weights,
    value: expectation(ev.weights, l),
    lambda,
    dualValue: lambda * rho + m + lambda * ev.logZ,
    iterations,
    converged,
  };
}

function minOverSupport(l: ArrayLike<number>, q: ArrayLike<number>): number {
  let m = Number.POSITIVE_INFINITY;
  for (let k = 0; k < l.length; k++) if (q[k]! > 0 && l[k]! < m) m = l[k]!;
  return m;
}

/** `E_q (l − η)₊^p` for p = 1, 2 over the support. */
function excess(l: ArrayLike<number>, q: ArrayLike<number>, eta: number): { e1: number; e2: number } {
  let e1 = 0;
  let e2 = 0;
  for (let k = 0; k < l.length; k++) {
    if (q[k]! <= 0 || l[k]! <= eta) continue;
    const d = l[k]! - eta;
    e1 += q[k]! * d;
    e2 += q[k]! * d * d;
  }
  return { e1, e2 };
}

function thresholdWeights(l: ArrayLike<number>, q: ArrayLike<number>, eta: number): Float64Array {
  const w = new Float64Array(l.length);
  let s = 0;
  for (let k = 0; k < l.length; k++) {
    if (q[k]! <= 0 || l[k]! <= eta) continue;
    w[k] = q[k]! * (l[k]! - eta);
    s += w[k]!;
  }
  // S from the clipped values, never A − Pη (cancellation at the top group, R2.4).
  for (let k = 0; k < l.length; k++) w[k]! /= s;
  return w;
}

/**
 * `chi2`, penalty λ (half-χ²): μ_k = q_k (l_k − η)₊ / λ with `E_q (l − η)₊ = λ`. The threshold is exact:
 * over the top-k tie groups `E_q (l − η)₊ = A_k − P_k η` is linear in η.
 */
export function chi2PenalizedSup(
  l: ArrayLike<number>,
  q: Float64Array,
  lambda: number,
  divergence: (w: Float64Array) => number,
): SupResult {
  if (lambda === Number.POSITIVE_INFINITY) {
    const r = nominalResult(l, q);
    r.eta = null;
    return r;
  }
  if (lambda === 0) {
    const a = argmaxOnSupport(l, q);
    return { weights: a.weights, value: a.max, eta: a.max, iterations: 0, converged: true };
  }
  const g = groupsDescending(l, q);
  let pk = 0;
  let ak = 0;
  let eta = Number.NaN;
  for (let k = 0; k < g.value.length; k++) {
    pk += g.mass[k]!;
    ak += g.mass[k]! * g.value[k]!;
    eta = (ak - lambda) / pk;
    const nextValue = k + 1 < g.value.length ? g.value[k + 1]! : Number.NEGATIVE_INFINITY;
    if (eta >= nextValue) break;
  }
  const w = thresholdWeights(l, q, eta);
  const value = expectation(w, l) - lambda * divergence(w);
  const { e2 } = excess(l, q, eta);
  return {
    weights: w,
    value,
    eta,
    dualValue: eta + lambda / 2 + e2 / (2 * lambda),
    iterations: g.value.length,
    converged: true,
  };
}

/**
 * `chi2-constrained`, radius ρ (half-χ²): μ ∝ q (l − η)₊ with χ²(μ‖q) = ρ. Per number k of top tie groups
 * the condition is the quadratic `(P − cP²)η² + 2A(cP − 1)η + (Q − cA²) = 0`, c = 1 + 2ρ; a root is kept when
 * it lies in the group's interval and its (clipped, renormalised) weights reach χ² = ρ to 1e-9·c.
 */
export function chi2ConstrainedSup(
  l: ArrayLike<number>,
  q: Float64Array,
  rho: number,
  divergence: (w: Float64Array) => number,
): SupResult {
  if (rho === 0 || singleValueOnSupport(l, q)) {
    const r = nominalResult(l, q);
    r.eta = null;
    return r;
  }
  const a = argmaxOnSupport(l, q);
  if (rho >= 0.5 * (1 / a.mass - 1)) {
    return { weights: a.weights, value: a.max, eta: a.max, iterations: 0, converged: true };
  }
  const c = 1 + 2 * rho;
  const g = groupsDescending(l, q);
  let pk = 0;
  let ak = 0;
  let qk = 0;
  let found: { eta: number; w: Float64Array } | null = null;
  for (let k = 0; k < g.value.length && !found; k++) {
    pk += g.mass[k]!;
    ak += g.mass[k]! * g.value[k]!;
    qk += g.mass[k]! * g.value[k]! ** 2;
    const hiV = g.value[k]!;
    const loV = k + 1 < g.value.length ? g.value[k + 1]! : Number.NEGATIVE_INFINITY;
    const a2 = pk - c * pk * pk;
    const a1 = 2 * ak * (c * pk - 1);
    const a0 = qk - c * ak * ak;
    const roots: number[] = [];
    if (Math.abs(a2) <= 1e-15 * (Math.abs(a1) + Math.abs(a0))) {
      if (a1 !== 0) roots.push(-a0 / a1);
    } else {
      const disc = a1 * a1 - 4 * a2 * a0;
      if (disc >= 0) {
        const sq = Math.sqrt(disc);
        // Stable pair: no subtraction of nearly equal numbers.
        const t = -0.5 * (a1 + (a1 >= 0 ? sq : -sq));
        roots.push(t / a2);
        if (t !== 0) roots.push(a0 / t);
      }
    }
    for (const eta of roots) {
      if (!(eta >= loV && eta < hiV)) continue;
      const w = thresholdWeights(l, q, eta);
      if (Math.abs(divergence(w) - rho) <= 1e-9 * c) {
        found = { eta, w };
        break;
      }
    }
  }
  let iterations = g.value.length;
  let converged = found !== null;
  if (!found) {
    // Fallback (should not trigger): χ²(w(η)) increases in η below the max; bisect it.
    let hi = a.max;
    let lo = minOverSupport(l, q) - 1;
    while (divergence(thresholdWeights(l, q, lo)) > rho) lo -= 2 * (hi - lo);
    for (let i = 0; i < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(hi)); i++) {
      const mid = (lo + hi) / 2;
      if (divergence(thresholdWeights(l, q, mid)) > rho) hi = mid;
      else lo = mid;
      iterations++;
    }
    found = { eta: lo, w: thresholdWeights(l, q, lo) };
    converged = Math.abs(divergence(found.w) - rho) <= 1e-9 * c;
  }
  const { e2 } = excess(l, q, found.eta);
  return {
    weights: found.w,
    value: expectation(found.w, l),
    eta: found.eta,
    dualValue: found.eta + Math.sqrt(c * e2),
    iterations,
    converged,
  };
}

/** Entries attaining the maximum over all K entries (TV may move mass where q = 0). */
function argmaxAll(l: ArrayLike<number>): { idx: number[]; max: number } {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < l.length; k++) if (l[k]! > max) max = l[k]!;
  const idx: number[] = [];
  for (let k = 0; k < l.length; k++) if (l[k] === max) idx.push(k);
  return { idx, max };
}

/**
 * `tv`, ball ε: move `min(ε, 1 − q(argmax))` of mass from the smallest values (q-proportionally inside the
 * boundary tie group) to the argmax entries, split equally.
 */
export function tvBallSup(l: ArrayLike<number>, q: Float64Array, eps: number): SupResult {
  const { idx, max } = argmaxAll(l);
  let qTop = 0;
  for (const k of idx) qTop += q[k]!;
  const moved = Math.min(eps, Math.max(0, 1 - qTop));
  const w = Float64Array.from(q);
  if (moved > 0) {
    const rest: number[] = [];
    for (let k = 0; k < l.length; k++) if (q[k]! > 0 && l[k] !== max) rest.push(k);
    rest.sort((a, b) => l[a]! - l[b]!);
    let left = moved;
    for (let i = 0; i < rest.length && left > 0; ) {
      let j = i;
      let groupMass = 0;
      while (j < rest.length && l[rest[j]!] === l[rest[i]!]) groupMass += q[rest[j++]!]!;
      const take = Math.min(left, groupMass);
      for (let t = i; t < j; t++) w[rest[t]!] = take === groupMass ? 0 : q[rest[t]!]! * (1 - take / groupMass);
      left -= take;
      i = j;
    }
    for (const k of idx) w[k]! += moved / idx.length;
  }
  return { weights: w, value: expectation(w, l), moved, iterations: 0, converged: true };
}

/** `tv-penalized`, penalty λ: entries with `l_k < l_max − λ` give their nominal mass to the argmax entries. */
export function tvPenalizedSup(l: ArrayLike<number>, q: Float64Array, lambda: number): SupResult {
  if (lambda === Number.POSITIVE_INFINITY) {
    const r = nominalResult(l, q);
    r.moved = 0;
    return r;
  }
  const { idx, max } = argmaxAll(l);
  const floor = max - lambda;
  const w = Float64Array.from(q);
  let moved = 0;
  let value = 0;
  for (let k = 0; k < l.length; k++) {
    if (q[k]! <= 0) continue;
    // floor + E_q (l − floor)₊ = E_q max(l, l_max − λ) = E_μ l − λ·TV, exact at λ = 0 (value l_max).
    value += q[k]! * Math.max(l[k]! - floor, 0);
    if (l[k]! < floor) {
      moved += q[k]!;
      w[k] = 0;
    }
  }
  for (const k of idx) w[k]! += moved / idx.length;
  value += floor;
  return { weights: w, value, moved, dualValue: value, iterations: 0, converged: true };
}
