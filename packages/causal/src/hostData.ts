import {
  checkSeed,
  DroError,
  type HostInputOptions,
  isTensorLike,
  type MatrixInput,
  toHostMatrix,
  toHostVector,
  type VectorInput,
} from '@drojs/dro-core/host';
import type { Mat } from './linalg/matrix.js';

/**
 * A data matrix, rows = samples: `number[][]`, a row-major `{data, rows, cols}` or a rank-2 tensor (dro-core's
 * `MatrixInput`; tensors carry float32 precision only). A vector is accepted wherever a one-column matrix is.
 */
export type Matrix = MatrixInput | VectorInput;
/** A data vector: `number[]`, a typed array or a rank-1 tensor (dro-core's `VectorInput`). */
export type Vector = VectorInput;

/** A flat input (a rank-1 tensor, a typed array or an array whose first entry is not a row). */
function isVectorInput(x: unknown): boolean {
  if (isTensorLike(x)) return x.shape.length === 1;
  if (ArrayBuffer.isView(x)) return true;
  return Array.isArray(x) && x.length > 0 && !Array.isArray(x[0]) && !ArrayBuffer.isView(x[0]);
}

/**
 * A Matrix as float64 through dro-core's adapters: a vector becomes one column (`toHostVector`), anything
 * else goes through `toHostMatrix` (ragged → E_SHAPE, non-numbers → E_DTYPE, NaN/Inf → E_NONFINITE, empty → E_EMPTY).
 */
export function toMat(x: unknown, argument: string, caller: string, o: HostInputOptions = {}): Mat {
  if (isVectorInput(x)) {
    const v = toHostVector(x, argument, caller, o);
    return { rows: v.length, cols: 1, data: v };
  }
  return toHostMatrix(x, argument, caller, o);
}

/** A Vector (or an n×1 matrix) as a Float64Array; more than one column is E_SHAPE. */
export function toVec(x: unknown, argument: string, caller: string): Float64Array {
  // Anything that is not matrix-shaped gets the vector adapter's answer ("must be a vector").
  const matrixShaped = Array.isArray(x) || isTensorLike(x) || (typeof x === 'object' && x !== null && 'rows' in x);
  if (isVectorInput(x) || !matrixShaped) return toHostVector(x, argument, caller);
  const m = toHostMatrix(x, argument, caller);
  if (m.cols !== 1)
    throw new DroError('E_SHAPE', `${caller}: ${argument} must be a vector`, {
      argument,
      expected: 'one column',
      received: `${m.rows}×${m.cols}`,
    });
  return m.data;
}

/** E_SHAPE unless `rows` equals the reference row count. */
export function checkRows(rows: number, n: number, argument: string, ref: string): void {
  if (rows !== n) {
    throw new DroError('E_SHAPE', `${argument} has ${rows} rows but ${ref} has ${n}`, {
      argument,
      expected: `${n} rows`,
      received: `${rows} rows`,
    });
  }
}

/** Exactly one of rng/seed (the package rule); a seed is checked by dro-core's `checkSeed`. */
export function checkRngSeed(o: { rng?: unknown; seed?: unknown }, required = true): void {
  const has = (o.rng !== undefined ? 1 : 0) + (o.seed !== undefined ? 1 : 0);
  if (has === 2) throw new DroError('E_SPEC', 'give either rng or seed, not both', { argument: 'rng/seed' });
  if (has === 0 && required) throw new DroError('E_SPEC', 'one of rng or seed is required', { argument: 'rng/seed' });
  if (o.seed !== undefined) checkSeed(o.seed);
}
