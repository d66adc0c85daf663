// Binomial point masses and tails in log space, accurate in relative terms for n up to 2³¹ and for
// success probabilities down to the bottom of the float64 range (and below: the probability enters as
// its logarithm). The point mass uses Loader's saddle-point form (Stirling error + deviance), which avoids
// the cancellation of lgamma(n) − lgamma(k) − lgamma(n − k) at large n. The deviances take the difference
// x − m computed from whichever of p, q is small, so q = 1 − p is never formed where it would lose digits
// (at n ≈ 2³¹ a rounded q costs n·2⁻⁵³ ≈ 10⁻⁷ relative). Tails are summed term by term from the end nearer
// the mode outwards (the terms then decrease), so the small tail is always computed directly.

const LN_SQRT_2PI = 0.9189385332046727; // ln √(2π)

// ln(n!) for n ≤ 15 from exact products (all factorials up to 15! are exact in float64).
const LN_FACT: number[] = [];
{
  let f = 1;
  for (let i = 0; i <= 15; i++) {
    if (i > 0) f *= i;
    LN_FACT.push(Math.log(f));
  }
}

/** Stirling error δ(n) = ln n! − [(n + ½) ln n − n + ln √(2π)] for a whole n ≥ 1 (0 for n = 0). */
export function stirlingError(n: number): number {
  if (n <= 0) return 0;
  if (n <= 15) return (LN_FACT[n] as number) - ((n + 0.5) * Math.log(n) - n + LN_SQRT_2PI);
  const nn = n * n;
  const S0 = 1 / 12;
  const S1 = 1 / 360;
  const S2 = 1 / 1260;
  const S3 = 1 / 1680;
  const S4 = 1 / 1188;
  if (n > 500) return (S0 - S1 / nn) / n;
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

/**
 * A success probability carried as both p and q = 1 − p with their logarithms, each accurate in relative
 * terms: the caller builds it from whichever of the two is small (see `probFromSmall`).
 */
export interface Prob {
  p: number;
  q: number;
  lnp: number;
  lnq: number;
}

/**
 * The probability whose smaller side is w (w ≤ ½), given as `w` and its logarithm `lnw` (lnw alone
 * carries w when w underflows); `isQ` says whether w is q (else it is p).
 */
export function probFromSmall(w: number, lnw: number, isQ: boolean): Prob {
  const other = 1 - w;
  const lnOther = Math.log1p(-w);
  return isQ ? { p: other, q: w, lnp: lnOther, lnq: lnw } : { p: w, q: other, lnp: lnw, lnq: lnOther };
}

/** Deviance x ln(x/m) + m − x given d = x − m and lnRatio = ln(x/m); the series near x = m has no cancellation. */
function deviance(x: number, m: number, d: number, lnRatio: number): number {
  if (Math.abs(d) < 0.1 * (x + m)) {
    const v = d / (x + m);
    let s = d * v;
    let ej = 2 * x * v;
    const v2 = v * v;
    for (let j = 1; j < 1000; j++) {
      ej *= v2;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * lnRatio - d;
}

/** ln(x/m) with m = n·r: one rounding when m is a normal double, else from logs (m below the float64 range). */
function lnRatio(x: number, m: number, lnn: number, lnr: number): number {
  return m > 1e-290 ? Math.log(x / m) : Math.log(x) - lnn - lnr;
}

/** ln P(X = k) for X ~ Binomial(n, p), whole 0 ≤ k ≤ n. */
export function logBinomPmf(k: number, n: number, P: Prob): number {
  if (k === 0) return n * P.lnq;
  if (k === n) return n * P.lnp;
  // x − m for both deviances from the small side: k − np = −((n − k) − nq).
  const np = n * P.p;
  const nq = n * P.q;
  const d1 = P.p <= P.q ? k - np : nq - (n - k);
  const lnn = Math.log(n);
  const dev1 = deviance(k, np, d1, lnRatio(k, np, lnn, P.lnp));
  const dev2 = deviance(n - k, nq, -d1, lnRatio(n - k, nq, lnn, P.lnq));
  return (
    stirlingError(n) -
    stirlingError(k) -
    stirlingError(n - k) -
    dev1 -
    dev2 +
    0.5 * (lnn - Math.log(k) - Math.log(n - k)) -
    LN_SQRT_2PI
  );
}

/** ln Σ of a decreasing run of terms given by their ratios, relative to its first term (≥ 0). */
function logRunSum(first: number, last: number, step: 1 | -1, ratio: (i: number) => number): number {
  let s = 1;
  let term = 1;
  for (let i = first; i !== last; i += step) {
    term *= ratio(i);
    const s1 = s + term;
    // The run decreases from its first term, so once a term no longer changes the sum none will.
    if (s1 === s) break;
    s = s1;
  }
  return Math.log(s);
}

/** p/q as a plain ratio when both are normal doubles (one rounding per term), else via logs. */
function oddsRatio(P: Prob): ((a: number, b: number) => number) | null {
  if (P.p > 1e-290 && P.q > 1e-290) {
    const rho = P.p / P.q;
    return (a, b) => (a * rho) / b;
  }
  return null;
}

/** ln P(X ≥ k) summed upwards from k; requires k ≥ (n + 1)p so that the terms decrease. */
function logUpperRun(k: number, n: number, P: Prob): number {
  const lnRho = P.lnp - P.lnq;
  const odds = oddsRatio(P);
  const ratio = odds ? (i: number) => odds(n - i, i + 1) : (i: number) => Math.exp(Math.log((n - i) / (i + 1)) + lnRho);
  return logBinomPmf(k, n, P) + logRunSum(k, n, 1, ratio);
}

/** ln P(X ≤ j) summed downwards from j; requires j ≤ (n + 1)p so that the terms decrease. */
function logLowerRun(j: number, n: number, P: Prob): number {
  const lnRho = P.lnq - P.lnp;
  const inv: Prob = { p: P.q, q: P.p, lnp: P.lnq, lnq: P.lnp };
  const odds = oddsRatio(inv);
  const ratio = odds ? (i: number) => odds(i, n - i + 1) : (i: number) => Math.exp(Math.log(i / (n - i + 1)) + lnRho);
  return logBinomPmf(j, n, P) + logRunSum(j, 0, -1, ratio);
}

/** ln(1 − e^x) for x < 0 without cancellation. */
export function log1mExp(x: number): number {
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/** Whether k lies at or above (n + 1)p, i.e. P(X = i) decreases for i ≥ k (decided from the small side). */
function atOrAboveMode(k: number, n: number, P: Prob): boolean {
  // k ≥ (n + 1)p ⇔ (n + 1)q ≥ n + 1 − k.
  return P.p <= P.q ? k >= (n + 1) * P.p : (n + 1) * P.q >= n + 1 - k;
}

/** ln P(X ≥ k) for X ~ Binomial(n, p); 0 for k ≤ 0, −∞ for k > n. */
export function logBinomGe(k: number, n: number, P: Prob): number {
  if (k <= 0) return 0;
  if (k > n) return Number.NEGATIVE_INFINITY;
  if (atOrAboveMode(k, n, P)) return logUpperRun(k, n, P);
  return log1mExp(logLowerRun(k - 1, n, P));
}

/** ln P(X ≤ j) for X ~ Binomial(n, p); 0 for j ≥ n, −∞ for j < 0. */
export function logBinomLe(j: number, n: number, P: Prob): number {
  if (j >= n) return 0;
  if (j < 0) return Number.NEGATIVE_INFINITY;
  if (!atOrAboveMode(j, n, P)) return logLowerRun(j, n, P);
  return log1mExp(logUpperRun(j + 1, n, P));
}

/** P(X = k) for X ~ Binomial(n, p) with q = 1 − p passed separately (kept for callers with p, q in hand). */
export function binomPmf(k: number, n: number, p: number, q: number): number {
  if (p === 0) return k === 0 ? 1 : 0;
  if (q === 0) return k === n ? 1 : 0;
  const P = p <= q ? probFromSmall(p, Math.log(p), false) : probFromSmall(q, Math.log(q), true);
  return Math.exp(logBinomPmf(k, n, P));
}
