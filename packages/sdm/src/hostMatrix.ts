import { DroError, describeValue } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';

/** A host float32 matrix, row-major. */
export interface HostMatrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** Array inputs accepted by the estimator. */
export type MatrixInput = tf.Tensor2D | number[][];
export type LabelInput = Int32Array | number[] | tf.Tensor1D;

/**
 * Validates and copies a rank-2 float input to the host: E_SHAPE for a wrong rank or ragged rows,
 * E_DTYPE for a non-float32 tensor or non-number entries, E_NONFINITE for NaN/±∞. Never disposes `x`.
 */
export function toHostMatrix(x: unknown, argument: string): HostMatrix {
  if (x instanceof tf.Tensor) {
    if (x.rank !== 2) {
      throw new DroError('E_SHAPE', `${argument} must be a rank-2 tensor`, {
        argument,
        expected: 'rank 2 [rows, columns]',
        received: `rank ${x.rank} [${x.shape.join(', ')}]`,
      });
    }
    if (x.dtype !== 'float32') {
      throw new DroError('E_DTYPE', `${argument} must be a float32 tensor`, {
        argument,
        expected: 'float32',
        received: x.dtype,
      });
    }
    const data = Float32Array.from(x.dataSync() as Float32Array);
    checkFiniteMatrix(data, x.shape[1]!, argument);
    return { data, rows: x.shape[0]!, cols: x.shape[1]! };
  }
  if (!Array.isArray(x)) {
    throw new DroError('E_SHAPE', `${argument} must be a tf.Tensor2D or number[][]`, {
      argument,
      expected: 'a rank-2 tensor or an array of rows',
      received: describeValue(x),
    });
  }
  const rows = x.length;
  if (rows === 0) return { data: new Float32Array(0), rows: 0, cols: 0 };
  const first = x[0];
  if (!Array.isArray(first) && !ArrayBuffer.isView(first)) {
    throw new DroError('E_SHAPE', `${argument} must be an array of rows`, {
      argument,
      expected: 'number[][]',
      received: `row 0 is ${describeValue(first)}`,
    });
  }
  const cols = (first as ArrayLike<number>).length;
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = x[i] as unknown;
    if ((!Array.isArray(row) && !ArrayBuffer.isView(row)) || (row as ArrayLike<number>).length !== cols) {
      throw new DroError('E_SHAPE', `${argument} is ragged`, {
        argument: `${argument}[${i}]`,
        expected: `a row of ${cols} numbers`,
        received: describeValue(row),
      });
    }
    const r = row as ArrayLike<unknown>;
    for (let j = 0; j < cols; j++) {
      const v = r[j];
      if (typeof v !== 'number') {
        throw new DroError('E_DTYPE', `${argument}[${i}][${j}] is not a number`, {
          argument,
          expected: 'numbers',
          received: describeValue(v),
        });
      }
      if (!Number.isFinite(v)) {
        throw new DroError('E_NONFINITE', `${argument}[${i}][${j}] is not finite`, {
          argument,
          expected: 'finite numbers',
          received: describeValue(v),
        });
      }
      data[i * cols + j] = v;
    }
  }
  return { data, rows, cols };
}

function checkFiniteMatrix(data: Float32Array, cols: number, argument: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new DroError('E_NONFINITE', `${argument}[${Math.floor(i / cols)}][${i % cols}] is not finite`, {
        argument,
        expected: 'finite numbers',
        received: describeValue(data[i]),
      });
    }
  }
}

/** Validates integer labels: E_DTYPE for a non-int32 tensor or non-integer values, E_SHAPE for a wrong rank. */
export function toLabels(y: unknown, argument: string): Int32Array {
  let values: ArrayLike<unknown>;
  if (y instanceof tf.Tensor) {
    if (y.rank !== 1) {
      throw new DroError('E_SHAPE', `${argument} must be a rank-1 tensor`, {
        argument,
        expected: 'rank 1',
        received: `rank ${y.rank}`,
      });
    }
    if (y.dtype !== 'int32') {
      throw new DroError('E_DTYPE', `${argument} must be an int32 tensor`, {
        argument,
        expected: 'int32',
        received: y.dtype,
      });
    }
    values = y.dataSync();
  } else if (Array.isArray(y) || y instanceof Int32Array) {
    values = y;
  } else {
    throw new DroError('E_SHAPE', `${argument} must be an Int32Array or number[]`, {
      argument,
      expected: 'Int32Array | number[]',
      received: describeValue(y),
    });
  }
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1) {
      throw new DroError('E_DTYPE', `${argument}[${i}] is not an integer label`, {
        argument,
        expected: 'integer class labels',
        received: describeValue(v),
      });
    }
    out[i] = v;
  }
  return out;
}

/** E_LABEL_RANGE unless every label is in [0, C) or in `extra`. */
export function checkLabelRange(
  labels: Int32Array,
  numClasses: number,
  argument: string,
  extra: readonly number[] = [],
): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if ((v < 0 || v >= numClasses) && !extra.includes(v)) {
      throw new DroError('E_LABEL_RANGE', `${argument}[${i}] is out of range`, {
        argument,
        expected: `integers in [0, ${numClasses})${extra.length ? ` or ${extra.join(', ')}` : ''}`,
        received: String(v),
      });
    }
  }
}

/** E_SHAPE unless `n` equals the expected row count. */
export function checkRows(n: number, expected: number, argument: string, what: string): void {
  if (n !== expected) {
    throw new DroError('E_SHAPE', `${argument} must have one row per ${what}`, {
      argument,
      expected: `${expected} rows`,
      received: `${n}`,
    });
  }
}

/** Row-wise argmax of a host matrix (ties → lowest index). */
export function rowArgmax(m: ArrayLike<number>, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let j = 1; j < cols; j++) if ((m[i * cols + j] as number) > (m[i * cols + best] as number)) best = j;
    out[i] = best;
  }
  return out;
}

/** Rows `idx` of a host matrix. */
export function takeRows(m: HostMatrix, idx: ArrayLike<number>): HostMatrix {
  const out = new Float32Array(idx.length * m.cols);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i] as number;
    out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  }
  return { data: out, rows: idx.length, cols: m.cols };
}

/** Row-wise concatenation [a ; b] of two host matrices with the same row count. */
export function concatColumns(a: HostMatrix, b: HostMatrix): HostMatrix {
  const cols = a.cols + b.cols;
  const out = new Float32Array(a.rows * cols);
  for (let i = 0; i < a.rows; i++) {
    out.set(a.data.subarray(i * a.cols, (i + 1) * a.cols), i * cols);
    out.set(b.data.subarray(i * b.cols, (i + 1) * b.cols), i * cols + a.cols);
  }
  return { data: out, rows: a.rows, cols };
}

/** Row-wise stacking of host matrices with the same column count. */
export function concatRows(parts: HostMatrix[], cols: number): HostMatrix {
  const rows = parts.reduce((s, p) => s + p.rows, 0);
  const out = new Float32Array(rows * cols);
  let o = 0;
  for (const p of parts) {
    out.set(p.data, o);
    o += p.data.length;
  }
  return { data: out, rows, cols };
}
