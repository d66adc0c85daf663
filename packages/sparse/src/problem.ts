import { DroError } from '@drojs/dro-core/host';
import { type Columns, isConstantColumn } from './input.js';
import type { Family } from './types.js';

/**
 * The standardised problem the solvers work on (spec §3): Z (column-major), the centred outcome, the
 * centring and scaling, and the layout of θ (binomial with intercept: θ = (b₀, b), else θ = b).
 * @internal
 */
export interface Problem {
  readonly n: number;
  readonly p: number;
  readonly family: Family;
  readonly intercept: boolean;
  /** 1 when θ carries an unpenalised intercept (binomial with intercept), else 0. */
  readonly off: number;
  /** Length of θ. */
  readonly d: number;
  readonly z: Float64Array;
  /** Gaussian: ỹ = y − ȳ; binomial: y ∈ {0, 1}. */
  readonly y: Float64Array;
  /** ȳ (0 for a Gaussian problem without intercept). */
  readonly yMean: number;
  readonly center: Float64Array;
  readonly scale: Float64Array;
}

/** Binomial labels must be 0/1 (E_LABEL_RANGE) with both classes present (E_SPEC). */
export function checkBinaryLabels(y: Float64Array, argument = 'y'): void {
  let ones = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (v !== 0 && v !== 1) {
      throw new DroError('E_LABEL_RANGE', `${argument}[${i}] is not 0 or 1 (binomial family)`, {
        argument,
        expected: 'labels in {0, 1}',
        received: String(v),
      });
    }
    ones += v;
  }
  if (ones === 0 || ones === y.length) {
    throw new DroError('E_SPEC', `${argument} holds a single class; a binomial fit needs both 0 and 1`, {
      argument,
      expected: 'both classes',
      received: `only ${ones === 0 ? 0 : 1}`,
    });
  }
}

/**
 * Centres and scales X with the 1/n variance (glmnet's convention) and prepares y.
 * Constant columns → E_RANK (see spec §3 for the cases).
 */
export function buildProblem(
  x: Columns,
  y: Float64Array,
  family: Family,
  intercept: boolean,
  standardize: boolean,
  argument = 'X',
): Problem {
  const { n, p, data } = x;
  if (family === 'binomial') checkBinaryLabels(y);
  const center = new Float64Array(p);
  const scale = new Float64Array(p).fill(1);
  for (let j = 0; j < p; j++) {
    if (intercept && isConstantColumn(x, j)) {
      throw new DroError('E_RANK', `${argument} column ${j} is constant (it duplicates the intercept)`, {
        argument,
        expected: 'non-constant columns',
        received: `column ${j} constant`,
      });
    }
    const col = data.subarray(j * n, (j + 1) * n);
    let m = 0;
    if (intercept) {
      for (let i = 0; i < n; i++) m += col[i]!;
      m /= n;
    }
    center[j] = m;
    if (standardize) {
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const c = col[i]! - m;
        ss += c * c;
      }
      const s = Math.sqrt(ss / n);
      if (!(s > 0)) {
        throw new DroError('E_RANK', `${argument} column ${j} has zero scale`, {
          argument,
          expected: 'non-zero columns',
          received: `column ${j} all zero`,
        });
      }
      scale[j] = s;
    }
  }
  const z = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const m = center[j]!;
    const s = scale[j]!;
    const o = j * n;
    for (let i = 0; i < n; i++) z[o + i] = (data[o + i]! - m) / s;
  }
  let yMean = 0;
  if (intercept || family === 'binomial') {
    for (let i = 0; i < n; i++) yMean += y[i]!;
    yMean /= n;
  }
  const off = family === 'binomial' && intercept ? 1 : 0;
  let yt: Float64Array;
  if (family === 'gaussian') {
    yt = new Float64Array(n);
    const m = intercept ? yMean : 0;
    for (let i = 0; i < n; i++) yt[i] = y[i]! - m;
  } else yt = Float64Array.from(y);
  return { n, p, family, intercept, off, d: off + p, z, y: yt, yMean: intercept ? yMean : 0, center, scale };
}

/** The null model θ₀: b = 0 and, for a binomial intercept, b₀ = log(ȳ/(1 − ȳ)). */
export function nullTheta(prob: Problem): Float64Array {
  const t = new Float64Array(prob.d);
  if (prob.off === 1) t[0] = Math.log(prob.yMean / (1 - prob.yMean));
  return t;
}

/** Original-scale intercept and coefficients from θ (spec §3 back-transform). */
export function backTransform(prob: Problem, theta: Float64Array): { intercept: number; coef: Float64Array } {
  const coef = new Float64Array(prob.p);
  let s = 0;
  for (let j = 0; j < prob.p; j++) {
    const b = theta[prob.off + j]! / prob.scale[j]!;
    coef[j] = b;
    s += prob.center[j]! * b;
  }
  if (!prob.intercept) return { intercept: 0, coef };
  const b0 = prob.family === 'gaussian' ? prob.yMean : theta[0]!;
  return { intercept: b0 - s, coef };
}

/** The standardised intercept reported with a fit: ȳ (Gaussian), b₀ (binomial), 0 without intercept. */
export function standardizedIntercept(prob: Problem, theta: Float64Array): number {
  if (!prob.intercept) return 0;
  return prob.family === 'gaussian' ? prob.yMean : theta[0]!;
}
