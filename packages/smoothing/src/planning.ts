import { radiusFromPA } from './certificate.js';
import { checkAlpha, checkCount, checkPositive } from './checks.js';
import { compareLowerToHalf } from './stats/halfTie.js';

/**
 * Largest radius CERTIFY can return with n estimation draws (all n agree): σ·Φ⁻¹(alpha^(1/n)),
 * 0 when even a unanimous vote cannot certify.
 */
export function maxCertifiableRadius(n: number, alpha: number, sigma: number): number {
  checkCount(n, 'n');
  checkAlpha(alpha);
  checkPositive(sigma, 'sigma');
  return radiusFromPA(Math.exp(Math.log(alpha) / n), sigma);
}

/** Least top-class count k with a Clopper–Pearson lower bound above 1/2 (paper rule, decided exactly), or n + 1 if none. */
export function minCountToCertify(n: number, alpha: number): number {
  checkCount(n, 'n');
  checkAlpha(alpha);
  if (compareLowerToHalf(n, n, alpha) !== 1) return n + 1;
  // The lower bound increases with k: bisection for the first k that certifies.
  let lo = 0; // does not certify
  let hi = n; // certifies
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (compareLowerToHalf(mid, n, alpha) === 1) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Least unanimous vote nA for which PREDICT can answer at level alpha: the least nA with
 * 2·(1/2)^nA ≤ alpha. With n below this, PREDICT abstains whatever the model (e.g. n ≤ 10 at 0.001).
 */
export function minUnanimousVotesToPredict(alpha: number): number {
  checkAlpha(alpha);
  let m = Math.max(1, Math.ceil(Math.log2(2 / alpha)) - 1);
  while (2 * 0.5 ** m > alpha) m++;
  while (m > 1 && 2 * 0.5 ** (m - 1) <= alpha) m--;
  return m;
}
