/**
 * `@drojs/sdm/legacy` — utilities of the older estimator (arXiv 2502.20167 v1–v3), for reproducing its
 * numbers only; nothing here is used by the SDM estimator.
 * @packageDocumentation
 */

/** Cauchy quantile location + scale·tan(π(p − ½)). */
export function cauchyQuantile(location: number, scale: number, p: number): number {
  return location + scale * Math.tan(Math.PI * (p - 0.5));
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = n >> 1;
  return n % 2 === 1 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
}

/** Median absolute deviation: median of |v − median(v)| (even counts average the two middle values). */
export function mad(values: ArrayLike<number>): number {
  const s = Float64Array.from(values as ArrayLike<number>).sort();
  const m = median(s);
  return median(s.map((v) => Math.abs(v - m)).sort());
}
