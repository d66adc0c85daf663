import { chi2ToUniform, klToUniform, tvToUniform } from './divergence.js';
import { DroError } from './errors.js';
import { klTemperatureRoot } from './klTemperature.js';
import { type RobustSpec, validateSpec } from './spec.js';
import { toHostVector } from './validate/hostInputs.js';

/** What a solver reports besides the weights (keys of the vectors' `aux` in brackets). */
export interface SolveInfo {
  /** Dual temperature of `kl-constrained` (`lam`): `null` for +∞ (uniform), 0 for the argmax limit. */
  lambda?: number | null;
  /** Threshold of `kl-cvar`, `chi2`, `chi2-constrained`, `chi2-both` (`eta`); `null` where undefined. */
  eta?: number | null;
  /** CVaR's value at risk (`var`): the k-th largest loss. */
  valueAtRisk?: number;
  /** CVaR's k = ⌈αn⌉. */
  k?: number;
  /** Number of samples at the cap in `kl-cvar` (`n_capped`). */
  nCapped?: number;
  /** `chi2-both`: whether the χ² constraint binds. */
  binding?: boolean;
  /** The divergence of the kind (KL, χ² or TV) between the weights and uniform. */
  divergence: number;
  /** Dual objective value where a dual is given (`dual_value`). */
  dualValue?: number;
  iterations: number;
  converged: boolean;
}

export interface SolveResult {
  weights: Float64Array;
  value: number;
  info: SolveInfo;
}

const uniform = (n: number): Float64Array => new Float64Array(n).fill(1 / n);

function dot(p: ArrayLike<number>, l: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < l.length; i++) s += p[i]! * l[i]!;
  return s;
}

function mean(l: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < l.length; i++) s += l[i]!;
  return s / l.length;
}

function maxOf(l: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < l.length; i++) if (l[i]! > m) m = l[i]!;
  return m;
}

function minOf(l: ArrayLike<number>): number {
  let m = Number.POSITIVE_INFINITY;
  for (let i = 0; i < l.length; i++) if (l[i]! < m) m = l[i]!;
  return m;
}

/** Uniform weights on the set of maxima (the λ → 0 limit of the penalised kinds). */
function argmaxUniform(l: ArrayLike<number>): { weights: Float64Array; k: number; max: number } {
  const m = maxOf(l);
  let k = 0;
  for (let i = 0; i < l.length; i++) if (l[i] === m) k++;
  const w = new Float64Array(l.length);
  for (let i = 0; i < l.length; i++) if (l[i] === m) w[i] = 1 / k;
  return { weights: w, k, max: m };
}

function sortedDesc(l: ArrayLike<number>): Float64Array {
  return Float64Array.from(l).sort().reverse();
}

function allEqual(l: ArrayLike<number>): boolean {
  for (let i = 1; i < l.length; i++) if (l[i] !== l[0]) return false;
  return true;
}

/** log Σ exp(v_i / λ) over v, max-shifted. */
function logSumExpScaled(v: ArrayLike<number>, lambda: number, from = 0): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = from; i < v.length; i++) if (v[i]! > m) m = v[i]!;
  let s = 0;
  for (let i = from; i < v.length; i++) s += Math.exp((v[i]! - m) / lambda);
  return m / lambda + Math.log(s);
}

function erm(l: ArrayLike<number>, divergence = 0): SolveResult {
  return { weights: uniform(l.length), value: mean(l), info: { divergence, iterations: 0, converged: true } };
}

// §4.1 KL-penalised: p = softmax(l/λ), R = λ log mean exp(l/λ).
function klPenalized(l: ArrayLike<number>, lambda: number): SolveResult {
  const n = l.length;
  if (lambda === Number.POSITIVE_INFINITY || allEqual(l)) return erm(l);
  if (lambda === 0) {
    const a = argmaxUniform(l);
    return {
      weights: a.weights,
      value: a.max,
      info: { divergence: klToUniform(a.weights), iterations: 0, converged: true },
    };
  }
  const m = maxOf(l);
  const w = new Float64Array(n);
  let s = 0;
  let sm1 = 0;
  for (let i = 0; i < n; i++) {
    const z = (l[i]! - m) / lambda;
    w[i] = Math.exp(z);
    s += w[i]!;
    sm1 += Math.expm1(z);
  }
  for (let i = 0; i < n; i++) w[i]! /= s;
  // log1p(mean(expm1)) keeps the small differences at large λ where exp rounds to 1.
  const value = m + lambda * Math.log1p(sm1 / n);
  return { weights: w, value, info: { divergence: klToUniform(w), iterations: 0, converged: true } };
}

interface KlEval {
  kl: number;
  variance: number;
  weights: Float64Array;
  logMeanExpOverLambda: number; // log mean exp(l/λ) − m/λ
}

function klAt(l: ArrayLike<number>, m: number, lambda: number): KlEval {
  const n = l.length;
  const w = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    w[i] = Math.exp((l[i]! - m) / lambda);
    s += w[i]!;
  }
  let ez = 0;
  let el = 0;
  for (let i = 0; i < n; i++) {
    w[i]! /= s;
    ez += w[i]! * ((l[i]! - m) / lambda);
    el += w[i]! * l[i]!;
  }
  let v = 0;
  for (let i = 0; i < n; i++) v += w[i]! * (l[i]! - el) ** 2;
  const lme = Math.log(s / n);
  return { kl: Math.max(0, ez - lme), variance: v, weights: w, logMeanExpOverLambda: lme };
}

// §4.2 KL-constrained: λ* the root of KL(p_λ‖u) = ρ, solved on t = log λ.
function klConstrained(
  l: ArrayLike<number>,
  rho: number,
  tol: number,
  maxIter: number,
  solver: 'newton' | 'bisection',
): SolveResult {
  const n = l.length;
  if (n === 1 || rho === 0 || allEqual(l)) {
    const r = erm(l);
    r.info.lambda = null;
    r.info.dualValue = r.value;
    return r;
  }
  const a = argmaxUniform(l);
  if (rho >= Math.log(n / a.k)) {
    return {
      weights: a.weights,
      value: a.max,
      info: { lambda: 0, divergence: klToUniform(a.weights), dualValue: a.max, iterations: 0, converged: true },
    };
  }
  const m = a.max;
  const root = klTemperatureRoot((lam) => klAt(l, m, lam), rho, m - minOf(l), tol, maxIter, solver);
  const { lambda, ev, iterations } = root;
  const converged = root.converged || Math.abs(ev.kl - rho) <= tol;
  const value = dot(ev.weights, l);
  const dualValue = lambda * rho + m + lambda * ev.logMeanExpOverLambda;
  return { weights: ev.weights, value, info: { lambda, divergence: ev.kl, dualValue, iterations, converged } };
}

// §4.3 CVaR, sort-based and tie-exact.
function cvar(l: ArrayLike<number>, alpha: number): SolveResult {
  const n = l.length;
  const v = sortedDesc(l);
  const k = Math.min(n, Math.max(1, Math.ceil(alpha * n - 1e-9)));
  const eta = v[k - 1]!;
  const cap = 1 / (alpha * n);
  let gt = 0;
  let ties = 0;
  for (let i = 0; i < n; i++) {
    if (l[i]! > eta) gt++;
    else if (l[i] === eta) ties++;
  }
  const share = (1 - gt * cap) / ties;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = l[i]! > eta ? cap : l[i] === eta ? share : 0;
  let tail = 0;
  for (let i = 0; i < n; i++) tail += Math.max(0, l[i]! - eta);
  const dualValue = eta + tail / n / alpha;
  return {
    weights: w,
    value: dot(w, l),
    info: { valueAtRisk: eta, k, divergence: klToUniform(w), dualValue, iterations: 0, converged: true },
  };
}

// §4.4 KL-regularised CVaR: the capped set is a prefix of the sorted losses.
function klCvar(l: ArrayLike<number>, alpha: number, lambda: number): SolveResult {
  const n = l.length;
  if (lambda === 0) return cvar(l, alpha);
  if (alpha === 1 || lambda === Number.POSITIVE_INFINITY) {
    const r = erm(l);
    r.info.eta = null;
    r.info.nCapped = alpha === 1 ? n : 0;
    return r;
  }
  const v = sortedDesc(l);
  const logCap = -Math.log(alpha);
  // The capped set is a prefix of the sorted losses: take the prefix length j whose threshold η is consistent
  // (uncapped v[j] below the cap, capped v[j−1] at or above it). At tiny λ the consistency margins are rounding
  // noise amplified by 1/λ, so rather than a fixed slack, the prefix with the smallest violation wins (zero
  // for an exactly consistent one).
  let best: { j: number; eta: number; violation: number } | null = null;
  for (let j = 0; j < n; j++) {
    if (j > 0 && v[j - 1] === v[j]) continue;
    const mass = 1 - j / (alpha * n);
    if (mass <= 0) continue;
    const eta = lambda * (logSumExpScaled(v, lambda, j) - Math.log(n * mass));
    const over = (v[j]! - eta) / lambda - logCap;
    const under = j === 0 ? 0 : logCap - (v[j - 1]! - eta) / lambda;
    const violation = Math.max(0, over, under);
    if (!best || violation < best.violation) best = { j, eta, violation };
    if (violation === 0) break;
  }
  if (!best) throw new DroError('E_INTERNAL', 'kl-cvar found no capped prefix', { argument: 'losses' });
  const { j, eta } = best;
  const w = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    w[i] = Math.exp(Math.min((l[i]! - eta) / lambda, logCap)) / n;
    s += w[i]!;
  }
  for (let i = 0; i < n; i++) w[i]! /= s;
  const kl = klToUniform(w);
  return {
    weights: w,
    value: dot(w, l) - lambda * kl,
    info: { eta, nCapped: j, divergence: kl, iterations: j + 1, converged: true },
  };
}

// §4.5 χ²-penalised: p_i = (l_i − η)_+/(λn), exact by a sorted scan.
function chi2Penalized(l: ArrayLike<number>, lambda: number): SolveResult {
  const n = l.length;
  if (lambda === Number.POSITIVE_INFINITY || allEqual(l)) {
    const r = erm(l);
    r.info.eta = lambda === Number.POSITIVE_INFINITY ? null : l[0]! - lambda;
    r.info.dualValue = r.value;
    return r;
  }
  if (lambda === 0) {
    const a = argmaxUniform(l);
    return {
      weights: a.weights,
      value: a.max,
      info: { eta: a.max, divergence: chi2ToUniform(a.weights), dualValue: a.max, iterations: 0, converged: true },
    };
  }
  const v = sortedDesc(l);
  let s = 0;
  let eta = Number.NaN;
  let k = 0;
  for (k = 1; k <= n; k++) {
    s += v[k - 1]!;
    const e = (s - lambda * n) / k;
    if (e < v[k - 1]! && (k === n || e >= v[k]!)) {
      eta = e;
      break;
    }
  }
  const w = new Float64Array(n);
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.max(0, l[i]! - eta);
    w[i] = d / (lambda * n);
    sq += d * d;
  }
  const chi2 = chi2ToUniform(w);
  const dualValue = eta + lambda / 2 + sq / n / (2 * lambda);
  return {
    weights: w,
    value: dot(w, l) - lambda * chi2,
    info: { eta, divergence: chi2, dualValue, iterations: k, converged: true },
  };
}

// §4.6 χ²-constrained: for each support size k solve the quadratic in η and verify n Σ p² = 1 + 2ρ.
function chi2Constrained(l: ArrayLike<number>, rho: number): SolveResult {
  const n = l.length;
  if (n === 1 || rho === 0 || allEqual(l)) {
    const r = erm(l);
    r.info.eta = null;
    r.info.dualValue = r.value;
    return r;
  }
  const a = argmaxUniform(l);
  if (rho >= (n / a.k - 1) / 2) {
    return {
      weights: a.weights,
      value: a.max,
      info: { eta: a.max, divergence: chi2ToUniform(a.weights), dualValue: a.max, iterations: 0, converged: true },
    };
  }
  const c = 1 + 2 * rho;
  const v = sortedDesc(l);
  const scale = Math.max(1, Math.abs(v[0]!), Math.abs(v[n - 1]!));
  let A = 0;
  let Q = 0;
  let best: { eta: number; err: number; k: number } | null = null;
  for (let k = 1; k <= n; k++) {
    A += v[k - 1]!;
    Q += v[k - 1]! ** 2;
    if (k < n && v[k] === v[k - 1]) continue;
    const upper = v[k - 1]!;
    const lower = k < n ? v[k]! : Number.NEGATIVE_INFINITY;
    const qa = n * k - c * k * k;
    const qb = 2 * A * (c * k - n);
    const qc = n * Q - c * A * A;
    const roots: number[] = [];
    if (Math.abs(qa) <= 1e-12 * (n * k)) {
      if (qb !== 0) roots.push(-qc / qb);
    } else {
      const disc = qb * qb - 4 * qa * qc;
      if (disc >= -1e-12 * qb * qb) {
        const sq = Math.sqrt(Math.max(0, disc));
        const qq = -0.5 * (qb + (qb >= 0 ? sq : -sq));
        if (qq !== 0) roots.push(qq / qa, qc / qq);
        else roots.push(-qb / (2 * qa));
      }
    }
    for (const eta of roots) {
      if (!Number.isFinite(eta)) continue;
      const tolI = 1e-12 * scale;
      if (eta >= upper || eta < lower - tolI) continue;
      const denom = A - k * eta;
      if (!(denom > 0)) continue;
      let sp = 0;
      for (let i = 0; i < k; i++) sp += ((v[i]! - eta) / denom) ** 2;
      const err = Math.abs(n * sp - c);
      if (err <= 1e-9 * c && (!best || err < best.err)) best = { eta, err, k };
    }
    if (best) break;
  }
  if (!best) throw new DroError('E_INTERNAL', 'chi2-constrained found no consistent support', { argument: 'losses' });
  const eta = best.eta;
  const w = new Float64Array(n);
  let s = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.max(0, l[i]! - eta);
    w[i] = d;
    s += d;
    sq += d * d;
  }
  for (let i = 0; i < n; i++) w[i]! /= s;
  const dualValue = eta + Math.sqrt(c) * Math.sqrt(sq / n);
  return {
    weights: w,
    value: dot(w, l),
    info: { eta, divergence: chi2ToUniform(w), dualValue, iterations: best.k, converged: true },
  };
}

// §4.7 χ² ball with χ² penalty: penalised optimum if feasible, else the constrained one.
function chi2Both(l: ArrayLike<number>, rho: number, lambda: number): SolveResult {
  const pen = chi2Penalized(l, lambda);
  if (pen.info.divergence <= rho * (1 + 1e-12) + 1e-15) {
    return { ...pen, info: { ...pen.info, binding: false } };
  }
  const con = chi2Constrained(l, rho);
  const chi2 = con.info.divergence;
  const { dualValue: _dropped, ...info } = con.info;
  return { weights: con.weights, value: dot(con.weights, l) - lambda * chi2, info: { ...info, binding: true } };
}

// §4.8 TV ball: ε of mass moves from the smallest losses onto the maxima.
function tv(l: ArrayLike<number>, eps: number): SolveResult {
  const n = l.length;
  if (eps === 0 || allEqual(l)) return erm(l);
  const a = argmaxUniform(l);
  const w = new Float64Array(n);
  if (eps < 1) {
    const c = cvar(l, 1 - eps).weights;
    for (let i = 0; i < n; i++) w[i] = (1 - eps) * c[i]!;
  }
  for (let i = 0; i < n; i++) w[i]! += eps * a.weights[i]!;
  return { weights: w, value: dot(w, l), info: { divergence: tvToUniform(w), iterations: 0, converged: true } };
}

/**
 * Worst-case weights `p*` and robust value `R(l) = sup_{p∈U} <p,l> − penalty(p)` of one batch of losses, in
 * float64 on the host. Exact sort-based solvers for CVaR, KL-CVaR, χ² (all three) and TV; a safeguarded
 * Newton root on log λ for `kl-constrained`. Ties get equal weight (permutation-equivariant).
 * @throws DroError E_EMPTY (no losses), E_NONFINITE (NaN/±∞ loss), E_SPEC (bad spec).
 */
export function solveWeights(losses: ArrayLike<number>, spec: RobustSpec): SolveResult {
  validateSpec(spec);
  const raw = toHostVector(losses, 'losses', 'solveWeights');
  // Every set here is shift-invariant (Σp = 1), and scaling the losses scales the penalised kinds' λ along:
  // solve on losses mapped to [−1, 1] (midrange 0, half-range 1) and map back, so an offset of 10⁸ times the
  // spread costs no digits in the solvers' sums and quadratics, and squares never overflow or underflow at
  // scales of 10^±300.
  const lo = minOf(raw);
  const hi = maxOf(raw);
  const mid = 0.5 * lo + 0.5 * hi;
  const half = 0.5 * hi - 0.5 * lo;
  if (!(half > 0) || !Number.isFinite(half)) return solveCentred(raw, spec);
  const l = raw.map((v) => (v - mid) / half);
  const r = solveCentred(l, scaleSpec(spec, 1 / half));
  const info = { ...r.info };
  const back = (x: number) => mid + half * x;
  if (typeof info.eta === 'number') info.eta = back(info.eta);
  if (info.valueAtRisk !== undefined) info.valueAtRisk = back(info.valueAtRisk);
  if (info.dualValue !== undefined) info.dualValue = back(info.dualValue);
  if (typeof info.lambda === 'number') info.lambda *= half;
  return { weights: r.weights, value: back(r.value), info };
}

/** The same problem for losses multiplied by `f`: penalties scale with the losses. */
function scaleSpec(spec: RobustSpec, f: number): RobustSpec {
  switch (spec.kind) {
    case 'kl':
    case 'chi2':
    case 'kl-cvar':
    case 'chi2-both':
      return { ...spec, lambda: spec.lambda * f };
    default:
      return spec;
  }
}

function solveCentred(l: Float64Array, spec: RobustSpec): SolveResult {
  switch (spec.kind) {
    case 'erm':
      return erm(l);
    case 'kl':
      return klPenalized(l, spec.lambda);
    case 'kl-constrained':
      return klConstrained(l, spec.rho, spec.tol ?? 1e-7, spec.maxIter ?? 100, spec.solver ?? 'newton');
    case 'cvar':
      return cvar(l, spec.alpha);
    case 'kl-cvar':
      return klCvar(l, spec.alpha, spec.lambda);
    case 'chi2':
      return chi2Penalized(l, spec.lambda);
    case 'chi2-constrained':
      return chi2Constrained(l, spec.rho);
    case 'chi2-both':
      return chi2Both(l, spec.rho, spec.lambda);
    case 'tv':
      return tv(l, spec.eps);
  }
}
