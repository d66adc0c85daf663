import { DroError, normalQuantile } from '@drojs/dro-core';
import { ABSTAIN } from '@drojs/dro-core/host';
import { argmaxLowest, checkAlpha, checkCounts, checkOneOf, checkPositive, checkProbability } from './checks.js';
import { binomPValueHalf } from './stats/binomialTest.js';
import { cpLower } from './stats/clopperPearson.js';
import { compareLowerToHalf } from './stats/halfTie.js';

/**
 * The class index returned when the smoothed classifier abstains: dro-core's `ABSTAIN` (−1), re-exported
 * here for compatibility. It is distinct from sdm's `UNLABELED` (−2).
 */
export { ABSTAIN };

/** `'paper'`: certify only if pA_ > 1/2 (Cohen et al.); `'code'`: abstain only if pA_ < 1/2 (locuslab's core.py). */
export type CertifyRule = 'paper' | 'code';
export const CERTIFY_RULES: readonly CertifyRule[] = ['paper', 'code'];

/** L2 radius σ·Φ⁻¹(pA_) certified by a lower bound pA_ on the top-class probability; 0 if pA_ ≤ 1/2. */
export function radiusFromPA(pALower: number, sigma: number): number {
  checkProbability(pALower, 'pALower');
  checkPositive(sigma, 'sigma');
  if (pALower <= 0.5) return 0;
  return sigma * normalQuantile(pALower);
}

/**
 * The decision step of CERTIFY given the bound (exposed to pin the pA_ = 1/2 convention): under
 * `'paper'` abstain unless pA_ > 1/2; under `'code'` abstain only if pA_ < 1/2 (radius 0 at equality).
 */
export function certifyRuleOnBound(
  pALower: number,
  sigma: number,
  rule: CertifyRule,
): { abstain: boolean; radius: number } {
  checkProbability(pALower, 'pALower');
  checkPositive(sigma, 'sigma');
  checkOneOf(rule, 'rule', CERTIFY_RULES);
  const abstain = rule === 'paper' ? !(pALower > 0.5) : pALower < 0.5;
  return { abstain, radius: abstain ? 0 : radiusFromPA(pALower, sigma) };
}

/**
 * PREDICT from counts (§2.2): top two classes by (count desc, index asc); two-sided binomial test of
 * nA vs nB; returns the top class if p ≤ alpha, else ABSTAIN. All-zero counts abstain with p-value 1.
 */
export function predictFromCounts(
  counts: ArrayLike<number>,
  alpha: number,
): { prediction: number; topClass: number; nA: number; nB: number; pValue: number } {
  checkCounts(counts, 'counts');
  checkAlpha(alpha);
  let a = 0;
  for (let i = 1; i < counts.length; i++) if ((counts[i] as number) > (counts[a] as number)) a = i;
  let b = a === 0 ? 1 : 0;
  for (let i = 0; i < counts.length; i++) {
    if (i !== a && (counts[i] as number) > (counts[b] as number)) b = i;
  }
  const nA = counts[a] as number;
  const nB = counts[b] as number;
  const pValue = binomPValueHalf(nA, nA + nB);
  return { prediction: pValue <= alpha ? a : ABSTAIN, topClass: a, nA, nB, pValue };
}

/** Checks the two count vectors of a certificate and returns their sums (E_EMPTY when one is zero). */
export function checkCountPair(counts0: unknown, counts: unknown, names: [string, string]): { n0: number; n: number } {
  const n0 = checkCounts(counts0, names[0]);
  const n = checkCounts(counts, names[1], (counts0 as ArrayLike<number>).length);
  if (n0 === 0)
    throw new DroError('E_EMPTY', `${names[0]} has no draws`, { argument: names[0], expected: 'a positive total' });
  if (n === 0)
    throw new DroError('E_EMPTY', `${names[1]} has no draws`, { argument: names[1], expected: 'a positive total' });
  return { n0, n };
}

/**
 * CERTIFY from counts (§2.3): cA = argmax of the selection counts (lowest index on ties);
 * pA_ = one-sided Clopper–Pearson lower bound of counts[cA] out of n at alpha; radius σ·Φ⁻¹(pA_) or ABSTAIN.
 */
export function certifyFromCounts(
  counts0: ArrayLike<number>,
  counts: ArrayLike<number>,
  alpha: number,
  sigma: number,
  rule: CertifyRule = 'paper',
): { prediction: number; radius: number; cAHat: number; nA: number; n: number; pALower: number } {
  const { n } = checkCountPair(counts0, counts, ['counts0', 'counts']);
  checkAlpha(alpha);
  checkPositive(sigma, 'sigma');
  checkOneOf(rule, 'rule', CERTIFY_RULES);
  const cAHat = argmaxLowest(counts0);
  const nA = counts[cAHat] as number;
  const pALower = cpLower(nA, n, alpha);
  // The ½ comparison is decided exactly from the counts, not from the rounded bound: an exact tie
  // pA_ = ½ must abstain under 'paper' even when the computed bound rounds to 0.5000000000000001.
  const side = compareLowerToHalf(nA, n, alpha);
  const abstain = rule === 'paper' ? side <= 0 : side < 0;
  const radius = abstain || side === 0 ? 0 : Math.max(0, radiusFromPA(pALower, sigma));
  return { prediction: abstain ? ABSTAIN : cAHat, radius, cAHat, nA, n, pALower };
}
