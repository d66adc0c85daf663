import { checkFinite, checkNumber, DroError, describeValue } from './errors.js';
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

const KIND_KEYS: Record<NominalSpec['kind'], readonly string[]> = {
  kl: ['kind', 'lambda'],
  'kl-constrained': ['kind', 'rho', 'tol', 'maxIter', 'solver'],
  chi2: ['kind', 'lambda'],
  'chi2-constrained': ['kind', 'rho'],
  tv: ['kind', 'eps'],
  'tv-penalized': ['kind', 'lambda'],
};

function checkNominalSpec(spec: NominalSpec): void {
  if (spec === null || typeof spec !== 'object') {
    throw new DroError('E_SPEC', 'spec must be an object with a kind', {
      argument: 'spec',
      received: describeValue(spec),
    });
  }
  const keys = KIND_KEYS[spec.kind];
  if (!keys) {
    throw new DroError('E_SPEC', 'spec.kind is not a nominal kind', {
      argument: 'spec.kind',
      expected: `one of ${Object.keys(KIND_KEYS).join(', ')}`,
      received: describeValue(spec.kind),
    });
  }
  for (const key of Object.keys(spec)) {
    if (!keys.includes(key)) {
      throw new DroError('E_SPEC', `worstCaseExpectation: unknown option spec.${key}`, {
        argument: `spec.${key}`,
        expected: `one of ${keys.join(', ')}`,
      });
    }
  }
  switch (spec.kind) {
    case 'kl':
    case 'chi2':
    case 'tv-penalized':
      checkNumber(spec.lambda, 'spec.lambda', { min: 0, allowInfinity: true });
      break;
    case 'kl-constrained':
      checkNumber(spec.rho, 'spec.rho', { min: 0 });
      if (spec.tol !== undefined) checkNumber(spec.tol, 'spec.tol', { min: 0, minExclusive: true });
      if (spec.maxIter !== undefined) checkNumber(spec.maxIter, 'spec.maxIter', { min: 1, integer: true });
      if (spec.solver !== undefined && spec.solver !== 'newton' && spec.solver !== 'bisection') {
        throw new DroError('E_SPEC', 'spec.solver is not a solver', {
          argument: 'spec.solver',
          expected: "'newton' or 'bisection'",
          received: describeValue(spec.solver),
        });
      }
      break;
    case 'chi2-constrained':
      checkNumber(spec.rho, 'spec.rho', { min: 0 });
      break;
    case 'tv':
      checkNumber(spec.eps, 'spec.eps', { min: 0, max: 1 });
      break;
  }
}

/** Validates `values` and `nominal`; returns μ⁰ normalised to sum exactly 1 (within rounding). */
function checkInputs(values: ArrayLike<number>, nominal: ArrayLike<number>): Float64Array {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new DroError('E_DTYPE', 'values must be an array of numbers', {
      argument: 'values',
      received: describeValue(values),
    });
  }
  if (nominal === null || typeof nominal !== 'object' || typeof nominal.length !== 'number') {
    throw new DroError('E_DTYPE', 'nominal must be an array of numbers', {
      argument: 'nominal',
      received: describeValue(nominal),
    });
  }
  if (values.length === 0) throw new DroError('E_EMPTY', 'values is empty', { argument: 'values' });
  if (nominal.length !== values.length) {
    throw new DroError('E_SHAPE', 'nominal must have one entry per value', {
      argument: 'nominal',
      expected: `length ${values.length}`,
      received: `length ${nominal.length}`,
    });
  }
  for (const [arr, name] of [
    [values, 'values'],
    [nominal, 'nominal'],
  ] as const) {
    for (let k = 0; k < arr.length; k++) {
      if (typeof arr[k] !== 'number') {
        throw new DroError('E_DTYPE', `${name}[${k}] is not a number`, {
          argument: name,
          received: describeValue(arr[k]),
        });
      }
    }
    checkFinite(arr, name);
  }
  let sum = 0;
  for (let k = 0; k < nominal.length; k++) {
    if (nominal[k]! < 0) {
      throw new DroError('E_SPEC', `nominal[${k}] is negative`, {
        argument: 'nominal',
        expected: 'non-negative probabilities summing to 1',
        received: describeValue(nominal[k]),
      });
    }
    sum += nominal[k]!;
  }
  if (Math.abs(sum - 1) > 1e-9) {
    throw new DroError('E_SPEC', 'nominal does not sum to 1', {
      argument: 'nominal',
      expected: 'a sum of 1 within 1e-9',
      received: `a sum of ${sum}`,
    });
  }
  const q = new Float64Array(nominal.length);
  for (let k = 0; k < q.length; k++) q[k] = nominal[k]! / sum;
  return q;
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
 * same length ≥ 1 (`E_EMPTY`, `E_SHAPE`, `E_NONFINITE`), `nominal` ≥ 0 summing to 1 within 1e-9
 * (`E_SPEC`), parameters in range and no unknown keys (`E_SPEC`).
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
  if (opts === null || typeof opts !== 'object') {
    throw new DroError('E_SPEC', 'opts must be an object', { argument: 'opts', received: describeValue(opts) });
  }
  for (const key of Object.keys(opts)) {
    if (key !== 'sense') {
      throw new DroError('E_SPEC', `worstCaseExpectation: unknown option opts.${key}`, {
        argument: `opts.${key}`,
        expected: 'sense',
      });
    }
  }
  const sense = opts.sense ?? 'inf';
  if (sense !== 'inf' && sense !== 'sup') {
    throw new DroError('E_SPEC', 'opts.sense is not a sense', {
      argument: 'opts.sense',
      expected: "'inf' or 'sup'",
      received: describeValue(sense),
    });
  }
  const q = checkInputs(values, nominal);
  const l = new Float64Array(values.length);
  for (let k = 0; k < l.length; k++) l[k] = sense === 'inf' ? -values[k]! : values[k]!;
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
