import { DroError, normalCdf, normalQuantile } from '@drojs/dro-core';
import { checkProbability } from '../validate.js';

/**
 * Standard normal quantile Φ⁻¹(p) in float64; −∞ at 0, +∞ at 1. Built on dro-core's tail-accurate
 * quantile, evaluated on the smaller of p and 1 − p (1 − p is exact for p ≥ 1/2), which makes the
 * function exactly odd: Φ⁻¹(p) + Φ⁻¹(1 − p) = 0, so the DRS condition pL + pR > 1 is decided exactly.
 */
export function normPpf(p: number): number {
  checkProbability(p, 'p');
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  return p > 0.5 ? -normalQuantile(1 - p) : normalQuantile(p);
}

/** Standard normal CDF Φ(z) in float64; z may be ±∞. */
export function normCdf(z: number): number {
  if (typeof z !== 'number' || Number.isNaN(z)) {
    throw new DroError('E_NONFINITE', 'z is not a number', { argument: 'z', received: String(z) });
  }
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  return normalCdf(z);
}
