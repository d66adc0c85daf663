import { checkLength, checkOptions, DroError, describeValue, opt, ridge, toHostVector } from '@drojs/dro-core/host';
import type { Divergence } from './dp.js';

/** Options of the per-factor estimators (robust-rl spec §3.3). */
export interface FactorEstimateOptions {
  divergence: Divergence;
  /** Penalty: tv ≥ 0, kl and chi2 (Pearson) > 0; `Infinity` = the non-robust regression. */
  lambda?: number;
  /** tv-ball radius in [0, 1]. */
  rho?: number;
  /** Ridge γ ≥ 0. */
  ridge: number;
  /** `V_min` of TV and the TV ball: `'data'` (min of the next values, default) or a number. */
  vMin?: 'data' | number;
  /** Upper clip of the KL estimate (`H − h − 1` inside R2PVI); default +∞. */
  vHi?: number;
  /** Divide each row of C = Λ⁻¹Φᵀ by its sum (removes the ridge shrinkage). Default false. */
  normalize?: boolean;
}

/** Per-factor estimate ν (length d) and, for chi2 / tv-ball, the maximising α per factor (null if none). */
export interface FactorEstimate {
  nu: Float64Array;
  alpha?: (number | null)[];
}

/** @internal Option rules shared by the estimators, R2PVI and DR-RPO. */
export const ESTIMATOR_SCHEMA = {
  divergence: opt.oneOf(['none', 'tv', 'kl', 'chi2', 'tv-ball']).require(),
  lambda: opt.number({ min: 0, allowInfinity: true }),
  rho: opt.number({ min: 0, max: 1 }),
  vMin: opt.custom("'data' or a finite number", (v, a) => {
    if (v !== 'data' && !(typeof v === 'number' && Number.isFinite(v))) {
      throw new DroError('E_SPEC', `${a} must be 'data' or a finite number`, {
        argument: a,
        received: describeValue(v),
      });
    }
  }),
};

/** @internal The divergence-dependent requirements on λ and ρ (E_SPEC naming the option). */
export function checkEstimatorOptions(o: { divergence: Divergence; lambda?: number; rho?: number }): void {
  const lam = o.lambda;
  if ((o.divergence === 'tv' || o.divergence === 'kl' || o.divergence === 'chi2') && lam === undefined) {
    throw new DroError('E_SPEC', `lambda is required for divergence '${o.divergence}'`, { argument: 'lambda' });
  }
  if ((o.divergence === 'kl' || o.divergence === 'chi2') && !(lam! > 0)) {
    throw new DroError('E_SPEC', `lambda must be > 0 for ${o.divergence}`, {
      argument: 'lambda',
      received: describeValue(lam),
    });
  }
  if (o.divergence === 'tv-ball' && o.rho === undefined) {
    throw new DroError('E_SPEC', "rho is required for divergence 'tv-ball'", { argument: 'rho' });
  }
}

/**
 * The regression matrix `C = Λ⁻¹Φᵀ` (d × n, row-major; row i = factor i) with `Λ = γI + ΦᵀΦ`, plus `Λ⁻¹`.
 * With `normalize`, each row is divided by its sum; rows summing to ≤ 1e-12 are flagged (their ν is 0).
 */
export function regressionMatrix(
  phi: ArrayLike<number>[],
  gamma: number,
  normalize: boolean,
): { C: Float64Array; lambdaInv: Float64Array; dead: boolean[]; d: number; n: number } {
  const n = phi.length;
  const { lambdaInv } = ridge(phi, new Array<number>(n).fill(0), gamma);
  const d = phi[0]!.length;
  const C = new Float64Array(d * n);
  for (let i = 0; i < d; i++) {
    for (let t = 0; t < n; t++) {
      let s = 0;
      const f = phi[t]!;
      for (let j = 0; j < d; j++) if (f[j] !== 0) s += lambdaInv[i * d + j]! * f[j]!;
      C[i * n + t] = s;
    }
  }
  const dead = new Array<boolean>(d).fill(false);
  if (normalize) {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += C[i * n + t]!;
      if (s <= 1e-12) dead[i] = true;
      else for (let t = 0; t < n; t++) C[i * n + t]! /= s;
    }
  }
  return { C, lambdaInv, dead, d, n };
}

/** Distinct next values ascending, with each sample's group index (prefix sums run over these groups). */
function sortedGroups(V: ArrayLike<number>): { values: number[]; group: Int32Array } {
  const idx = Array.from({ length: V.length }, (_, t) => t).sort((a, b) => V[a]! - V[b]!);
  const values: number[] = [];
  const group = new Int32Array(V.length);
  for (const t of idx) {
    if (values.length === 0 || values[values.length - 1] !== V[t]) values.push(V[t]!);
    group[t] = values.length - 1;
  }
  return { values, group };
}

/**
 * Per-factor estimates from a regression matrix C (d × n) and next values V (length n), exact for every
 * divergence: closed forms for none / TV / KL, breakpoint searches for χ² (piecewise quadratic in α) and the
 * TV ball (piecewise linear).
 */
export function estimateFromC(
  C: Float64Array,
  dead: boolean[],
  d: number,
  V: ArrayLike<number>,
  o: Omit<FactorEstimateOptions, 'ridge' | 'normalize'>,
): FactorEstimate {
  const n = V.length;
  const nu = new Float64Array(d);
  const row = (i: number) => C.subarray(i * n, (i + 1) * n);
  const dot = (r: Float64Array, f: (t: number) => number) => {
    let s = 0;
    for (let t = 0; t < n; t++) s += r[t]! * f(t);
    return s;
  };
  let vMinData = Number.POSITIVE_INFINITY;
  let vMaxData = Number.NEGATIVE_INFINITY;
  for (let t = 0; t < n; t++) {
    vMinData = Math.min(vMinData, V[t]!);
    vMaxData = Math.max(vMaxData, V[t]!);
  }
  const lam = o.lambda ?? Number.POSITIVE_INFINITY;
  const div =
    o.divergence === 'none' || (o.divergence !== 'tv-ball' && lam === Number.POSITIVE_INFINITY) ? 'none' : o.divergence;
  const vMin = o.vMin === undefined || o.vMin === 'data' ? vMinData : o.vMin;
  if (div === 'none' || div === 'tv' || div === 'kl') {
    const vHi = o.vHi ?? Number.POSITIVE_INFINITY;
    for (let i = 0; i < d; i++) {
      if (dead[i]) continue;
      const r = row(i);
      if (div === 'none') nu[i] = dot(r, (t) => V[t]!);
      else if (div === 'tv') {
        const alpha = vMin + lam;
        nu[i] = dot(r, (t) => Math.min(V[t]!, alpha));
      } else {
        // Shift by the minimum before exp (exact: the regression is linear), then clip into [0, vHi].
        const m = vMinData;
        const u = dot(r, (t) => Math.exp(-(V[t]! - m) / lam));
        nu[i] = u <= 0 ? vHi : Math.min(Math.max(m - lam * Math.log(u), 0), vHi);
      }
    }
    return { nu };
  }
  // χ² and TV ball: prefix sums over the ascending distinct values.
  const g = sortedGroups(V);
  const K = g.values.length;
  const alphaOut: (number | null)[] = new Array(d).fill(null);
  for (let i = 0; i < d; i++) {
    if (dead[i]) continue;
    const r = row(i);
    // Per group: Σ C, Σ C V, Σ C V².
    const c0 = new Float64Array(K);
    const c1 = new Float64Array(K);
    const c2 = new Float64Array(K);
    for (let t = 0; t < n; t++) {
      const k = g.group[t]!;
      c0[k]! += r[t]!;
      c1[k]! += r[t]! * V[t]!;
      c2[k]! += r[t]! * V[t]! * V[t]!;
    }
    let total = 0;
    for (let k = 0; k < K; k++) total += c0[k]!;
    let a1 = 0; // Σ_{V ≤ u_k} C V
    let a2 = 0; // Σ_{V ≤ u_k} C V²
    let below = 0; // Σ_{V ≤ u_k} C
    let best = Number.NEGATIVE_INFINITY;
    let bestAlpha: number | null = null;
    const consider = (value: number, alpha: number) => {
      if (value > best) {
        best = value;
        bestAlpha = alpha;
      }
    };
    for (let k = 0; k < K; k++) {
      a1 += c1[k]!;
      a2 += c2[k]!;
      below += c0[k]!;
      const B = total - below; // weight of the samples above u_k (clipped to α on (u_k, u_{k+1}])
      const u = g.values[k]!;
      if (div === 'tv-ball') {
        consider(a1 + B * u - o.rho! * (u - vMin), u);
        continue;
      }
      // z1 = a1 + Bα, z2 = a2 + Bα²; f(α) = z1 − (z2 − z1²)/(4λ) on [u_k, u_{k+1}].
      const f = (alpha: number) => {
        const z1 = a1 + B * alpha;
        const z2 = a2 + B * alpha * alpha;
        return z1 - (z2 - z1 * z1) / (4 * lam);
      };
      consider(f(u), u);
      // Concave piece (B(1 − B) > 0): stationary point α* = (2λ + a1)/(1 − B) if inside the interval.
      if (k + 1 < K && B * (1 - B) > 0) {
        const star = (2 * lam + a1) / (1 - B);
        if (star > u && star < g.values[k + 1]!) consider(f(star), star);
      }
    }
    nu[i] = best;
    alphaOut[i] = bestAlpha;
  }
  return { nu, alpha: alphaOut };
}

/**
 * Per-factor ν of one step from its features `phi [n][d]` and next values (robust-rl spec §3.3): the ridge
 * regression C = Λ⁻¹Φᵀ with Λ = γI + ΦᵀΦ, then the divergence's estimator. Exported for tests and DR-RPO.
 */
export function factorEstimate(
  phi: number[][],
  nextValues: ArrayLike<number>,
  opts: FactorEstimateOptions,
): FactorEstimate {
  checkOptions(
    opts,
    {
      ...ESTIMATOR_SCHEMA,
      ridge: opt.number({ min: 0 }).require(),
      vHi: opt.number({ allowInfinity: true }),
      normalize: opt.boolean(),
    },
    'factorEstimate',
  );
  checkEstimatorOptions(opts);
  const V = toHostVector(nextValues, 'nextValues', 'factorEstimate');
  if (!Array.isArray(phi) || phi.length === 0)
    throw new DroError('E_EMPTY', 'factorEstimate: phi has no rows', { argument: 'phi' });
  checkLength(V.length, phi.length, 'nextValues', 'row of phi');
  const { C, dead, d } = regressionMatrix(phi, opts.ridge, opts.normalize ?? false);
  return estimateFromC(C, dead, d, V, opts);
}
