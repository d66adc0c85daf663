import { DroError, normalQuantile } from '@drojs/dro-core';
import { normalTwoSided, studentTQuantile, studentTTwoSided } from '@drojs/dro-core/host';
import { groupIndex } from '../groupIndex.js';
import { type Mat, matmul, toRows, zeros } from '../linalg/matrix.js';
import { hc0Sandwich } from './hc0Sandwich.js';
import type { CovarianceResult, CovType } from './types.js';

/**
 * Sandwich and classical covariances of a k-class fit. `Xt` is the projected regressor matrix
 * X̃ = (1 − κ)X + κP_Z X: the meat is built from it, never from the raw X (the lpirfs #48 trap).
 */
export function kclassCovariance(
  Binv: Mat,
  Xt: Mat,
  e: Float64Array,
  params: ArrayLike<number>,
  o: { covType: CovType; debiased: boolean },
): CovarianceResult & { df: number; kind: 'unadjusted' | 'robust' | 'cluster' } {
  const n = Xt.rows;
  const p = Xt.cols;
  let ssr = 0;
  for (let i = 0; i < n; i++) ssr += e[i]! * e[i]!;
  let cov: Mat;
  let df = n - p;
  let kind: 'unadjusted' | 'robust' | 'cluster';
  const ct = o.covType;
  if (ct === 'unadjusted') {
    kind = 'unadjusted';
    const s2 = ssr / (o.debiased ? n - p : n);
    cov = { rows: p, cols: p, data: Binv.data.map((v) => v * s2) };
  } else if (ct === 'robust') {
    kind = 'robust';
    cov = hc0Sandwich(Binv, Xt, e);
    if (o.debiased) for (let i = 0; i < cov.data.length; i++) cov.data[i] = (cov.data[i]! * n) / (n - p);
  } else if (typeof ct === 'object' && ct !== null && ct.type === 'cluster') {
    kind = 'cluster';
    const groups = ct.groups;
    if (groups === undefined || groups.length !== n) {
      throw new DroError('E_SHAPE', `covType.groups has ${groups?.length ?? 0} labels for ${n} rows`, {
        argument: 'covType.groups',
        expected: `${n} labels`,
      });
    }
    const { gi, G } = groupIndex(groups, 'covType.groups');
    if (G < 2)
      throw new DroError('E_SPEC', 'cluster covariance needs at least 2 clusters', { argument: 'covType.groups' });
    const S = new Float64Array(G * p);
    for (let i = 0; i < n; i++) for (let a = 0; a < p; a++) S[gi[i]! * p + a]! += Xt.data[i * p + a]! * e[i]!;
    const meat = zeros(p, p);
    for (let g = 0; g < G; g++)
      for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) meat.data[a * p + b]! += S[g * p + a]! * S[g * p + b]!;
    cov = matmul(matmul(Binv, meat), Binv);
    if (o.debiased) {
      const f = (G / (G - 1)) * ((n - 1) / (n - p));
      for (let i = 0; i < cov.data.length; i++) cov.data[i]! *= f;
    }
    df = G - 1;
  } else {
    throw new DroError('E_SPEC', 'covType must be unadjusted, robust or {type: cluster, groups}', {
      argument: 'covType',
    });
  }
  const stdErrors = Array.from({ length: p }, (_, j) => Math.sqrt(cov.data[j * p + j]!));
  const tStats = stdErrors.map((s, j) => params[j]! / s);
  const distribution = o.debiased ? 't' : 'normal';
  const pValues = tStats.map((t) => (o.debiased ? studentTTwoSided(t, df) : normalTwoSided(t)));
  return { cov: toRows(cov), stdErrors, tStats, pValues, distribution, df, kind };
}

/** Two-sided quantile for a confidence level under the given distribution. */
export function criticalValue(level: number, distribution: 'normal' | 't', df: number): number {
  const q = 1 - (1 - level) / 2;
  return distribution === 't' ? studentTQuantile(q, df) : normalQuantile(q);
}
