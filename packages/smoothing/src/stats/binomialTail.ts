// Binomial probabilities and tails in float64, accurate to a few ulps in relative terms even for
// n ≈ 10⁵ and beyond. The point mass uses Loader's saddle-point form (Stirling error + deviance), which
// avoids the cancellation of lgamma(n) − lgamma(k) − lgamma(n − k) at large n; the tails use the
// continued fraction of the regularised incomplete beta function on whichever side converges, so the
// small tail is always computed directly and never as 1 − (something close to 1).

import { betaContinuedFraction } from '@drojs/dro-core';

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

/** Deviance term x ln(x / m) + m − x, computed without cancellation when x ≈ m. */
export function deviance(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    const v = (x - m) / (x + m);
    let s = (x - m) * v;
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
  return x * Math.log(x / m) + m - x;
}

/**
 * P(X = k) for X ~ Binomial(n, p), with q = 1 − p passed separately so that a p close to 1 keeps its
 * precision. k, n whole numbers with 0 ≤ k ≤ n.
 */
export function binomPmf(k: number, n: number, p: number, q: number): number {
  if (p === 0) return k === 0 ? 1 : 0;
  if (q === 0) return k === n ? 1 : 0;
  if (k === 0) return Math.exp(n * (p < 0.5 ? Math.log1p(-p) : Math.log(q)));
  if (k === n) return Math.exp(n * (q < 0.5 ? Math.log1p(-q) : Math.log(p)));
  const lc = stirlingError(n) - stirlingError(k) - stirlingError(n - k) - deviance(k, n * p) - deviance(n - k, n * q);
  return Math.exp(lc) * Math.sqrt(n / (2 * Math.PI * k * (n - k)));
}

/**
 * Both tails of X ~ Binomial(n, p) split at k: `ge` = P(X ≥ k), `lt` = P(X < k) = 1 − ge. Whichever is
 * computed directly by the continued fraction is accurate in relative terms; the other is 1 minus it.
 * Uses P(X ≥ k) = I_p(k, n − k + 1) and I_x(a, b)·a·B(a, b) = x^a (1 − x)^b · CF, where
 * x^a (1 − x)^b / (a·B(a, b)) = P(Bin(a + b − 1, x) = a)·(1 − x) for whole a ≥ 1, b ≥ 1.
 */
export function binomTails(k: number, n: number, p: number, q: number): { ge: number; lt: number } {
  if (k <= 0) return { ge: 1, lt: 0 };
  if (k > n) return { ge: 0, lt: 1 };
  if (p === 0) return { ge: 0, lt: 1 };
  if (q === 0) return { ge: 1, lt: 0 };
  const a = k;
  const b = n - k + 1;
  if (p < (a + 1) / (a + b + 2)) {
    // I_p(a, b) directly.
    const ge = binomPmf(a, n, p, q) * q * betaContinuedFraction(a, b, p);
    return { ge, lt: 1 - ge };
  }
  // I_p(a, b) = 1 − I_q(b, a); P(Bin(a + b − 1, q) = b) = P(Bin(n, q) = n − k + 1).
  const lt = binomPmf(b, n, q, p) * p * betaContinuedFraction(b, a, q);
  return { ge: 1 - lt, lt };
}
