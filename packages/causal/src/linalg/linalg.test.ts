import { createRng } from '@drojs/dro-core';
import {
  chi2Quantile,
  chi2Sf,
  erfc,
  fSf,
  normalTwoSided,
  studentTQuantile,
  studentTTwoSided,
} from '@drojs/dro-core/host';
import { describe, expect, it } from 'vitest';
import { cholesky, cholInverse } from './cholesky.js';
import { symEigen } from './eigen.js';
import { lstsq, lstsqMinNorm } from './lstsq.js';
import { crossprod, type Mat, matmul, transpose, zeros } from './matrix.js';
import { pivotedQr } from './qr.js';
import { svd } from './svd.js';

function randMat(rows: number, cols: number, seed: number): Mat {
  const r = createRng(seed);
  const m = zeros(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = r.normal();
  return m;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
};

describe('pivoted QR', () => {
  it('gives an orthonormal basis and A[:, perm] = QR', () => {
    const A = randMat(30, 5, 1);
    const { Q, R, perm, rank } = pivotedQr(A);
    expect(rank).toBe(5);
    const QtQ = crossprod(Q, Q);
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 5; j++) expect(QtQ.data[i * 5 + j]).toBeCloseTo(i === j ? 1 : 0, 13);
    const QR = matmul(Q, R);
    for (let i = 0; i < 30; i++)
      for (let k = 0; k < 5; k++) expect(QR.data[i * 5 + k]).toBeCloseTo(A.data[i * 5 + perm[k]!]!, 12);
  });
  it('detects a duplicated column and places it beyond the rank', () => {
    const A = randMat(20, 3, 2);
    const B = zeros(20, 4);
    for (let i = 0; i < 20; i++) {
      for (let j = 0; j < 3; j++) B.data[i * 4 + j] = A.data[i * 3 + j]!;
      B.data[i * 4 + 3] = A.data[i * 3 + 1]!;
    }
    const r = pivotedQr(B);
    expect(r.rank).toBe(3);
    expect([1, 3]).toContain(r.perm[3]);
  });
});

describe('SVD, eigen, Cholesky, least squares', () => {
  it('svd reconstructs wide and tall matrices', () => {
    for (const [m, n] of [
      [7, 4],
      [3, 6],
    ] as const) {
      const A = randMat(m, n, 3);
      const { U, s, V } = svd(A);
      const k = Math.min(m, n);
      const US = zeros(m, k);
      for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) US.data[i * k + j] = U.data[i * k + j]! * s[j]!;
      expect(maxAbsDiff(matmul(US, transpose(V)).data, A.data)).toBeLessThan(1e-12);
      for (let j = 1; j < k; j++) expect(s[j]).toBeLessThanOrEqual(s[j - 1]!);
    }
  });
  it('symEigen diagonalises a symmetric matrix', () => {
    const A = randMat(6, 4, 4);
    const S = crossprod(A, A);
    const { values, vectors } = symEigen(S);
    const SV = matmul(S, vectors);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) expect(SV.data[i * 4 + j]).toBeCloseTo(vectors.data[i * 4 + j]! * values[j]!, 10);
  });
  it('cholesky inverse and PD detection', () => {
    const A = randMat(10, 3, 5);
    const S = crossprod(A, A);
    const inv = cholInverse(cholesky(S) as Mat);
    const I = matmul(S, inv);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(I.data[i * 3 + j]).toBeCloseTo(i === j ? 1 : 0, 12);
    expect(cholesky({ rows: 2, cols: 2, data: Float64Array.from([1, 2, 2, 1]) })).toBeNull();
  });
  it('lstsq satisfies the normal equations; minimum norm is orthogonal to the null space', () => {
    const A = randMat(40, 4, 6);
    const b = randMat(40, 1, 7);
    const x = lstsq(A, b, { argument: 'A' });
    const r = b.data.map((v, i) => v - matmul(A, x).data[i]!);
    const g = crossprod(A, { rows: 40, cols: 1, data: Float64Array.from(r) });
    expect(Math.max(...Array.from(g.data, Math.abs))).toBeLessThan(1e-11);
    const W = randMat(2, 5, 8);
    const { x: xm, rank, nullBasis } = lstsqMinNorm(W, [1, 2]);
    expect(rank).toBe(2);
    expect(nullBasis.cols).toBe(3);
    const Wx = matmul(W, { rows: 5, cols: 1, data: xm });
    expect(Wx.data[0]).toBeCloseTo(1, 12);
    expect(Wx.data[1]).toBeCloseTo(2, 12);
    const proj = crossprod(nullBasis, { rows: 5, cols: 1, data: xm });
    expect(Math.max(...Array.from(proj.data, Math.abs))).toBeLessThan(1e-12);
  });
});

describe('distribution tails', () => {
  it('matches reference values, including far tails (relative accuracy)', () => {
    // scipy.special.erfc(5) and 2*norm.sf(10)
    expect(erfc(5) / 1.5374597944280349e-12 - 1).toBeLessThan(1e-12);
    expect(Math.abs(normalTwoSided(10) / 1.523970604832105e-23 - 1)).toBeLessThan(1e-10);
    expect(Math.abs(chi2Sf(3.841458820694124, 1) - 0.05)).toBeLessThan(1e-12);
    expect(Math.abs(studentTTwoSided(2.0, 10) - 0.07338803477074024)).toBeLessThan(1e-12);
    // F(2, d2) has the closed-form tail (1 + 2f/d2)^(−d2/2).
    expect(Math.abs(fSf(3, 2, 20) / 1.3 ** -10 - 1)).toBeLessThan(1e-12);
  });
  it('quantiles invert the tails', () => {
    const t = studentTQuantile(0.975, 424);
    expect(Math.abs(0.5 * studentTTwoSided(t, 424) - 0.025)).toBeLessThan(1e-14);
    const c = chi2Quantile(0.95, 3);
    expect(Math.abs(chi2Sf(c, 3) - 0.05)).toBeLessThan(1e-14);
  });
});

describe('pivoted QR under column scaling', () => {
  it('scaling columns by 2^±531 (≈1e±160) changes neither rank nor pivots, and R scales exactly', () => {
    const A = randMat(15, 4, 3);
    // Column 3 nearly repeats column 0: a rank decision the scaling must not change.
    for (let i = 0; i < 15; i++) A.data[i * 4 + 3] = A.data[i * 4]! * (1 + 1e-9) + 1e-7 * A.data[i * 4 + 1]!;
    const k = [531, -531, 0, 200];
    const B = zeros(15, 4);
    for (let i = 0; i < 15; i++) for (let j = 0; j < 4; j++) B.data[i * 4 + j] = A.data[i * 4 + j]! * 2 ** k[j]!;
    const a = pivotedQr(A);
    const b = pivotedQr(B);
    expect(b.rank).toBe(a.rank);
    expect(Array.from(b.perm)).toEqual(Array.from(a.perm));
    for (let r = 0; r < a.rank; r++)
      for (let c = r; c < 4; c++) expect(b.R.data[r * 4 + c]).toBe(a.R.data[r * 4 + c]! * 2 ** k[a.perm[c]!]!);
    expect(Array.from(b.Q.data)).toEqual(Array.from(a.Q.data));
  });
});
