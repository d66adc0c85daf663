import { checkAlpha, checkTrials } from '../checks.js';
import { binomPmf, binomTails } from './binomialTail.js';

/**
 * Finds t in (0, 1) with ln G(t) = ln target for a monotone, log-concave tail G (a beta CDF or survival
 * function in t). Safeguarded Newton on ln G: a step that leaves the current bracket is replaced by
 * bisection, so the iteration always converges; log-concavity makes Newton monotone after one step.
 */
function solveLogTail(
  logG: (t: number) => { value: number; slope: number },
  target: number,
  increasing: boolean,
  start: number,
): number {
  const lnTarget = Math.log(target);
  let lo = 0;
  let hi = 1;
  let t = start;
  for (let iter = 0; iter < 300; iter++) {
    const { value, slope } = logG(t);
    const f = value - lnTarget;
    if (f === 0) return t;
    // Below target on an increasing tail means the root is to the right.
    if (f < 0 === increasing) lo = t;
    else hi = t;
    let next = t - f / slope;
    if (!Number.isFinite(next) || next <= lo || next >= hi) next = 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 1e-16 * Math.max(t, 1e-300) || next === lo || next === hi) return next;
    t = next;
  }
  return t;
}

/** Root t of P(Bin(n, t) ≥ k) = a for 1 ≤ k ≤ n − 1 (the root is held in t directly). */
function lowerRoot(k: number, n: number, a: number): number {
  return solveLogTail(
    (t) => {
      const g = binomTails(k, n, t, 1 - t).ge;
      const dg = n * binomPmf(k - 1, n - 1, t, 1 - t);
      return { value: Math.log(g), slope: dg / g };
    },
    a,
    true,
    k / n,
  );
}

/** Root u of P(Bin(n, u) ≤ j) = a for 0 ≤ j ≤ n − 1 (the root is held in u directly). */
function upperRoot(j: number, n: number, a: number): number {
  return solveLogTail(
    (u) => {
      const g = binomTails(j + 1, n, u, 1 - u).lt;
      const dg = -n * binomPmf(j, n - 1, u, 1 - u);
      return { value: Math.log(g), slope: dg / g };
    },
    a,
    false,
    (j + 1) / n,
  );
}

function lowerUnchecked(k: number, n: number, a: number): number {
  if (k === 0) return 0;
  if (k === n) return Math.exp(Math.log(a) / n);
  // For k > n/2 the bound is close to 1: solve for its distance from 1 instead (mirror identity).
  if (2 * k > n) return 1 - upperUnchecked(n - k, n, a);
  return lowerRoot(k, n, a);
}

function upperUnchecked(k: number, n: number, a: number): number {
  if (k === n) return 1;
  if (k === 0) return -Math.expm1(Math.log(a) / n);
  if (2 * k >= n) return 1 - lowerUnchecked(n - k, n, a);
  return upperRoot(k, n, a);
}

/**
 * One-sided Clopper–Pearson lower confidence bound at level `alpha` for `k` successes in `n` trials:
 * the p with P(Bin(n, p) ≥ k) = alpha, i.e. BetaInv(alpha; k, n − k + 1); 0 when k = 0 and alpha^(1/n)
 * when k = n. Host float64, about 1e-15 absolute.
 */
export function clopperPearsonLower(k: number, n: number, alpha: number): number {
  checkTrials(k, n);
  checkAlpha(alpha);
  return lowerUnchecked(k, n, alpha);
}

/**
 * One-sided Clopper–Pearson upper confidence bound at level `alpha`: BetaInv(1 − alpha; k + 1, n − k);
 * 1 when k = n and 1 − alpha^(1/n) when k = 0.
 */
export function clopperPearsonUpper(k: number, n: number, alpha: number): number {
  checkTrials(k, n);
  checkAlpha(alpha);
  return upperUnchecked(k, n, alpha);
}

/**
 * Equal-tailed two-sided Clopper–Pearson interval at level `alpha` (alpha/2 in each tail); equals
 * statsmodels' `proportion_confint(k, n, alpha, method='beta')`.
 */
export function clopperPearsonTwoSided(k: number, n: number, alpha: number): { lower: number; upper: number } {
  checkTrials(k, n);
  checkAlpha(alpha);
  return { lower: lowerUnchecked(k, n, alpha / 2), upper: upperUnchecked(k, n, alpha / 2) };
}

/** @internal Unchecked lower bound for callers that validated their input. */
export const cpLower = lowerUnchecked;
/** @internal Unchecked upper bound for callers that validated their input. */
export const cpUpper = upperUnchecked;
