import { DroError, toHostMatrix, toHostVector } from '@drojs/dro-core/host';
import type { Matrix, Vector } from './types.js';

/** A validated design in column-major float64: column j is `data.subarray(j·n, (j+1)·n)`. */
export interface Columns {
  readonly n: number;
  readonly p: number;
  readonly data: Float64Array;
}

/**
 * Validates a matrix (a rank-2 tensor, nested rows or `{data, rows, cols}` row-major, through dro-core's
 * `toHostMatrix`) and returns it column-major. Ragged rows or a wrong `data` length → E_SHAPE; non-numbers →
 * E_DTYPE; NaN/±Inf → E_NONFINITE (naming row and column); zero rows or columns → E_EMPTY. The input is never
 * modified.
 */
export function toColumns(x: Matrix, argument: string, caller = 'sparse'): Columns {
  const m = toHostMatrix(x, argument, caller);
  const { rows: n, cols: p, data: src } = m;
  if (p === 0)
    throw new DroError('E_EMPTY', `${caller}: ${argument} has no columns`, {
      argument,
      expected: 'at least one column',
    });
  const data = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) data[j * n + i] = src[i * p + j]!;
  return { n, p, data };
}

/** Validates a vector (E_DTYPE, E_NONFINITE, E_EMPTY; E_SHAPE when `length` is given and differs). */
export function toVector(x: Vector, argument: string, length?: number, caller = 'sparse'): Float64Array {
  const v = toHostVector(x, argument, caller);
  if (length !== undefined && v.length !== length) {
    throw new DroError('E_SHAPE', `${caller}: ${argument} has the wrong length`, {
      argument,
      expected: `${length} values (one per row of X)`,
      received: String(v.length),
    });
  }
  return v;
}

/** True when every entry of column j equals its first entry (exact comparison, not `sd = 0`). */
export function isConstantColumn(c: Columns, j: number): boolean {
  const { n, data } = c;
  const first = data[j * n]!;
  for (let i = 1; i < n; i++) if (data[j * n + i] !== first) return false;
  return true;
}
