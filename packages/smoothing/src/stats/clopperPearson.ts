import { logGamma } from '@drojs/dro-core';
import { checkAlpha, checkTrials } from '../checks.js';
import { log1mExp, logBinomGe, logBinomPmf, probFromSmall } from './binomialTail.js';

/** A root held on both sides: t and 1 − t, each accurate in relative terms. */
interface Root {
  t: number;
  v: number;
}

const LN_HALF = -Math.LN2;

function lnChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * Root t of P(Bin(n, t) ≥ k) = α for 1 ≤ k ≤ n − 1, with α given as ln α (so α may be as small as the
 * float64 range allows and the root far below it). The unknown is w = min(t, 1 − t), solved as s = ln w
 * by safeguarded Newton inside a bracket (log-concave tails make Newton monotone after one step), then
 * polished in w itself so that the result is good to a few ulps rather than to ulp(ln w).
 */
function rootGe(k: number, n: number, lnAlpha: number): Root {
  const atHalf = logBinomGe(k, n, probFromSmall(0.5, LN_HALF, false));
  // G increases in t: G(½) ≥ α puts the root at or below ½ (w = t), else above (w = 1 − t).
  const isQ = atHalf < lnAlpha;
  if (atHalf === lnAlpha) return { t: 0.5, v: 0.5 };
  const sign = isQ ? -1 : 1; // dF/ds has this sign
  const F = (s: number, w: number): { f: number; df: number } => {
    const P = probFromSmall(w, s, isQ);
    const lnG = logBinomGe(k, n, P);
    const lnDensity = Math.log(n) + logBinomPmf(k - 1, n - 1, P);
    return { f: lnG - lnAlpha, df: sign * Math.exp(s + lnDensity - lnG) };
  };
  // Bracket in s. Not isQ: G ≤ C(n, k)·t^k, so below sLo the tail is under α. isQ: with m = n − k + 1,
  // 1 − G = P(Bin(n, v) ≥ m) ≤ C(n, m)·v^m, so below sLo the tail is over α.
  const m = isQ ? n - k + 1 : k;
  const lnTarget = isQ ? log1mExp(lnAlpha) : lnAlpha;
  let lo = (lnTarget - lnChoose(n, m)) / m - 1;
  let hi = LN_HALF;
  let fLo = Number.NaN; // F at lo and hi once evaluated (for the secant fallback)
  let fHi = Number.NaN;
  let s = Math.min(Math.max(Math.log(m / n), lo), hi);
  for (let iter = 0; iter < 400; iter++) {
    const { f, df } = F(s, Math.exp(s));
    if (f === 0) break;
    // F increases in s when sign > 0: a negative F puts the root above s.
    if (f * sign < 0) {
      lo = s;
      fLo = f;
    } else {
      hi = s;
      fHi = f;
    }
    const step = f / df;
    if (Math.abs(step) <= 4e-16 * Math.max(1, Math.abs(s))) {
      s -= step;
      break;
    }
    let next = s - step;
    // A Newton step that leaves the bracket (rounding once a bracket end sits next to the root, or
    // curvature far from it) falls back to the secant through the bracket ends, then to bisection.
    if (!(next > lo && next < hi)) next = lo - (fLo * (hi - lo)) / (fHi - fLo);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    s = next;
    if (!(hi - lo > 4e-16 * Math.max(1, Math.abs(s)))) break;
  }
  let w = Math.exp(s);
  // Polish in w: ln w is then the exact log of the double w, so ulp(ln w) no longer limits the result.
  if (w >= 1e-300) {
    for (let iter = 0; iter < 4; iter++) {
      const lnw = Math.log(w);
      const { f, df } = F(lnw, w);
      const next = w * Math.exp(-f / df);
      if (!(next > 0 && next <= 0.5) || next === w) break;
      w = next;
    }
  }
  return isQ ? { t: 1 - w, v: w } : { t: w, v: 1 - w };
}

/** The lower bound as a root: P(Bin(n, t) ≥ k) = α. */
function lowerRoot(k: number, n: number, lnAlpha: number): Root {
  if (k === 0) return { t: 0, v: 1 };
  if (k === n) {
    const x = lnAlpha / n; // α^(1/n)
    return { t: Math.exp(x), v: -Math.expm1(x) };
  }
  return rootGe(k, n, lnAlpha);
}

/** The upper bound as a root: P(Bin(n, u) ≤ k) = α, i.e. P(Bin(n, 1 − u) ≥ n − k) = α. */
function upperRoot(k: number, n: number, lnAlpha: number): Root {
  const r = lowerRoot(n - k, n, lnAlpha);
  return { t: r.v, v: r.t };
}

function lowerUnchecked(k: number, n: number, alpha: number): number {
  return lowerRoot(k, n, Math.log(alpha)).t;
}

function upperUnchecked(k: number, n: number, alpha: number): number {
  return upperRoot(k, n, Math.log(alpha)).t;
}

/**
 * One-sided Clopper–Pearson lower confidence bound at level `alpha` for `k` successes in `n` trials:
 * the p with P(Bin(n, p) ≥ k) = alpha, i.e. BetaInv(alpha; k, n − k + 1); 0 when k = 0 and alpha^(1/n)
 * when k = n. Host float64, solved in log space: a few ulps relative for bounds in the normal float64
 * range, for any n ≤ 2³¹ − 1 and any alpha in (0, 1) (down to the smallest subnormal); a bound below
 * the float64 range is returned as its rounding (a subnormal or 0).
 */
export function clopperPearsonLower(k: number, n: number, alpha: number): number {
  checkTrials(k, n);
  checkAlpha(alpha);
  return lowerUnchecked(k, n, alpha);
}

/**
 * One-sided Clopper–Pearson upper confidence bound at level `alpha`: BetaInv(1 − alpha; k + 1, n − k);
 * 1 when k = n and 1 − alpha^(1/n) when k = 0. Same accuracy as {@link clopperPearsonLower}.
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
