import { DroError, normalQuantile } from '@drojs/dro-core';
import { normalTwoSided, studentTQuantile, studentTTwoSided } from '@drojs/dro-core/host';
import { groupIndex } from '../groupIndex.js';
import { identity, type Mat, matmul, toRows, transpose, zeros } from '../linalg/matrix.js';
import type { KclassFactor } from './kclassFactor.js';
import type { CovarianceResult, CovType } from './types.js';

/** T M Tᵀ, symmetrised (downstream code reads both triangles). */
function congruence(T: Mat, M: Mat): Mat {
  const C = matmul(matmul(T, M), transpose(T));
  const p = C.rows;
  for (let i = 0; i < p; i++)
    for (let j = i + 1; j < p; j++) {
      const m = 0.5 * (C.data[i * p + j]! + C.data[j * p + i]!);
      C.data[i * p + j] = m;
      C.data[j * p + i] = m;
    }
  return C;
}

/**
 * Sandwich and classical covariances of a k-class fit from the square-root factors of its bread
 * (B⁻¹ = T Tᵀ, X̃ T = K with X̃ = (1 − κ)X + κP_Z X): unadjusted σ²T Tᵀ, robust T(Kᵀdiag(e²)K)Tᵀ,
 * cluster T(SᵀS)Tᵀ with S_g = Σ_{i∈g} eᵢKᵢ. The meat is built from X̃, never from the raw X (the
 * lpirfs #48 trap), and in the orthonormal K-space, never from normal equations.
 */
export function kclassCovariance(
  f: KclassFactor,
  e: Float64Array,
  params: ArrayLike<number>,
  o: { covType: CovType; debiased: boolean },
): CovarianceResult & { df: number; kind: 'unadjusted' | 'robust' | 'cluster' } {
  const { T, K } = f;
  const n = K.rows;
  const p = K.cols;
  let ssr = 0;
  for (let i = 0; i < n; i++) ssr += e[i]! * e[i]!;
  let cov: Mat;
  let df = n - p;
  let kind: 'unadjusted' | 'robust' | 'cluster';
  const ct = o.covType;
  if (ct === 'unadjusted') {
    kind = 'unadjusted';
    const s2 = ssr / (o.debiased ? n - p : n);
    cov = congruence(T, { rows: p, cols: p, data: identity(p).data.map((v) => v * s2) });
  } else if (ct === 'robust') {
    kind = 'robust';
    const meat = zeros(p, p);
    for (let i = 0; i < n; i++) {
      const w = e[i]! * e[i]!;
      for (let a = 0; a < p; a++) {
        const ka = K.data[i * p + a]! * w;
        for (let b = 0; b < p; b++) meat.data[a * p + b]! += ka * K.data[i * p + b]!;
      }
    }
    cov = congruence(T, meat);
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
    for (let i = 0; i < n; i++) for (let a = 0; a < p; a++) S[gi[i]! * p + a]! += K.data[i * p + a]! * e[i]!;
    const meat = zeros(p, p);
    for (let g = 0; g < G; g++)
      for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) meat.data[a * p + b]! += S[g * p + a]! * S[g * p + b]!;
    cov = congruence(T, meat);
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
