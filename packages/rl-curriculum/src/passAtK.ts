import { fail, int } from './check.js';

/**
 * Unbiased pass@k from n samples with c correct (§3.3): 1 − C(n−c, k)/C(n, k), computed as
 * 1 − Π_{i<k} (n−c−i)/(n−i) (no factorials); 1 when n − c < k.
 * Integers only (E_DTYPE); n ≥ 1 and 1 ≤ k ≤ n (E_SPEC); 0 ≤ c ≤ n (E_LABEL_RANGE).
 */
export function passAtK(n: number, c: number, k: number): number {
  int(n, 'n', 1);
  int(c, 'c');
  int(k, 'k', 1);
  if (k > n) fail('E_SPEC', 'k', 'must not exceed n', `1 ≤ k ≤ ${n}`, k);
  if (c < 0 || c > n) fail('E_LABEL_RANGE', 'c', 'must be a count of correct samples', `0 ≤ c ≤ ${n}`, c);
  if (n - c < k) return 1;
  let prod = 1;
  for (let i = 0; i < k; i++) prod *= (n - c - i) / (n - i);
  return 1 - prod;
}
