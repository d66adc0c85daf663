/** ln C(p, k) = Σ_{i=1}^{k} ln((p − k + i)/i). */
export function logBinomial(p: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((p - k + i) / i);
  return s;
}

/**
 * EBIC, BIC and AIC along a path (spec §7.4). Fit term: n·ln(RSS/n) (Gaussian) or the deviance (binomial);
 * models with df + intercept ≥ n score +∞ (they interpolate).
 */
export function pathCriteria(
  family: 'gaussian' | 'binomial',
  n: number,
  p: number,
  intercept: boolean,
  deviance: ArrayLike<number>,
  df: ArrayLike<number>,
  ebicGamma: number,
): { ebic: Float64Array; bic: Float64Array; aic: Float64Array } {
  const K = deviance.length;
  const ebic = new Float64Array(K);
  const bic = new Float64Array(K);
  const aic = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const dfk = df[k]!;
    if (dfk + (intercept ? 1 : 0) >= n) {
      ebic[k] = bic[k] = aic[k] = Number.POSITIVE_INFINITY;
      continue;
    }
    const dev = deviance[k]!;
    const fit = family === 'gaussian' ? (dev === 0 ? Number.NEGATIVE_INFINITY : n * Math.log(dev / n)) : dev;
    bic[k] = fit + dfk * Math.log(n);
    ebic[k] = bic[k]! + 2 * ebicGamma * logBinomial(p, dfk);
    aic[k] = fit + 2 * dfk;
  }
  return { ebic, bic, aic };
}

/** First index of the minimum (the largest λ among ties). */
export function argminFirst(v: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < v.length; k++) if (v[k]! < v[best]!) best = k;
  return best;
}
