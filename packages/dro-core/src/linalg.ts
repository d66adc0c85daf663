/**
 * Small dense float64 linear algebra for host-side estimators (ridge regressions of the RL packages, R2.5).
 * Matrices are row-major `Float64Array`s; sizes up to a few hundred.
 */
import { checkFinite, checkNumber, DroError, describeValue } from './errors.js';
import { checkLength, toHostMatrix, toHostVector } from './validate/hostInputs.js';

/**
 * Cholesky factor `L` (lower, row-major) with `A = L Lᵀ` of a symmetric positive-definite `A` (n × n).
 * A pivot ≤ 0 (not positive definite, e.g. a singular ridge matrix with γ = 0) → `DroError('E_RANK')` naming
 * the pivot index.
 */
export function cholesky(A: ArrayLike<number>, n: number, argument = 'A'): Float64Array {
  if (A.length !== n * n) {
    throw new DroError('E_SHAPE', `${argument} must be ${n} × ${n}`, {
      argument,
      expected: `${n * n} entries`,
      received: `${A.length}`,
    });
  }
  checkFinite(A, argument);
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j]!;
    for (let k = 0; k < j; k++) s -= L[j * n + k]! ** 2;
    // Relative floor: a pivot lost to rounding is as singular as a zero one.
    if (!(s > 1e-14 * Math.abs(A[j * n + j]!))) {
      throw new DroError('E_RANK', `${argument} is not positive definite (pivot ${j} is ${s})`, {
        argument,
        expected: 'a symmetric positive-definite matrix',
        received: `pivot ${j} = ${describeValue(s)}`,
      });
    }
    const ljj = Math.sqrt(s);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = A[i * n + j]!;
      for (let k = 0; k < j; k++) t -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = t / ljj;
    }
  }
  return L;
}

/** Solves `L Lᵀ X = B` for X (n × k, row-major) by forward then backward substitution. */
export function cholSolve(L: ArrayLike<number>, B: ArrayLike<number>, n: number, k = 1): Float64Array {
  const X = Float64Array.from(B);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      let s = X[i * k + c]!;
      for (let j = 0; j < i; j++) s -= L[i * n + j]! * X[j * k + c]!;
      X[i * k + c] = s / L[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = X[i * k + c]!;
      for (let j = i + 1; j < n; j++) s -= L[j * n + i]! * X[j * k + c]!;
      X[i * k + c] = s / L[i * n + i]!;
    }
  }
  return X;
}

/**
 * Ridge regression `w = Λ⁻¹ Φᵀ y` with `Λ = γI + ΦᵀΦ` for rows `phi` (n × d). Returns `Λ⁻¹` (d × d,
 * row-major), `w` and the Cholesky factor `L` of Λ. γ = 0 is allowed when Λ is positive definite (else
 * `E_RANK`). Errors: ragged rows / `y` of the wrong length `E_SHAPE`, no rows `E_EMPTY`, γ < 0 `E_SPEC`.
 */
export function ridge(
  phi: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  gamma: number,
): { lambdaInv: Float64Array; w: Float64Array; L: Float64Array } {
  const M = toHostMatrix(phi, 'phi', 'ridge');
  const yv = toHostVector(y, 'y', 'ridge');
  checkLength(yv.length, M.rows, 'y', 'row of phi');
  checkNumber(gamma, 'gamma', { min: 0 });
  const d = M.cols;
  const rows = Array.from({ length: M.rows }, (_, t) => M.data.subarray(t * d, (t + 1) * d));
  const A = gram(rows, d, gamma);
  const L = cholesky(A, d, 'Λ = γI + ΦᵀΦ');
  const b = new Float64Array(d);
  for (let t = 0; t < rows.length; t++) for (let i = 0; i < d; i++) b[i]! += rows[t]![i]! * yv[t]!;
  const eye = new Float64Array(d * d);
  for (let i = 0; i < d; i++) eye[i * d + i] = 1;
  return { lambdaInv: cholSolve(L, eye, d, d), w: cholSolve(L, b, d, 1), L };
}

/** `γI + ΦᵀΦ` (d × d, row-major). */
export function gram(phi: ArrayLike<number>[], d: number, gamma: number): Float64Array {
  const A = new Float64Array(d * d);
  for (const row of phi) {
    for (let i = 0; i < d; i++) {
      const ri = row[i]!;
      if (ri === 0) continue;
      for (let j = 0; j < d; j++) A[i * d + j]! += ri * row[j]!;
    }
  }
  for (let i = 0; i < d; i++) A[i * d + i]! += gamma;
  return A;
}

/** `vᵀ M v` for a d × d row-major M. */
export function quadForm(M: ArrayLike<number>, v: ArrayLike<number>): number {
  const d = v.length;
  let s = 0;
  for (let i = 0; i < d; i++) {
    let t = 0;
    for (let j = 0; j < d; j++) t += M[i * d + j]! * v[j]!;
    s += v[i]! * t;
  }
  return s;
}

/** `(A + u uᵀ)⁻¹` from `A⁻¹` (d × d, row-major, symmetric) by the Sherman–Morrison formula. */
export function shermanMorrison(Ainv: ArrayLike<number>, u: ArrayLike<number>): Float64Array {
  const d = u.length;
  const Au = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let t = 0;
    for (let j = 0; j < d; j++) t += Ainv[i * d + j]! * u[j]!;
    Au[i] = t;
  }
  let denom = 1;
  for (let i = 0; i < d; i++) denom += u[i]! * Au[i]!;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = Ainv[i * d + j]! - (Au[i]! * Au[j]!) / denom;
  return out;
}
