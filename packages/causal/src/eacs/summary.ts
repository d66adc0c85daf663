import { DroError } from '@drojs/dro-core';
import { type Matrix, toMat } from '../hostData.js';
import { symEigen } from '../linalg/eigen.js';
import { type Mat, zeros } from '../linalg/matrix.js';

/** Family of per-environment summaries computed from the unlabelled covariates only. */
export type SummaryKind =
  | 'corr-sd'
  | 'moments'
  | 'moments+pcorr'
  | 'moments+pcorr-shrunk'
  | ((X: number[][]) => number[]);

function isConstant(X: Mat, j: number): boolean {
  for (let i = 1; i < X.rows; i++) if (X.data[i * X.cols + j] !== X.data[j]) return false;
  return true;
}

/** Column means and the centred sample covariance (ddof 1). */
function moments(X: Mat): { mean: Float64Array; cov: Mat } {
  const { rows: n, cols: p } = X;
  const mean = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mean[j]! += X.data[i * p + j]!;
  for (let j = 0; j < p; j++) mean[j]! /= n;
  const cov = zeros(p, p);
  if (n >= 2) {
    for (let i = 0; i < n; i++)
      for (let a = 0; a < p; a++) {
        const da = X.data[i * p + a]! - mean[a]!;
        for (let b = a; b < p; b++) cov.data[a * p + b]! += da * (X.data[i * p + b]! - mean[b]!);
      }
    for (let a = 0; a < p; a++)
      for (let b = a; b < p; b++) {
        cov.data[a * p + b]! /= n - 1;
        cov.data[b * p + a] = cov.data[a * p + b]!;
      }
  }
  return { mean, cov };
}

/** Partial correlations of the non-constant covariates from the (pseudo-)inverse covariance. */
function partialCorrelations(cov: Mat, active: number[], p: number): number[] {
  const out: number[] = [];
  const k = active.length;
  const omega = zeros(p, p);
  if (k > 0) {
    const S = zeros(k, k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) S.data[a * k + b] = cov.data[active[a]! * p + active[b]!]!;
    const { values, vectors } = symEigen(S);
    const lmax = Math.max(...values);
    // Inverse, or pseudo-inverse with eigenvalues ≤ 1e−12·λ_max dropped when singular.
    for (let t = 0; t < k; t++) {
      if (!(values[t]! > 1e-12 * lmax)) continue;
      for (let a = 0; a < k; a++)
        for (let b = 0; b < k; b++)
          omega.data[active[a]! * p + active[b]!]! +=
            (vectors.data[a * k + t]! * vectors.data[b * k + t]!) / values[t]!;
    }
  }
  const isActive = new Set(active);
  for (let i = 0; i < p; i++)
    for (let j = i + 1; j < p; j++) {
      if (!isActive.has(i) || !isActive.has(j)) {
        out.push(0);
        continue;
      }
      const d = omega.data[i * p + i]! * omega.data[j * p + j]!;
      out.push(d > 0 ? -omega.data[i * p + j]! / Math.sqrt(d) : 0);
    }
  return out;
}

/**
 * Summary vector of one environment's covariates (§6.3): `'corr-sd'` pairwise correlations then sds;
 * `'moments'` means then sds; `'moments+pcorr'` means, sds, partial correlations; the `-shrunk`
 * variant shrinks the covariance towards its diagonal. Degenerate environments (n < 2, constant
 * columns) get zeros for the affected sds and (partial) correlations.
 */
export function environmentSummary(X: Matrix, kind: SummaryKind): number[] {
  const M = toMat(X, 'X', 'environmentSummary');
  if (typeof kind === 'function') {
    const rows: number[][] = [];
    for (let i = 0; i < M.rows; i++) rows.push(Array.from(M.data.subarray(i * M.cols, (i + 1) * M.cols)));
    return kind(rows);
  }
  const { rows: n, cols: p } = M;
  const { mean, cov } = moments(M);
  const degenerate = n < 2;
  const constant = Array.from({ length: p }, (_, j) => degenerate || isConstant(M, j));
  const sds = Array.from({ length: p }, (_, j) => (constant[j] ? 0 : Math.sqrt(cov.data[j * p + j]!)));
  switch (kind) {
    case 'corr-sd': {
      const corr: number[] = [];
      for (let i = 0; i < p; i++)
        for (let j = i + 1; j < p; j++)
          corr.push(constant[i] || constant[j] ? 0 : cov.data[i * p + j]! / (sds[i]! * sds[j]!));
      return [...corr, ...sds];
    }
    case 'moments':
      return [...mean, ...sds];
    case 'moments+pcorr':
    case 'moments+pcorr-shrunk': {
      const active = Array.from({ length: p }, (_, j) => j).filter((j) => !constant[j]);
      let C = cov;
      if (kind === 'moments+pcorr-shrunk') {
        const s = Math.min(0.3, p / Math.max(n, p + 1));
        C = zeros(p, p);
        for (let a = 0; a < p; a++)
          for (let b = 0; b < p; b++)
            C.data[a * p + b] = a === b ? cov.data[a * p + b]! : (1 - s) * cov.data[a * p + b]!;
      }
      return [...mean, ...sds, ...partialCorrelations(C, active, p)];
    }
    default:
      throw new DroError('E_SPEC', `unknown summary kind ${String(kind)}`, { argument: 'summary' });
  }
}
