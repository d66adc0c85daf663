import { type Mat, zeros } from './matrix.js';

/** Result of a column-pivoted Householder QR, A[:, perm] = Q R. */
export interface PivotedQr {
  rank: number;
  /** perm[k] = original column at position k; positions ≥ rank are the dependent columns. */
  perm: Int32Array;
  /** Orthonormal basis of the column space, n × rank. */
  Q: Mat;
  /** Upper-triangular rank × cols factor, columns in `perm` order. */
  R: Mat;
}

/** Default numerical-rank tolerance: max(rows, cols)·2⁻⁵² (LAPACK / NumPy convention). */
export function defaultRankTol(rows: number, cols: number): number {
  return Math.max(rows, cols) * 2 ** -52;
}

/** The power of two nearest above the largest |entry| of each column (1 for a zero column). */
export function columnScales(A: Mat): Float64Array {
  const s = new Float64Array(A.cols);
  for (let j = 0; j < A.cols; j++) {
    let m = 0;
    for (let i = 0; i < A.rows; i++) m = Math.max(m, Math.abs(A.data[i * A.cols + j]!));
    s[j] = m > 0 && Number.isFinite(m) ? 2 ** Math.min(1023, Math.ceil(Math.log2(m))) : 1;
  }
  return s;
}

/**
 * Column-pivoted Householder QR. Columns whose remaining norm falls to ≤ rankTol·|R₀₀| are
 * dependent; |R₀₀| is the largest column norm, within √cols of σ_max.
 *
 * The factorisation runs on the columns divided by powers of two (`scales`, by default the
 * magnitude of each column of A): the division is exact, so Q and R equal those of the raw
 * columns bit for bit, but the rank decision is invariant under column scaling and the norms
 * cannot overflow or underflow (columns of 1e±160 used to). Pass the scales of the matrix a
 * residual came from (e.g. those of Y for M_Z Y), so that a column that is only rounding noise
 * is not blown up to look independent.
 */
export function pivotedQr(
  A: Mat,
  rankTol = defaultRankTol(A.rows, A.cols),
  scales: ArrayLike<number> = columnScales(A),
): PivotedQr {
  const n = A.rows;
  const c = A.cols;
  // Column-major working copy: each column contiguous, divided by its power-of-two scale.
  const W = new Float64Array(n * c);
  for (let i = 0; i < n; i++) for (let j = 0; j < c; j++) W[j * n + i] = A.data[i * c + j]! / scales[j]!;
  const perm = Int32Array.from({ length: c }, (_, j) => j);
  const vs: Float64Array[] = [];
  const betas: number[] = [];
  const kmax = Math.min(n, c);
  let rank = 0;
  let r00 = 0;
  const colNorm = (j: number, from: number): number => {
    let s = 0;
    for (let i = from; i < n; i++) s += W[j * n + i]! ** 2;
    return Math.sqrt(s);
  };
  for (let k = 0; k < kmax; k++) {
    // Pick the remaining column of largest norm (recomputed, not downdated: exact and cheap here).
    let best = k;
    let bestNorm = -1;
    for (let j = k; j < c; j++) {
      const nj = colNorm(j, k);
      if (nj > bestNorm) {
        bestNorm = nj;
        best = j;
      }
    }
    if (k === 0) r00 = bestNorm;
    if (bestNorm === 0 || bestNorm <= rankTol * r00) break;
    if (best !== k) {
      for (let i = 0; i < n; i++) {
        const t = W[k * n + i]!;
        W[k * n + i] = W[best * n + i]!;
        W[best * n + i] = t;
      }
      const t = perm[k]!;
      perm[k] = perm[best]!;
      perm[best] = t;
    }
    // Householder vector for column k, rows k..n-1.
    const x0 = W[k * n + k]!;
    const alpha = x0 >= 0 ? -bestNorm : bestNorm;
    const v = new Float64Array(n - k);
    for (let i = k; i < n; i++) v[i - k] = W[k * n + i]!;
    v[0]! -= alpha;
    let vn = 0;
    for (let i = 0; i < v.length; i++) vn += v[i]! * v[i]!;
    const beta = vn > 0 ? 2 / vn : 0;
    for (let j = k; j < c; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += v[i - k]! * W[j * n + i]!;
      s *= beta;
      for (let i = k; i < n; i++) W[j * n + i]! -= s * v[i - k]!;
    }
    vs.push(v);
    betas.push(beta);
    rank++;
  }
  // R of the raw columns: multiplying back by a power of two is exact.
  const R = zeros(rank, c);
  for (let i = 0; i < rank; i++) for (let j = i; j < c; j++) R.data[i * c + j] = W[j * n + i]! * scales[perm[j]!]!;
  // Q = H_0 … H_{r-1} [I_r; 0]
  const Q = zeros(n, rank);
  for (let j = 0; j < rank; j++) {
    const e = new Float64Array(n);
    e[j] = 1;
    for (let k = rank - 1; k >= 0; k--) {
      const v = vs[k]!;
      let s = 0;
      for (let i = k; i < n; i++) s += v[i - k]! * e[i]!;
      s *= betas[k]!;
      if (s !== 0) for (let i = k; i < n; i++) e[i]! -= s * v[i - k]!;
    }
    for (let i = 0; i < n; i++) Q.data[i * rank + j] = e[i]!;
  }
  return { rank, perm, Q, R };
}
