import { DroError, normalQuantile } from '@drojs/dro-core';
import { ABSTAIN, checkCountPair } from '../certificate.js';
import { argmaxLowest, checkAlpha, checkPositive, checkProbability } from '../checks.js';
import { cpLower } from '../stats/clopperPearson.js';

/**
 * Sound DRS radius (§3.4): (Φ⁻¹(pL_) + Φ⁻¹(pR_)) / √(σL⁻² + σR⁻²) when the sum of quantiles is positive
 * (exactly when pL_ + pR_ > 1), else 0 (abstain). A side below 1/2 keeps its negative term.
 * Both bounds must be for the same class; each at alpha/2 for a total failure probability alpha.
 */
export function drsRadius(pLLower: number, pRLower: number, sigmaL: number, sigmaR: number = sigmaL): number {
  checkProbability(pLLower, 'pLLower');
  checkProbability(pRLower, 'pRLower');
  checkPositive(sigmaL, 'sigmaL');
  checkPositive(sigmaR, 'sigmaR');
  if (pLLower === 0 || pRLower === 0) return 0;
  const s = normalQuantile(pLLower) + normalQuantile(pRLower);
  if (!(s > 0)) return 0;
  return s / Math.sqrt(1 / (sigmaL * sigmaL) + 1 / (sigmaR * sigmaR));
}

/**
 * DRS CERTIFY from counts (§3.6): cA = argmax of the summed selection counts (lowest index on ties);
 * per-side Clopper–Pearson bounds at alpha/2 (splitAlpha, sound at 1 − alpha) or alpha (the authors'
 * accounting, sound at 1 − 2 alpha); the sound radius, ABSTAIN when it is 0.
 */
export function dualCertifyFromCounts(
  counts0L: ArrayLike<number>,
  counts0R: ArrayLike<number>,
  countsL: ArrayLike<number>,
  countsR: ArrayLike<number>,
  alpha: number,
  sigmaL: number,
  sigmaR: number = sigmaL,
  splitAlpha = true,
): { prediction: number; radius: number; cAHat: number; pLLower: number; pRLower: number } {
  const { n: nL } = checkCountPair(counts0L, countsL, ['counts0L', 'countsL']);
  const { n: nR } = checkCountPair(counts0R, countsR, ['counts0R', 'countsR']);
  if (counts0L.length !== counts0R.length) {
    throw new DroError('E_SHAPE', 'counts0R has the wrong length', {
      argument: 'counts0R',
      expected: `${counts0L.length} classes (the length of counts0L)`,
      received: `length ${counts0R.length}`,
    });
  }
  checkAlpha(alpha);
  checkPositive(sigmaL, 'sigmaL');
  checkPositive(sigmaR, 'sigmaR');
  if (typeof splitAlpha !== 'boolean') {
    throw new DroError('E_SPEC', 'splitAlpha must be a boolean', {
      argument: 'splitAlpha',
      received: typeof splitAlpha,
    });
  }
  const sum = Array.from(counts0L, (v, i) => v + (counts0R[i] as number));
  const cAHat = argmaxLowest(sum);
  const a = splitAlpha ? alpha / 2 : alpha;
  const pLLower = cpLower(countsL[cAHat] as number, nL, a);
  const pRLower = cpLower(countsR[cAHat] as number, nR, a);
  const radius = drsRadius(pLLower, pRLower, sigmaL, sigmaR);
  return { prediction: radius > 0 ? cAHat : ABSTAIN, radius, cAHat, pLLower, pRLower };
}
