import { DroError, describeValue } from './errors.js';
import { chi2To, klTo, tvTo } from './nominalDivergence.js';
import {
  chi2ConstrainedSup,
  chi2PenalizedSup,
  klConstrainedSup,
  klPenalizedSup,
  type SupResult,
  tvBallSup,
  tvPenalizedSup,
} from './nominalSolvers.js';
import { checkLength, toHostVector } from './validate/hostInputs.js';
import { checkOptions, type OptionSchema, opt } from './validate/options.js';

/**
 * The uncertainty set (or penalty) around a nominal distribution μ⁰ (R2.4). Divergences:
 * `KL(μ‖μ⁰) = Σ μ log(μ/μ⁰)`, `χ²(μ‖μ⁰) = ½ Σ (μ − μ⁰)²/μ⁰` (half the Pearson χ²), `TV = ½ Σ |μ − μ⁰|`.
 * KL and χ² keep μ ≪ μ⁰; the TV kinds may put mass where μ⁰ = 0. `lambda: Infinity` means no robustness.
 */
export type NominalSpec =
  | { kind: 'kl'; lambda: number }
  | { kind: 'kl-constrained'; rho: number; tol?: number; maxIter?: number; solver?: 'newton' | 'bisection' }
  | { kind: 'chi2'; lambda: number }
  | { kind: 'chi2-constrained'; rho: number }
  | { kind: 'tv'; eps: number }
  | { kind: 'tv-penalized'; lambda: number };

/** What a worst-case solve reports besides the value and weights. */
export interface NominalInfo {
  /** The kind's divergence (KL, χ² or TV) between the returned weights and μ⁰. */
  divergence: number;
  /** `kl-constrained` dual temperature: `null` = +∞ (μ⁰ itself), 0 = the extreme limit. */
  lambda?: number | null;
  /** χ² threshold in the inf sense (`μ ∝ μ⁰ (α − v)₊`); `null` where undefined. */
  alpha?: number | null;
  /** χ² threshold in the sup sense (`μ ∝ μ⁰ (l − η)₊`); `null` where undefined. */
  eta?: number | null;
  /** TV kinds: the mass moved. */
  moved?: number;
  /** The dual objective at the solution, where a dual is given (equals `value` up to rounding). */
  dualValue?: number;
  iterations: number;
  converged: boolean;
}

/** Result of {@link worstCaseExpectation}. */
export interface WorstCaseResult {
  /** Inf sense: `E_μ* v + λ D` (penalised) or `E_μ* v` (constrained); sup sense with `−λ D`. */
  value: number;
  /** The worst-case distribution μ*, length K, non-negative, summing to 1. */
  weights: Float64Array;
  info: NominalInfo;
}

const penalty = opt.number({ min: 0, allowInfinity: true }).require();
const radius = opt.number({ min: 0 }).require();
const KIND_SCHEMAS: Record<NominalSpec['kind'], OptionSchema> = {
  kl: { lambda: penalty },
  'kl-constrained': {
    rho: radius,
    tol: opt.number({ min: 0, minExclusive: true }),
    maxIter: opt.integer({ min: 1 }),
    solver: opt.oneOf(['newton', 'bisection']),
  },
  chi2: { lambda: penalty },
  'chi2-constrained': { rho: radius },
  tv: { eps: opt.number({ min: 0, max: 1 }).require() },
  'tv-penalized': { lambda: penalty },
};
const KINDS = Object.keys(KIND_SCHEMAS) as NominalSpec['kind'][];

function checkNominalSpec(spec: NominalSpec): void {
  if (spec === null || typeof spec !== 'object') {
    throw new DroError('E_SPEC', 'worstCaseExpectation: spec must be an object with a kind', {
      argument: 'spec',
      received: describeValue(spec),
    });
  }
  opt.oneOf(KINDS).check(spec.kind, 'spec.kind');
  checkOptions(
    spec,
    { kind: opt.any(), ...KIND_SCHEMAS[spec.kind] },
    `worstCaseExpectation spec (kind '${spec.kind}')`,
  );
}

/** Validates `values` and `nominal`; returns μ⁰ normalised to sum exactly 1 (within rounding). */
function checkInputs(values: unknown, nominal: unknown): { v: Float64Array; q: Float64Array } {
  const v = toHostVector(values, 'values', 'worstCaseExpectation');
  const q = toHostVector(nominal, 'nominal', 'worstCaseExpectation');
  checkLength(q.length, v.length, 'nominal', 'value');
  let sum = 0;
  for (let k = 0; k < q.length; k++) {
    if (q[k]! < 0) {
      throw new DroError('E_SPEC', `worstCaseExpectation: nominal[${k}] is negative`, {
        argument: 'nominal',
        expected: 'non-negative probabilities summing to 1',
        received: describeValue(q[k]),
      });
    }
    sum += q[k]!;
  }
  if (Math.abs(sum - 1) > 1e-9) {
    throw new DroError('E_SPEC', 'worstCaseExpectation: nominal does not sum to 1', {
      argument: 'nominal',
      expected: 'a sum of 1 within 1e-9',
      received: `a sum of ${sum}`,
    });
  }
  for (let k = 0; k < q.length; k++) q[k]! /= sum;
  return { v, q };
}

/**
 * Worst-case expectation of `values` over a divergence ball (or penalty) around the nominal distribution
 * `nominal` — the inner problem of robust RL's Bellman backup and of robust losses with a non-uniform
 * reference (dro-core spec, R2.4). Host float64, exact closed forms or safeguarded 1-D roots.
 *
 * - `sense: 'inf'` (default, robust RL): `inf_μ E_μ v + λ D(μ‖μ⁰)` or `inf_{D(μ‖μ⁰) ≤ ρ} E_μ v`;
 * - `sense: 'sup'` (robust loss): `sup_μ E_μ v − λ D(μ‖μ⁰)` or `sup_{D ≤ ρ} E_μ v`.
 *
 * Shift-equivariant (`values + c` moves the value by c), monotone in the radius and penalty, equal to the
 * nominal mean at radius 0 / λ = ∞ and to the minimum (maximum) at the extreme. KL and χ² take the extreme
 * over the support of μ⁰, the TV kinds over all entries. Validation: `values`, `nominal` finite with the
 * same length ≥ 1 (`E_EMPTY`, `E_SHAPE`, `E_NONFINITE`); `nominal` ≥ 0 summing to 1 within 1e-9, parameters in
 * range and no unknown keys (`E_SPEC`).
 *
 * @example
 * ```ts
 * const { value } = worstCaseExpectation([0, 1, 2], [0.25, 0.5, 0.25], { kind: 'kl', lambda: 0.5 });
 * ```
 */
export function worstCaseExpectation(
  values: ArrayLike<number>,
  nominal: ArrayLike<number>,
  spec: NominalSpec,
  opts: { sense?: 'inf' | 'sup' } = {},
): WorstCaseResult {
  checkNominalSpec(spec);
  const sense = checkOptions(opts, { sense: opt.oneOf(['inf', 'sup']) }, 'worstCaseExpectation').sense ?? 'inf';
  const { v, q } = checkInputs(values, nominal);
  const l = new Float64Array(v.length);
  for (let k = 0; k < l.length; k++) l[k] = sense === 'inf' ? -v[k]! : v[k]!;
  let r: SupResult;
  let divergenceOf: (w: Float64Array) => number;
  switch (spec.kind) {
    case 'kl':
      divergenceOf = (w) => klTo(w, q);
      r = klPenalizedSup(l, q, spec.lambda);
      break;
    case 'kl-constrained':
      divergenceOf = (w) => klTo(w, q);
      // tol 1e-12 (not §4.2's 1e-7): the value is compared at rel 1e-9 and moves by λ per unit of KL.
      r = klConstrainedSup(l, q, spec.rho, spec.tol ?? 1e-12, spec.maxIter ?? 200, spec.solver ?? 'newton');
      break;
    case 'chi2':
      divergenceOf = (w) => chi2To(w, q);
      r = chi2PenalizedSup(l, q, spec.lambda, divergenceOf);
      break;
    case 'chi2-constrained':
      divergenceOf = (w) => chi2To(w, q);
      r = chi2ConstrainedSup(l, q, spec.rho, divergenceOf);
      break;
    case 'tv':
      divergenceOf = (w) => tvTo(w, q);
      r = tvBallSup(l, q, spec.eps);
      break;
    case 'tv-penalized':
      divergenceOf = (w) => tvTo(w, q);
      r = tvPenalizedSup(l, q, spec.lambda);
      break;
  }
  const flip = sense === 'inf' ? -1 : 1;
  const info: NominalInfo = { divergence: divergenceOf(r.weights), iterations: r.iterations, converged: r.converged };
  if (r.lambda !== undefined) info.lambda = r.lambda;
  if (r.eta !== undefined) {
    if (sense === 'inf') info.alpha = r.eta === null ? null : -r.eta + 0;
    else info.eta = r.eta;
  }
  if (r.moved !== undefined) info.moved = r.moved;
  if (r.dualValue !== undefined) info.dualValue = flip * r.dualValue + 0;
  // `+ 0` turns the −0 of a negated zero into 0.
  return { value: flip * r.value + 0, weights: r.weights, info };
}
