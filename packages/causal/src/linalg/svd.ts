import { type Mat, transpose, zeros } from './matrix.js';

/** Thin SVD A = U diag(s) V' with singular values in decreasing order. */
export interface Svd {
  U: Mat; // rows × k
  s: Float64Array; // k = min(rows, cols)
  V: Mat; // cols × k
}

/**
 * One-sided Jacobi SVD (Hestenes). Accurate to working precision in the small singular values,
 * which the minimum-norm and null-space computations rely on; fine for the small matrices it sees.
 */
export function svd(A: Mat): Svd {
  if (A.rows < A.cols) {
    const t = svd(transpose(A));
    return { U: t.V, s: t.s, V: t.U };
  }
  const m = A.rows;
  const n = A.cols;
  // Column-major copies: U holds the rotating columns of A, V the accumulated rotations.
  const U = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) U[j * m + i] = A.data[i * n + j]!;
  const V = new Float64Array(n * n);
  for (let j = 0; j < n; j++) V[j * n + j] = 1;
  const eps = 2 ** -52;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let a = 0;
        let b = 0;
        let g = 0;
        for (let i = 0; i < m; i++) {
          const up = U[p * m + i]!;
          const uq = U[q * m + i]!;
          a += up * up;
          b += uq * uq;
          g += up * uq;
        }
        if (g === 0 || Math.abs(g) <= eps * Math.sqrt(a * b)) continue;
        off = Math.max(off, Math.abs(g) / Math.sqrt(a * b));
        const zeta = (b - a) / (2 * g);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t);
        const sn = cs * t;
        for (let i = 0; i < m; i++) {
          const up = U[p * m + i]!;
          const uq = U[q * m + i]!;
          U[p * m + i] = cs * up - sn * uq;
          U[q * m + i] = sn * up + cs * uq;
        }
        for (let i = 0; i < n; i++) {
          const vp = V[p * n + i]!;
          const vq = V[q * n + i]!;
          V[p * n + i] = cs * vp - sn * vq;
          V[q * n + i] = sn * vp + cs * vq;
        }
      }
    }
    if (off <= eps) break;
  }
  const s = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let t = 0;
    for (let i = 0; i < m; i++) t += U[j * m + i]! ** 2;
    s[j] = Math.sqrt(t);
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => s[y]! - s[x]!);
  const Uo = zeros(m, n);
  const Vo = zeros(n, n);
  const so = new Float64Array(n);
  order.forEach((j, k) => {
    so[k] = s[j]!;
    for (let i = 0; i < m; i++) Uo.data[i * n + k] = s[j]! > 0 ? U[j * m + i]! / s[j]! : 0;
    for (let i = 0; i < n; i++) Vo.data[i * n + k] = V[j * n + i]!;
  });
  return { U: Uo, s: so, V: Vo };
}

/** Number of singular values above rankTol·σ_max. */
export function svdRank(s: Float64Array, rankTol: number): number {
  if (s.length === 0 || s[0] === 0) return 0;
  let r = 0;
  for (let i = 0; i < s.length; i++) if (s[i]! > rankTol * s[0]!) r++;
  return r;
}
