/** A dense float64 matrix, row-major. Rows are samples wherever a matrix holds data. */
export interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function zeros(rows: number, cols: number): Mat {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function fromRows(a: ArrayLike<ArrayLike<number>>): Mat {
  const rows = a.length;
  const cols = rows > 0 ? a[0]!.length : 0;
  const m = zeros(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.data[i * cols + j] = a[i]![j]!;
  return m;
}

export function toRows(m: Mat): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

export function column(m: Mat, j: number): Float64Array {
  const v = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) v[i] = m.data[i * m.cols + j]!;
  return v;
}

export function colVector(v: ArrayLike<number>): Mat {
  return { rows: v.length, cols: 1, data: Float64Array.from(v) };
}

/** Columns of `a` then of `b` (same rows). */
export function hcat(...ms: Mat[]): Mat {
  const rows = ms[0]!.rows;
  const cols = ms.reduce((s, m) => s + m.cols, 0);
  const out = zeros(rows, cols);
  let off = 0;
  for (const m of ms) {
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < m.cols; j++) out.data[i * cols + off + j] = m.data[i * m.cols + j]!;
    off += m.cols;
  }
  return out;
}

/** Rows of `a` then of `b` (same columns). */
export function vcat(...ms: Mat[]): Mat {
  const cols = ms[0]!.cols;
  const rows = ms.reduce((s, m) => s + m.rows, 0);
  const out = zeros(rows, cols);
  let off = 0;
  for (const m of ms) {
    out.data.set(m.data, off);
    off += m.data.length;
  }
  return out;
}

export function selectCols(m: Mat, idx: readonly number[]): Mat {
  const out = zeros(m.rows, idx.length);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < idx.length; j++) out.data[i * idx.length + j] = m.data[i * m.cols + idx[j]!]!;
  return out;
}

export function selectRows(m: Mat, idx: ArrayLike<number>): Mat {
  const out = zeros(idx.length, m.cols);
  for (let i = 0; i < idx.length; i++)
    out.data.set(m.data.subarray(idx[i]! * m.cols, (idx[i]! + 1) * m.cols), i * m.cols);
  return out;
}

export function transpose(m: Mat): Mat {
  const out = zeros(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out.data[j * m.rows + i] = m.data[i * m.cols + j]!;
  return out;
}

export function matmul(a: Mat, b: Mat): Mat {
  const out = zeros(a.rows, b.cols);
  const { data: A } = a;
  const { data: B } = b;
  const O = out.data;
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const v = A[i * a.cols + k]!;
      if (v === 0) continue;
      const bo = k * b.cols;
      const oo = i * b.cols;
      for (let j = 0; j < b.cols; j++) O[oo + j]! += v * B[bo + j]!;
    }
  }
  return out;
}

/** a' b without forming a'. */
export function crossprod(a: Mat, b: Mat): Mat {
  const out = zeros(a.cols, b.cols);
  const O = out.data;
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const v = a.data[i * a.cols + k]!;
      if (v === 0) continue;
      const oo = k * b.cols;
      const bo = i * b.cols;
      for (let j = 0; j < b.cols; j++) O[oo + j]! += v * b.data[bo + j]!;
    }
  }
  return out;
}

export function scale(m: Mat, s: number): Mat {
  const out = zeros(m.rows, m.cols);
  for (let i = 0; i < m.data.length; i++) out.data[i] = m.data[i]! * s;
  return out;
}

/** s·a + t·b */
export function axpby(s: number, a: Mat, t: number, b: Mat): Mat {
  const out = zeros(a.rows, a.cols);
  for (let i = 0; i < a.data.length; i++) out.data[i] = s * a.data[i]! + t * b.data[i]!;
  return out;
}

export function identity(n: number): Mat {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function matvec(m: Mat, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    const o = i * m.cols;
    for (let j = 0; j < m.cols; j++) s += m.data[o + j]! * v[j]!;
    out[i] = s;
  }
  return out;
}

/** Column means. */
export function colMeans(m: Mat): Float64Array {
  const mu = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) mu[j]! += m.data[i * m.cols + j]!;
  for (let j = 0; j < m.cols; j++) mu[j]! /= m.rows;
  return mu;
}

export function centerCols(m: Mat): { centered: Mat; means: Float64Array } {
  const means = colMeans(m);
  const c = zeros(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) c.data[i * m.cols + j] = m.data[i * m.cols + j]! - means[j]!;
  return { centered: c, means };
}

export function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return v.length > 0 ? s / v.length : 0;
}

export function sumSq(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return s;
}

export function sub(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
  return out;
}

/** Entry (i, j); the caller keeps i < rows and j < cols. */
export function get(m: Mat, i: number, j: number): number {
  return m.data[i * m.cols + j]!;
}

/** Square matrix as number[][] (for results). */
export function toNested(m: Mat): number[][] {
  return toRows(m);
}
