import { countBelow } from './distance.js';

/**
 * Effective sample sizes and DKW half-widths (spec §4.13): n_c = min(#{v ∈ R_c : v < q′}, |R_c| − 1)
 * (0 for an empty R_c) and ε_c = sqrt(ln(2/(1−α′)) / (2·n_c)), with ε_c = 1 when n_c = 0 or α′ = 1.
 */
export function effectiveSampleSizes(
  qPrime: number,
  qPrimeSortedPerClass: readonly ArrayLike<number>[],
  alpha: number,
): { n: Float64Array; eps: Float64Array } {
  const c = qPrimeSortedPerClass.length;
  const n = new Float64Array(c);
  const eps = new Float64Array(c);
  const logTerm = Math.log(2 / (1 - alpha));
  for (let k = 0; k < c; k++) {
    const r = qPrimeSortedPerClass[k]!;
    const nk = r.length === 0 ? 0 : Math.min(countBelow(r, qPrime), r.length - 1);
    n[k] = nk;
    eps[k] = nk > 0 && alpha < 1 ? Math.sqrt(logTerm / (2 * nk)) : 1;
  }
  return { n, eps };
}

/** d ∓ max_c ε_c clipped to [0, 1]. */
export function distanceBounds(d: number, eps: ArrayLike<number>): { dLower: number; dUpper: number } {
  let e = 0;
  for (let i = 0; i < eps.length; i++) if ((eps[i] as number) > e) e = eps[i] as number;
  const clip = (x: number) => (x < 0 ? 0 : Math.min(x, 1));
  return { dLower: clip(d - e), dUpper: clip(d + e) };
}

/**
 * ⌈ln(2/(1−α′)) / (2·d²)⌉: the effective sample size per class at which the DKW margin ε_c falls below d,
 * i.e. from which d_lower = d − ε > 0 (spec §4.13); null when d = 0 or α′ = 1 (never).
 */
export function samplesForMargin(d: number, alpha: number): number | null {
  return d > 0 && alpha < 1 ? Math.ceil(Math.log(2 / (1 - alpha)) / (2 * d * d)) : null;
}
