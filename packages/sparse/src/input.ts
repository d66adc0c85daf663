import { DroError, describeValue } from '@drojs/dro-core/host';
import type { Matrix, Vector } from './types.js';

/** A validated design in column-major float64: column j is `data.subarray(j·n, (j+1)·n)`. */
export interface Columns {
  readonly n: number;
  readonly p: number;
  readonly data: Float64Array;
}

function nonFinite(argument: string, row: number, col: number | null, v: unknown): DroError {
  const where = col === null ? `[${row}]` : `[${row}][${col}]`;
  return new DroError('E_NONFINITE', `${argument}${where} is not finite`, {
    argument,
    expected: 'finite numbers',
    received: describeValue(v),
  });
}

function checkEntry(v: unknown, argument: string, row: number, col: number | null): number {
  if (typeof v !== 'number') {
    throw new DroError('E_DTYPE', `${argument}${col === null ? `[${row}]` : `[${row}][${col}]`} is not a number`, {
      argument,
      expected: 'numbers',
      received: describeValue(v),
    });
  }
  if (!Number.isFinite(v)) throw nonFinite(argument, row, col, v);
  return v;
}

/**
 * Validates a matrix (nested rows or `{data, rows, cols}` row-major) and returns it column-major.
 * Ragged rows or a wrong `data` length → E_SHAPE; non-numbers → E_DTYPE; NaN/±Inf → E_NONFINITE (naming
 * row and column); zero rows or columns → E_EMPTY. The input is never modified.
 */
export function toColumns(x: Matrix, argument: string): Columns {
  if (Array.isArray(x)) {
    const n = x.length;
    if (n === 0) throw new DroError('E_EMPTY', `${argument} has no rows`, { argument, expected: 'at least one row' });
    const first = x[0];
    if (!Array.isArray(first)) {
      throw new DroError('E_SHAPE', `${argument} must be an array of rows`, {
        argument,
        expected: 'number[][]',
        received: describeValue(first),
      });
    }
    const p = first.length;
    if (p === 0)
      throw new DroError('E_EMPTY', `${argument} has no columns`, { argument, expected: 'at least one column' });
    const data = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      const row = x[i];
      if (!Array.isArray(row) || row.length !== p) {
        throw new DroError('E_SHAPE', `${argument}[${i}] has the wrong length (ragged rows)`, {
          argument,
          expected: `${p} entries`,
          received: describeValue(row),
        });
      }
      for (let j = 0; j < p; j++) data[j * n + i] = checkEntry(row[j], argument, i, j);
    }
    return { n, p, data };
  }
  if (typeof x !== 'object' || x === null || !('data' in x)) {
    throw new DroError('E_DTYPE', `${argument} is not a matrix`, {
      argument,
      expected: 'number[][] or {data, rows, cols}',
      received: describeValue(x),
    });
  }
  const { data: src, rows, cols } = x;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new DroError('E_SHAPE', `${argument}.rows/cols must be whole numbers`, {
      argument,
      received: `${describeValue(rows)} × ${describeValue(cols)}`,
    });
  }
  if (rows === 0 || cols === 0)
    throw new DroError('E_EMPTY', `${argument} is empty`, { argument, received: `${rows} × ${cols}` });
  if (src.length !== rows * cols) {
    throw new DroError('E_SHAPE', `${argument}.data has the wrong length`, {
      argument,
      expected: `rows·cols = ${rows * cols}`,
      received: String(src.length),
    });
  }
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) data[j * rows + i] = checkEntry(src[i * cols + j], argument, i, j);
  }
  return { n: rows, p: cols, data };
}

/** Validates a vector (E_DTYPE, E_NONFINITE, E_EMPTY; E_SHAPE when `length` is given and differs). */
export function toVector(x: Vector, argument: string, length?: number): Float64Array {
  if (x === null || typeof x !== 'object' || typeof (x as { length?: unknown }).length !== 'number') {
    throw new DroError('E_DTYPE', `${argument} is not a vector`, {
      argument,
      expected: 'an array of numbers',
      received: describeValue(x),
    });
  }
  if (x.length === 0)
    throw new DroError('E_EMPTY', `${argument} is empty`, { argument, expected: 'at least one value' });
  if (length !== undefined && x.length !== length) {
    throw new DroError('E_SHAPE', `${argument} has the wrong length`, {
      argument,
      expected: `${length} values`,
      received: String(x.length),
    });
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = checkEntry(x[i], argument, i, null);
  return out;
}

/** True when every entry of column j equals its first entry (exact comparison, not `sd = 0`). */
export function isConstantColumn(c: Columns, j: number): boolean {
  const { n, data } = c;
  const first = data[j * n]!;
  for (let i = 1; i < n; i++) if (data[j * n + i] !== first) return false;
  return true;
}
