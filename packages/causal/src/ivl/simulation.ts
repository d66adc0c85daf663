import { checkNumber, createRng, DroError, type Rng } from '@drojs/dro-core';
import { checkArgs, RNG_KEYS } from '../args.js';
import { checkRngSeed, checkRows, type Matrix, toMat, toVec, type Vector } from '../hostData.js';
import { lstsqMinNorm } from '../linalg/lstsq.js';
import { type Mat, matmul, toRows, zeros } from '../linalg/matrix.js';

/** (d − 1) × d orthonormal rows spanning null(fᵀ): the directions a DA may move without changing f'x. */
export function nullSpaceBasis(f: Vector): number[][] {
  const v = toVec(f, 'f', 'nullSpaceBasis');
  const A: Mat = { rows: 1, cols: v.length, data: Float64Array.from(v) };
  const { nullBasis, rank } = lstsqMinNorm(A, [0]);
  if (rank === 0) throw new DroError('E_RANK', 'f is zero', { argument: 'f' });
  return toRows({ rows: nullBasis.cols, cols: nullBasis.rows, data: transposeData(nullBasis) });
}

function transposeData(m: Mat): Float64Array {
  const out = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out[j * m.rows + i] = m.data[i * m.cols + j]!;
  return out;
}

/** Outcome-invariant DA "translate": GX = X + γ·G B with G ~ N(0, 1), B the null-space rows. */
export function nullSpaceTranslation(a: {
  X: Matrix;
  basis: Matrix;
  gamma?: number;
  rng?: Rng;
  seed?: number | string;
}): {
  GX: number[][];
  G: number[][];
} {
  checkArgs(a, ['X', 'basis', 'gamma', ...RNG_KEYS], 'nullSpaceTranslation');
  checkRngSeed(a);
  const rng = a.rng ?? createRng(a.seed as number | string);
  const gamma = checkNumber(a.gamma ?? 1, 'gamma', { min: 0 });
  const X = toMat(a.X, 'X', 'nullSpaceTranslation');
  const B = toMat(a.basis, 'basis', 'nullSpaceTranslation');
  if (B.cols !== X.cols)
    throw new DroError('E_SHAPE', `basis has ${B.cols} columns, X has ${X.cols}`, { argument: 'basis' });
  const G = zeros(X.rows, B.rows);
  for (let i = 0; i < G.data.length; i++) G.data[i] = rng.normal();
  const GB = matmul(G, B);
  const GX = zeros(X.rows, X.cols);
  for (let i = 0; i < GX.data.length; i++) GX.data[i] = X.data[i]! + gamma * GB.data[i]!;
  return { GX: toRows(GX), G: toRows(G) };
}

/**
 * The authors' discretisation of DA parameters for their 2SLS baseline: per column `bins` uniform
 * bins between min and max, then (optionally) standardised with the population sd (a constant
 * column is divided by 1) and rounded to `decimals`.
 */
export function discretizeUniform(
  G: Matrix,
  o: { bins?: number; standardize?: boolean; decimals?: number } = {},
): number[][] {
  const M = toMat(G, 'G', 'discretizeUniform');
  const bins = checkNumber(o.bins ?? 2, 'bins', { min: 2, integer: true });
  const standardize = o.standardize ?? true;
  const decimals = checkNumber(o.decimals ?? 2, 'decimals', { min: 0, integer: true });
  const out = zeros(M.rows, M.cols);
  for (let j = 0; j < M.cols; j++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < M.rows; i++) {
      lo = Math.min(lo, M.data[i * M.cols + j]!);
      hi = Math.max(hi, M.data[i * M.cols + j]!);
    }
    const w = (hi - lo) / bins;
    for (let i = 0; i < M.rows; i++) {
      const g = M.data[i * M.cols + j]!;
      out.data[i * M.cols + j] = w > 0 ? Math.min(bins - 1, Math.floor((g - lo) / w)) : 0;
    }
    if (standardize) {
      let m = 0;
      for (let i = 0; i < M.rows; i++) m += out.data[i * M.cols + j]!;
      m /= M.rows;
      let v = 0;
      for (let i = 0; i < M.rows; i++) v += (out.data[i * M.cols + j]! - m) ** 2;
      const sd = Math.sqrt(v / M.rows) || 1;
      for (let i = 0; i < M.rows; i++) out.data[i * M.cols + j] = (out.data[i * M.cols + j]! - m) / sd;
    }
    const s = 10 ** decimals;
    for (let i = 0; i < M.rows; i++) out.data[i * M.cols + j] = Math.round(out.data[i * M.cols + j]! * s) / s;
  }
  return toRows(out);
}

/**
 * The linear confounded SCM of the IVL simulation: C ~ N(0, I_dc), E = C·W_C, last column × κ,
 * + noise·N(0, 1) everywhere, X = E[:, :d], y = X f + E[:, d]. W_C and f are drawn once from `rng`.
 */
export function linearConfoundedScm(a: { d: number; dc?: number; kappa?: number; noise?: number; rng: Rng }): {
  f: number[];
  sample(n: number, rng: Rng): { X: number[][]; y: number[] };
} {
  checkArgs(a, ['d', 'dc', 'kappa', 'noise', 'rng'], 'linearConfoundedScm');
  const d = checkNumber(a.d, 'd', { min: 1, integer: true });
  const dc = checkNumber(a.dc ?? d, 'dc', { min: 1, integer: true });
  const kappa = checkNumber(a.kappa ?? 1, 'kappa', { min: 0 });
  const noise = checkNumber(a.noise ?? 0.1, 'noise', { min: 0 });
  const rng = a.rng;
  const WC = zeros(dc, d + 1);
  for (let i = 0; i < WC.data.length; i++) WC.data[i] = rng.normal();
  const f = Array.from({ length: d }, () => rng.normal());
  return {
    f,
    sample(n: number, r: Rng) {
      checkNumber(n, 'n', { min: 1, integer: true });
      const C = zeros(n, dc);
      for (let i = 0; i < C.data.length; i++) C.data[i] = r.normal();
      const E = matmul(C, WC);
      for (let i = 0; i < n; i++) E.data[i * (d + 1) + d]! *= kappa;
      for (let i = 0; i < E.data.length; i++) E.data[i]! += noise * r.normal();
      const X: number[][] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) {
        const row = Array.from(E.data.subarray(i * (d + 1), i * (d + 1) + d));
        let s = E.data[i * (d + 1) + d]!;
        for (let j = 0; j < d; j++) s += row[j]! * f[j]!;
        X.push(row);
        y.push(s);
      }
      return { X, y };
    },
  };
}

/** Normalised causal excess risk ‖h − f‖²/(‖h − f‖² + ‖f‖²): 0 at the truth, 0.5 at h = 0. */
export function ncer(f: Vector, h: Vector): number {
  const fv = toVec(f, 'f', 'ncer');
  const hv = toVec(h, 'h', 'ncer');
  checkRows(hv.length, fv.length, 'h', 'f');
  let e = 0;
  let ff = 0;
  for (let i = 0; i < fv.length; i++) {
    e += (hv[i]! - fv[i]!) ** 2;
    ff += fv[i]! ** 2;
  }
  return e / (e + ff);
}
