import { normalQuantile } from '@drojs/dro-core/host';

/** 1-based average ranks (ties share the mean of their ranks). */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]! || a - b);
  const r = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && x[idx[j + 1]!] === x[idx[i]!]) j++;
    const avg = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) r[idx[k]!] = avg;
    i = j + 1;
  }
  return r;
}

/** Normal scores u_i = Φ⁻¹(r_i/(n + 1)) from average ranks (no checks). @internal */
export function normalScoresOf(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const r = averageRanks(x);
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) u[i] = normalQuantile(r[i]! / (n + 1));
  return u;
}

/**
 * The 2n + 2 possible normal scores Φ⁻¹(k/(2(n+1))), k = 0 … 2n+1 (only 2 ≤ k ≤ 2n occur: average ranks are
 * multiples of ½ in [1, n]); entry k equals normalQuantile(r/(n + 1)) for r = k/2 exactly. @internal
 */
export function halfRankScores(n: number): Float64Array {
  const t = new Float64Array(2 * n + 2);
  for (let k = 2; k <= 2 * n; k++) t[k] = normalQuantile(k / 2 / (n + 1));
  return t;
}

/** 2 × average ranks as integers (indices into {@link halfRankScores}). @internal */
export function doubledRanks(x: ArrayLike<number>): Int32Array {
  const r = averageRanks(x);
  return Int32Array.from(r, (v) => Math.round(2 * v));
}
