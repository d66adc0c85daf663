import { type Mat, zeros } from './matrix.js';

/** Lower Cholesky factor of a symmetric positive-definite matrix, or null when it is not PD. */
export function cholesky(A: Mat): Mat | null {
  const n = A.rows;
  const L = zeros(n, n);
  for (let j = 0; j < n; j++) {
    let d = A.data[j * n + j]!;
    for (let k = 0; k < j; k++) d -= L.data[j * n + k]! ** 2;
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    L.data[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A.data[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L.data[i * n + k]! * L.data[j * n + k]!;
      L.data[i * n + j] = s / ljj;
    }
  }
  return L;
}

/** Solves L x = b (forward substitution) for each column of B. */
export function solveLower(L: Mat, B: Mat): Mat {
  const n = L.rows;
  const X = zeros(B.rows, B.cols);
  for (let c = 0; c < B.cols; c++) {
    for (let i = 0; i < n; i++) {
      let s = B.data[i * B.cols + c]!;
      for (let k = 0; k < i; k++) s -= L.data[i * n + k]! * X.data[k * B.cols + c]!;
      X.data[i * B.cols + c] = s / L.data[i * n + i]!;
    }
  }
  return X;
}

/** Solves L' x = b (back substitution) for each column of B. */
export function solveLowerT(L: Mat, B: Mat): Mat {
  const n = L.rows;
  const X = zeros(B.rows, B.cols);
  for (let c = 0; c < B.cols; c++) {
    for (let i = n - 1; i >= 0; i--) {
      let s = B.data[i * B.cols + c]!;
      for (let k = i + 1; k < n; k++) s -= L.data[k * n + i]! * X.data[k * B.cols + c]!;
      X.data[i * B.cols + c] = s / L.data[i * n + i]!;
    }
  }
  return X;
}

/** A⁻¹ B for SPD A given its Cholesky factor. */
export function cholSolve(L: Mat, B: Mat): Mat {
  return solveLowerT(L, solveLower(L, B));
}

/** Inverse of an SPD matrix from its Cholesky factor. */
export function cholInverse(L: Mat): Mat {
  const n = L.rows;
  const I = zeros(n, n);
  for (let i = 0; i < n; i++) I.data[i * n + i] = 1;
  const inv = cholSolve(L, I);
  // Symmetrise: downstream code reads both triangles.
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const m = 0.5 * (inv.data[i * n + j]! + inv.data[j * n + i]!);
      inv.data[i * n + j] = m;
      inv.data[j * n + i] = m;
    }
  return inv;
}
