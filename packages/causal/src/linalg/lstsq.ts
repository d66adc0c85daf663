import { DroError } from '@drojs/dro-core';
import { crossprod, type Mat, matmul, sub, zeros } from './matrix.js';
import { defaultRankTol, pivotedQr } from './qr.js';
import { svd, svdRank } from './svd.js';

/** Solves the upper-triangular system R x = b (R square, row-major, leading block of a wider R). */
function backSolve(R: Mat, r: number, B: Mat): Mat {
  const X = zeros(r, B.cols);
  for (let c = 0; c < B.cols; c++) {
    for (let i = r - 1; i >= 0; i--) {
      let s = B.data[i * B.cols + c]!;
      for (let k = i + 1; k < r; k++) s -= R.data[i * R.cols + k]! * X.data[k * B.cols + c]!;
      X.data[i * B.cols + c] = s / R.data[i * R.cols + i]!;
    }
  }
  return X;
}

export interface RankContext {
  /** Argument named in the error, e.g. 'X' or 'instruments'. */
  argument: string;
  /** Column names, for naming the dependent ones. */
  names?: readonly string[];
  /** Extra sentence appended to the message (e.g. the intercept hint). */
  hint?: (dependent: number[]) => string | undefined;
  rankTol?: number;
}

/** Throws E_RANK naming the columns a pivoted QR puts beyond the rank. */
export function rankError(ctx: RankContext, dependent: number[], rank: number, cols: number): DroError {
  const label = (j: number) => (ctx.names?.[j] !== undefined ? `'${ctx.names[j]}'` : `column ${j}`);
  const hint = ctx.hint?.(dependent);
  return new DroError(
    'E_RANK',
    `${ctx.argument} is rank deficient (rank ${rank} of ${cols} columns); linearly dependent: ${dependent.map(label).join(', ')}${hint ? `. ${hint}` : ''}`,
    { argument: ctx.argument, expected: 'full column rank', received: `rank ${rank}` },
  );
}

/** Checks full column rank; returns the QR (basis Q is an orthonormal basis of the column space). */
export function fullRankQr(A: Mat, ctx: RankContext) {
  const qr = pivotedQr(A, ctx.rankTol ?? defaultRankTol(A.rows, A.cols));
  if (qr.rank < A.cols) {
    const dep = Array.from(qr.perm.subarray(qr.rank)).sort((a, b) => a - b);
    throw rankError(ctx, dep, qr.rank, A.cols);
  }
  return qr;
}

/** Full-rank least squares min ‖A x − B‖ by pivoted QR (E_RANK when A is rank deficient). */
export function lstsq(A: Mat, B: Mat, ctx: RankContext): Mat {
  const qr = fullRankQr(A, ctx);
  const p = A.cols;
  const y = backSolve(qr.R, p, crossprod(qr.Q, B));
  const X = zeros(p, B.cols);
  for (let k = 0; k < p; k++) X.data.set(y.data.subarray(k * B.cols, (k + 1) * B.cols), qr.perm[k]! * B.cols);
  return X;
}

/** Minimum-norm least squares by SVD; also returns the rank and a basis of the null space of A. */
export function lstsqMinNorm(
  A: Mat,
  b: ArrayLike<number>,
  rankTol = defaultRankTol(A.rows, A.cols),
): { x: Float64Array; rank: number; nullBasis: Mat } {
  const { U, s, V } = svd(A);
  const r = svdRank(s, rankTol);
  const p = A.cols;
  const x = new Float64Array(p);
  for (let k = 0; k < r; k++) {
    let c = 0;
    for (let i = 0; i < A.rows; i++) c += U.data[i * U.cols + k]! * b[i]!;
    c /= s[k]!;
    for (let j = 0; j < p; j++) x[j]! += c * V.data[j * V.cols + k]!;
  }
  // Null space: right singular vectors beyond the rank. V from a thin SVD of a wide A has only
  // min(rows, cols) columns, so complete it by orthogonalising against the row space.
  const nullBasis = nullSpace(V, r, p);
  return { x, rank: r, nullBasis };
}

/** An orthonormal basis (p × (p − r)) of the complement of the first r columns of V. */
function nullSpace(V: Mat, r: number, p: number): Mat {
  const basis: Float64Array[] = [];
  for (let k = 0; k < r; k++) basis.push(Float64Array.from({ length: p }, (_, j) => V.data[j * V.cols + k]!));
  const out: Float64Array[] = [];
  for (let e = 0; e < p && basis.length < p; e++) {
    const v = new Float64Array(p);
    v[e] = 1;
    for (let pass = 0; pass < 2; pass++)
      for (const u of basis) {
        let d = 0;
        for (let j = 0; j < p; j++) d += u[j]! * v[j]!;
        for (let j = 0; j < p; j++) v[j]! -= d * u[j]!;
      }
    let nv = 0;
    for (let j = 0; j < p; j++) nv += v[j]! * v[j]!;
    nv = Math.sqrt(nv);
    if (nv < 1e-8) continue;
    for (let j = 0; j < p; j++) v[j]! /= nv;
    basis.push(v);
    out.push(v);
  }
  const N = zeros(p, out.length);
  out.forEach((v, k) => {
    for (let j = 0; j < p; j++) N.data[j * out.length + k] = v[j]!;
  });
  return N;
}

/** Residual B − Q(Q'B) of projecting the columns of B on the orthonormal basis Q. */
export function residualize(Q: Mat, B: Mat): Mat {
  if (Q.cols === 0) return { rows: B.rows, cols: B.cols, data: Float64Array.from(B.data) };
  const P = matmul(Q, crossprod(Q, B));
  return { rows: B.rows, cols: B.cols, data: sub(B.data, P.data) };
}

/** Q(Q'B). */
export function project(Q: Mat, B: Mat): Mat {
  if (Q.cols === 0) return zeros(B.rows, B.cols);
  return matmul(Q, crossprod(Q, B));
}
