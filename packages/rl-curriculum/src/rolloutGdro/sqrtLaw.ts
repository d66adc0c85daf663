import { arr, checkOptionKeys, fail, num, numIn, sameLength } from '../check.js';
import { sum } from '../numeric.js';

/**
 * Box-constrained square-root (Neyman) law (§6.3): n_b(μ) = clip(√(v_b/μ), nMin, nMax) with μ found by
 * bisection on log μ ∈ [−60, 60] so that Σ_b q_b n_b = meanBudget (q = shares normalised).
 * Bins with v = 0 sit at nMin; if no active bin has v > 0 every bin gets meanBudget and `mu` is null.
 * `unconstrained` = meanBudget·√v_b / Σ_j q_j √v_j (the law without bounds).
 */
export function sqrtLaw(
  shares: readonly number[],
  v: readonly number[],
  o: { meanBudget: number; nMin: number; nMax: number },
): { n: number[]; mu: number | null; unconstrained: number[] | null } {
  const x = checkOptionKeys(o, ['meanBudget', 'nMin', 'nMax'], 'sqrtLaw');
  const meanBudget = num(x.meanBudget, 'options.meanBudget');
  const nMin = numIn(x.nMin, 'options.nMin', { min: 0 });
  const nMax = num(x.nMax, 'options.nMax');
  if (nMin > nMax) fail('E_SPEC', 'options.nMin', 'must not exceed nMax', `≤ ${nMax}`, nMin);
  if (meanBudget < nMin || meanBudget > nMax) {
    fail('E_SPEC', 'options.meanBudget', 'must lie in [nMin, nMax]', `${nMin} ≤ n̄ ≤ ${nMax}`, meanBudget);
  }
  const s = arr(shares, 'shares').map((y, i) => num(y, `shares[${i}]`));
  const vv = arr(v, 'v').map((y, i) => num(y, `v[${i}]`));
  sameLength(s, vv, 'shares', 'v');
  if (s.length === 0) fail('E_EMPTY', 'shares', 'must hold at least one bin', 'a non-empty array');
  s.forEach((y, i) => {
    if (y < 0) fail('E_LABEL_RANGE', `shares[${i}]`, 'must be ≥ 0', '≥ 0', y);
  });
  vv.forEach((y, i) => {
    if (y < 0) fail('E_LABEL_RANGE', `v[${i}]`, 'must be ≥ 0', '≥ 0', y);
  });
  const total = sum(s);
  if (!(total > 0)) fail('E_LABEL_RANGE', 'shares', 'must have a positive sum', '> 0', total);
  const q = s.map((y) => y / total);
  if (!q.some((qb, b) => qb > 0 && (vv[b] as number) > 0)) {
    return { n: s.map(() => meanBudget), mu: null, unconstrained: null };
  }
  const nOf = (mu: number): number[] =>
    vv.map((vb) => (vb === 0 ? nMin : Math.min(nMax, Math.max(nMin, Math.sqrt(vb / mu)))));
  const meanOf = (mu: number): number => {
    const n = nOf(mu);
    let m = 0;
    for (let b = 0; b < q.length; b++) m += (q[b] as number) * (n[b] as number);
    return m;
  };
  let mu: number;
  const mHi = meanOf(Math.exp(60));
  const mLo = meanOf(Math.exp(-60));
  if (mHi > meanBudget || mLo < meanBudget) {
    mu = Math.abs(mHi - meanBudget) < 1e-12 ? Math.exp(60) : Math.exp(-60);
  } else {
    let lo = -60;
    let hi = 60;
    for (let it = 0; it < 200; it++) {
      const mid = (lo + hi) / 2;
      if (meanOf(Math.exp(mid)) > meanBudget) lo = mid;
      else hi = mid;
    }
    mu = Math.exp((lo + hi) / 2);
  }
  let S = 0;
  for (let b = 0; b < q.length; b++) S += (q[b] as number) * Math.sqrt(vv[b] as number);
  const unconstrained = S > 0 ? vv.map((vb) => (meanBudget * Math.sqrt(vb)) / S) : null;
  return { n: nOf(mu), mu, unconstrained };
}
