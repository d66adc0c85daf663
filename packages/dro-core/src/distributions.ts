/**
 * Tail probabilities of the normal, t, F and χ² distributions and quantiles of t, F and χ² in float64
 * (the normal ones are in `stats.ts`). One set for every package: causal's and smoothing's copies were folded in here. Tails are computed directly (never as 1 − CDF)
 * so that p-values as small as 1e−300 keep their relative accuracy.
 */

import { betaContinuedFraction, erfc } from './stats.js';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const TINY = 1e-300;

/** Regularised upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a), for a > 0, x ≥ 0. */
export function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x < a + 1) return 1 - gammaincLowerSeries(a, x);
  // Continued fraction (modified Lentz).
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

function gammaincLowerSeries(a: number, x: number): number {
  let ap = a;
  let sum = 1 / a;
  let del = sum;
  for (let i = 0; i < 10000; i++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * 1e-17) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Regularised incomplete beta I_x(a, b), for a, b > 0. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbt = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lbt) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lbt) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Two-sided normal p-value P(|Z| > |z|). */
export function normalTwoSided(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/** Two-sided t p-value P(|T_ν| > |t|). */
export function studentTTwoSided(t: number, nu: number): number {
  return regularizedBeta(nu / (nu + t * t), nu / 2, 0.5);
}

/** F upper tail P(F(d1, d2) > f). */
export function fSf(f: number, d1: number, d2: number): number {
  if (f <= 0) return 1;
  return regularizedBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}

/** χ² upper tail P(χ²_k > x). */
export function chi2Sf(x: number, k: number): number {
  if (x <= 0) return 1;
  return regularizedGammaQ(k / 2, x / 2);
}

/** Smallest x ≥ lo with upper(x) ≤ p, by bracketing and bisection to full precision. */
function invertUpper(upper: (x: number) => number, p: number, lo: number): number {
  let a = lo;
  let b = Math.max(1, lo + 1);
  while (upper(b) > p) {
    a = b;
    b *= 2;
    if (b > 1e300) return Number.POSITIVE_INFINITY;
  }
  for (let i = 0; i < 2000; i++) {
    const m = 0.5 * (a + b);
    if (m === a || m === b) break;
    if (upper(m) > p) a = m;
    else b = m;
  }
  return 0.5 * (a + b);
}

/** t quantile. */
export function studentTQuantile(q: number, nu: number): number {
  if (q === 0.5) return 0;
  if (q < 0.5) return -studentTQuantile(1 - q, nu);
  return invertUpper((t) => 0.5 * studentTTwoSided(t, nu), 1 - q, 0);
}

/** F quantile. */
export function fQuantile(q: number, d1: number, d2: number): number {
  return invertUpper((f) => fSf(f, d1, d2), 1 - q, 0);
}

/** χ² quantile. */
export function chi2Quantile(q: number, k: number): number {
  return invertUpper((x) => chi2Sf(x, k), 1 - q, 0);
}
