import { checkTrials } from '../checks.js';
import { logBinomLe, probFromSmall } from './binomialTail.js';

/**
 * Two-sided exact binomial test of "success probability 1/2" for `k` successes in `n` trials
 * (SciPy's `binomtest(k, n, 0.5).pvalue`): 1 when n = 0 or k = n/2, else
 * min(1, 2·P(Bin(n, 1/2) ≤ min(k, n − k))). The tail is summed in log space, so p-values far below the
 * float64 range underflow to 0 only at the very end.
 */
export function binomPValueHalf(k: number, n: number): number {
  if (n === 0 && k === 0) return 1;
  checkTrials(k, n);
  const m = Math.min(k, n - k);
  if (2 * m === n) return 1;
  return Math.min(1, 2 * Math.exp(logBinomLe(m, n, probFromSmall(0.5, -Math.LN2, false))));
}
