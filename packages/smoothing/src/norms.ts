import { DroError } from '@drojs/dro-core';
import { checkCount, checkPositive, checkProbability } from './checks.js';

/** L1 radius with i.i.d. uniform noise U[−λ, λ] (Yang et al. 2020): 2λ(pA_ − 1/2), 0 if pA_ ≤ 1/2. */
export function l1RadiusUniform(pALower: number, lambda: number): number {
  checkProbability(pALower, 'pALower');
  checkPositive(lambda, 'lambda');
  return pALower <= 0.5 ? 0 : 2 * lambda * (pALower - 0.5);
}

/** L1 radius with i.i.d. Laplace noise of scale λ (Teng et al. 2020): −λ·ln(2(1 − pA_)), 0 if pA_ ≤ 1/2. */
export function l1RadiusLaplace(pALower: number, lambda: number): number {
  checkProbability(pALower, 'pALower');
  checkPositive(lambda, 'lambda');
  if (pALower <= 0.5) return 0;
  return -lambda * Math.log(2 * (1 - pALower));
}

/** L∞ radius implied by an L2 radius in d dimensions: r2/√d (the L∞ ball of that radius fits in the L2 ball). */
export function linfRadiusFromL2(r2: number, d: number): number {
  if (typeof r2 !== 'number' || Number.isNaN(r2) || r2 < 0) {
    throw new DroError(Number.isNaN(r2) ? 'E_NONFINITE' : 'E_SPEC', 'r2 must be a number ≥ 0', {
      argument: 'r2',
      received: String(r2),
    });
  }
  checkCount(d, 'd');
  return r2 / Math.sqrt(d);
}
