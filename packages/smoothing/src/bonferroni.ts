import { normalQuantile } from '@drojs/dro-core';
import { ABSTAIN, checkCountPair } from './certificate.js';
import { argmaxLowest, checkAlpha, checkPositive } from './checks.js';
import { cpLower, cpUpper } from './stats/clopperPearson.js';

/**
 * Multi-class certificate with an estimated runner-up (§4.1, Gaussian noise): pA_ at alpha/2,
 * pB^ = min(1 − pA_, max over c ≠ cA of the upper bound at alpha/(2(K−1))); certifies iff pA_ > pB^ with
 * radius σ/2·(Φ⁻¹(pA_) − Φ⁻¹(pB^)). Total failure probability alpha (union bound over K bounds).
 */
export function certifyMulticlassBonferroni(
  counts0: ArrayLike<number>,
  counts: ArrayLike<number>,
  alpha: number,
  sigma: number,
): { prediction: number; radius: number; cAHat: number; pALower: number; pBUpper: number } {
  const { n } = checkCountPair(counts0, counts, ['counts0', 'counts']);
  checkAlpha(alpha);
  checkPositive(sigma, 'sigma');
  const k = counts.length;
  const cAHat = argmaxLowest(counts0);
  const pALower = cpLower(counts[cAHat] as number, n, alpha / 2);
  const aB = alpha / (2 * (k - 1));
  let maxUpper = 0;
  for (let c = 0; c < k; c++) if (c !== cAHat) maxUpper = Math.max(maxUpper, cpUpper(counts[c] as number, n, aB));
  const pBUpper = Math.min(1 - pALower, maxUpper);
  if (!(pALower > pBUpper)) return { prediction: ABSTAIN, radius: 0, cAHat, pALower, pBUpper };
  const radius = (sigma / 2) * (normalQuantile(pALower) - normalQuantile(pBUpper));
  return { prediction: cAHat, radius, cAHat, pALower, pBUpper };
}
