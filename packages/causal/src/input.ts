import { DroError, describeValue } from '@drojs/dro-core';
import type { Mat } from './linalg/matrix.js';

/**
 * A data matrix, rows = samples: `number[][]`, a row-major `{data, rows, cols}`, or a 2-D tensor
 * (recognised by duck typing and read back once; tensors carry float32 precision only).
 */
export type Matrix =
  | ArrayLike<number>[]
  | { data: Float64Array | number[]; rows: number; cols: number }
  | { shape: number[]; dataSync(): ArrayLike<number> };
/** A data vector (accepted wherever a one-column Matrix is). */
export type Vector = ArrayLike<number> | { shape: number[]; dataSync(): ArrayLike<number> };

function isTensorLike(x: unknown): x is { shape: number[]; dataSync(): ArrayLike<number> } {
  return (
    typeof x === 'object' &&
    x !== null &&
    Array.isArray((x as { shape?: unknown }).shape) &&
    typeof (x as { dataSync?: unknown }).dataSync === 'function'
  );
}

function checkEntries(data: Float64Array, cols: number, argument: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const r = Math.floor(i / Math.max(cols, 1));
      const c = i - r * cols;
      throw new DroError('E_NONFINITE', `${argument} has a non-finite entry at row ${r}, column ${c}`, {
        argument,
        expected: 'finite numbers',
        received: describeValue(data[i]),
      });
    }
  }
}

/** Normalises a Matrix to float64, validating shape and entries. `allowEmptyCols` permits n×0. */
export function toMat(x: unknown, argument: string, o: { allowEmpty?: boolean } = {}): Mat {
  let m: Mat;
  if (isTensorLike(x)) {
    const shape = x.shape;
    if (shape.length !== 2 && shape.length !== 1) {
      throw new DroError('E_SHAPE', `${argument} must be a 2-D tensor`, {
        argument,
        received: `shape [${shape.join(', ')}]`,
      });
    }
    const rows = shape[0];
    const cols = shape.length === 2 ? shape[1] : 1;
    m = { rows, cols, data: Float64Array.from(x.dataSync()) };
  } else if (Array.isArray(x)) {
    const rows = x.length;
    const first = x[0];
    const vectorLike = rows > 0 && typeof first === 'number';
    if (vectorLike) {
      m = { rows, cols: 1, data: new Float64Array(rows) };
      for (let i = 0; i < rows; i++) {
        if (typeof x[i] !== 'number')
          throw new DroError('E_DTYPE', `${argument}[${i}] is not a number`, {
            argument,
            received: describeValue(x[i]),
          });
        m.data[i] = x[i] as number;
      }
    } else {
      const cols = rows > 0 ? ((first as ArrayLike<number>)?.length ?? 0) : 0;
      m = { rows, cols, data: new Float64Array(rows * cols) };
      for (let i = 0; i < rows; i++) {
        const row = x[i] as ArrayLike<unknown>;
        if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
          throw new DroError('E_DTYPE', `${argument} row ${i} is not an array`, {
            argument,
            received: describeValue(row),
          });
        }
        if (row.length !== cols) {
          throw new DroError(
            'E_SHAPE',
            `${argument} is ragged: row ${i} has ${row.length} entries, row 0 has ${cols}`,
            {
              argument,
            },
          );
        }
        for (let j = 0; j < cols; j++) {
          const v = row[j];
          if (typeof v !== 'number')
            throw new DroError('E_DTYPE', `${argument} entry at row ${i}, column ${j} is not a number`, {
              argument,
              received: describeValue(v),
            });
          m.data[i * cols + j] = v;
        }
      }
    }
  } else if (ArrayBuffer.isView(x)) {
    const d = Float64Array.from(x as unknown as ArrayLike<number>);
    m = { rows: d.length, cols: 1, data: d };
  } else if (typeof x === 'object' && x !== null && 'rows' in x && 'cols' in x && 'data' in x) {
    const o2 = x as { data: ArrayLike<number>; rows: number; cols: number };
    if (!Number.isInteger(o2.rows) || !Number.isInteger(o2.cols) || o2.data.length !== o2.rows * o2.cols) {
      throw new DroError('E_SHAPE', `${argument}.data has length ${o2.data.length}, expected rows·cols`, {
        argument,
        expected: `${o2.rows}·${o2.cols}`,
      });
    }
    m = { rows: o2.rows, cols: o2.cols, data: Float64Array.from(o2.data) };
  } else {
    throw new DroError('E_DTYPE', `${argument} must be a matrix`, {
      argument,
      expected: 'number[][], {data, rows, cols} or a 2-D tensor',
      received: describeValue(x),
    });
  }
  if (m.rows === 0 && !o.allowEmpty) throw new DroError('E_EMPTY', `${argument} has zero rows`, { argument });
  checkEntries(m.data, m.cols, argument);
  return m;
}

/** Normalises a Vector (or an n×1 matrix) to a Float64Array. */
export function toVec(x: unknown, argument: string): Float64Array {
  const m = toMat(x, argument);
  if (m.cols !== 1)
    throw new DroError('E_SHAPE', `${argument} must be a vector`, { argument, received: `${m.rows}×${m.cols}` });
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

/** Exactly one of rng/seed (the package rule). */
export function checkRngSeed(o: { rng?: unknown; seed?: unknown }, required = true): void {
  const has = (o.rng !== undefined ? 1 : 0) + (o.seed !== undefined ? 1 : 0);
  if (has === 2) throw new DroError('E_SPEC', 'give either rng or seed, not both', { argument: 'rng/seed' });
  if (has === 0 && required) throw new DroError('E_SPEC', 'one of rng or seed is required', { argument: 'rng/seed' });
}
