import { checkNumber, DroError, describeValue } from '../errors.js';

/** A row-major float64 matrix on the host. */
export interface HostMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** What the host adapters accept as a tensor: anything with `shape`, `dtype` and `dataSync()` (duck-typed, so no tfjs import). */
export interface TensorLikeObject {
  shape: number[];
  dtype: string;
  isDisposed?: boolean;
  dataSync(): ArrayLike<number>;
}

/** A matrix input: a rank-2 tensor, rows as arrays, or a row-major `{data, rows, cols}`. */
export type MatrixInput =
  | TensorLikeObject
  | readonly ArrayLike<number>[]
  | { data: ArrayLike<number>; rows: number; cols: number };
/** A vector input: a rank-1 tensor, an array or a typed array. */
export type VectorInput = TensorLikeObject | ArrayLike<number>;
/** A labels input: a rank-1 int32 tensor, an array or a typed array of whole numbers. */
export type LabelsInput = VectorInput;

/** True for a tfjs tensor (or anything shaped like one). */
export function isTensorLike(x: unknown): x is TensorLikeObject {
  return (
    typeof x === 'object' &&
    x !== null &&
    Array.isArray((x as { shape?: unknown }).shape) &&
    typeof (x as { dataSync?: unknown }).dataSync === 'function'
  );
}

function isNumericArrayView(x: unknown): x is ArrayLike<number> {
  return (
    ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array)
  );
}

function readTensor(x: TensorLikeObject, argument: string, caller: string, rank: number): ArrayLike<number> {
  if (x.isDisposed) throw new DroError('E_DTYPE', `${caller}: ${argument} is a disposed tensor`, { argument });
  if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') {
    throw new DroError('E_DTYPE', `${caller}: ${argument} must be a numeric tensor`, {
      argument,
      expected: 'float32 or int32',
      received: x.dtype,
    });
  }
  if (x.shape.length !== rank) {
    throw new DroError('E_SHAPE', `${caller}: ${argument} must be a rank-${rank} tensor`, {
      argument,
      expected: `rank ${rank}`,
      received: `shape [${x.shape.join(', ')}]`,
    });
  }
  return x.dataSync();
}

function checkEntry(v: unknown, argument: string, caller: string, where: string, finite: boolean): number {
  if (typeof v !== 'number') {
    throw new DroError('E_DTYPE', `${caller}: ${argument}${where} is not a number`, {
      argument,
      expected: 'numbers',
      received: describeValue(v),
    });
  }
  if (finite && !Number.isFinite(v)) {
    throw new DroError('E_NONFINITE', `${caller}: ${argument}${where} is not finite`, {
      argument,
      expected: 'finite numbers',
      received: describeValue(v),
    });
  }
  return v;
}

export interface HostInputOptions {
  /** Accept NaN/±Infinity (default false: `E_NONFINITE`). */
  allowNonFinite?: boolean;
  /** Accept zero rows (default false: `E_EMPTY`). */
  allowEmpty?: boolean;
}

/**
 * The one host-matrix adapter: copies a rank-2 tensor, rows as arrays (typed or not) or `{data, rows, cols}`
 * into a float64 row-major matrix. Never disposes its input. Tensors carry float32 precision only.
 *
 * @throws DroError `E_DTYPE` (not a matrix, non-numbers), `E_SHAPE` (rank, ragged rows, data length),
 * `E_NONFINITE`, `E_EMPTY` — each naming `argument` and `caller`.
 */
export function toHostMatrix(x: unknown, argument: string, caller: string, o: HostInputOptions = {}): HostMatrix {
  const finite = !o.allowNonFinite;
  let m: HostMatrix;
  if (isTensorLike(x)) {
    const values = readTensor(x, argument, caller, 2);
    m = { rows: x.shape[0] as number, cols: x.shape[1] as number, data: Float64Array.from(values) };
    if (finite) for (let i = 0; i < m.data.length; i++) checkEntry(m.data[i], argument, caller, `[${i}]`, true);
  } else if (Array.isArray(x)) {
    const rows = x.length;
    const first = x[0] as unknown;
    if (rows > 0 && !Array.isArray(first) && !isNumericArrayView(first)) {
      throw new DroError('E_SHAPE', `${caller}: ${argument} must be an array of rows`, {
        argument,
        expected: 'number[][] (rank 2)',
        received: `row 0 is ${describeValue(first)}`,
      });
    }
    const cols = rows > 0 ? (first as ArrayLike<number>).length : 0;
    m = { rows, cols, data: new Float64Array(rows * cols) };
    for (let i = 0; i < rows; i++) {
      const row = x[i] as unknown;
      if ((!Array.isArray(row) && !isNumericArrayView(row)) || (row as ArrayLike<number>).length !== cols) {
        throw new DroError('E_SHAPE', `${caller}: ${argument} is ragged at row ${i}`, {
          argument,
          expected: `${cols} entries in every row`,
          received: describeValue(row),
        });
      }
      const r = row as ArrayLike<unknown>;
      for (let j = 0; j < cols; j++) m.data[i * cols + j] = checkEntry(r[j], argument, caller, `[${i}][${j}]`, finite);
    }
  } else if (typeof x === 'object' && x !== null && 'data' in x && 'rows' in x && 'cols' in x) {
    const d = x as { data: unknown; rows: unknown; cols: unknown };
    const rows = checkNumber(d.rows, `${argument}.rows`, { min: 0, integer: true }, 'E_SHAPE');
    const cols = checkNumber(d.cols, `${argument}.cols`, { min: 0, integer: true }, 'E_SHAPE');
    if (!Array.isArray(d.data) && !isNumericArrayView(d.data)) {
      throw new DroError('E_DTYPE', `${caller}: ${argument}.data must be an array of numbers`, {
        argument,
        received: describeValue(d.data),
      });
    }
    const data = d.data as ArrayLike<unknown>;
    if (data.length !== rows * cols) {
      throw new DroError('E_SHAPE', `${caller}: ${argument}.data has the wrong length`, {
        argument,
        expected: `rows·cols = ${rows * cols}`,
        received: `${data.length}`,
      });
    }
    m = { rows, cols, data: new Float64Array(rows * cols) };
    for (let i = 0; i < data.length; i++) m.data[i] = checkEntry(data[i], argument, caller, `.data[${i}]`, finite);
  } else {
    throw new DroError('E_DTYPE', `${caller}: ${argument} must be a matrix`, {
      argument,
      expected: 'a rank-2 tensor, number[][] or {data, rows, cols}',
      received: describeValue(x),
    });
  }
  if (m.rows === 0 && !o.allowEmpty) {
    throw new DroError('E_EMPTY', `${caller}: ${argument} has no rows`, { argument, expected: 'at least one row' });
  }
  return m;
}

/**
 * The one host-vector adapter: a rank-1 tensor, an array or a typed array → a new Float64Array.
 *
 * @throws DroError `E_DTYPE`, `E_SHAPE` (rank), `E_NONFINITE`, `E_EMPTY`.
 */
export function toHostVector(x: unknown, argument: string, caller: string, o: HostInputOptions = {}): Float64Array {
  const finite = !o.allowNonFinite;
  let out: Float64Array;
  if (isTensorLike(x)) {
    out = Float64Array.from(readTensor(x, argument, caller, 1));
    if (finite) for (let i = 0; i < out.length; i++) checkEntry(out[i], argument, caller, `[${i}]`, true);
  } else if (Array.isArray(x) || isNumericArrayView(x)) {
    const a = x as ArrayLike<unknown>;
    out = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) {
      if (Array.isArray(a[i]) || isNumericArrayView(a[i])) {
        throw new DroError('E_SHAPE', `${caller}: ${argument} must be one-dimensional`, {
          argument,
          expected: 'a flat array of numbers (rank 1)',
          received: `${argument}[${i}] is ${describeValue(a[i])}`,
        });
      }
      out[i] = checkEntry(a[i], argument, caller, `[${i}]`, finite);
    }
  } else {
    throw new DroError('E_DTYPE', `${caller}: ${argument} must be a vector`, {
      argument,
      expected: 'a rank-1 tensor, number[] or a typed array',
      received: describeValue(x),
    });
  }
  if (out.length === 0 && !o.allowEmpty) {
    throw new DroError('E_EMPTY', `${caller}: ${argument} is empty`, { argument, expected: 'at least one value' });
  }
  return out;
}

/** Throws `E_SPEC` unless `numClasses` is a whole number ≥ `min` (2 by default); returns it. */
export function checkNumClasses(numClasses: unknown, argument = 'numClasses', min = 2): number {
  return checkNumber(numClasses, argument, { min, integer: true });
}

export interface LabelsOptions {
  /** Labels must lie in `[0, numClasses)` (`E_LABEL_RANGE` otherwise). */
  numClasses?: number;
  /** Exact number of labels (`E_SHAPE` otherwise), e.g. the rows of the matching features. */
  length?: number;
  /** Sentinels accepted besides `[0, numClasses)` (e.g. {@link UNLABELED}). */
  extra?: readonly number[];
  /** Accept an empty array (default false: `E_EMPTY`). */
  allowEmpty?: boolean;
}

/**
 * The one labels adapter: class indices from a rank-1 tensor (int32 or whole-valued float32), an array or a
 * typed array → a new Int32Array.
 *
 * @throws DroError `E_DTYPE` (not an array, a non-integer value), `E_SHAPE` (rank or length),
 * `E_LABEL_RANGE` (outside `[0, numClasses)`), `E_EMPTY`.
 */
export function toLabels(x: unknown, argument: string, caller: string, o: LabelsOptions = {}): Int32Array {
  let values: ArrayLike<unknown>;
  if (isTensorLike(x)) values = readTensor(x, argument, caller, 1);
  else if (Array.isArray(x) || isNumericArrayView(x)) values = x as ArrayLike<unknown>;
  else {
    throw new DroError('E_DTYPE', `${caller}: ${argument} must be an array of class labels`, {
      argument,
      expected: 'a rank-1 tensor, number[] or an Int32Array',
      received: describeValue(x),
    });
  }
  if (o.length !== undefined && values.length !== o.length) {
    throw new DroError('E_SHAPE', `${caller}: ${argument} has the wrong length`, {
      argument,
      expected: `${o.length} labels`,
      received: `${values.length}`,
    });
  }
  if (values.length === 0 && !o.allowEmpty) {
    throw new DroError('E_EMPTY', `${caller}: ${argument} is empty`, { argument, expected: 'at least one label' });
  }
  const extra = o.extra ?? [];
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1) {
      throw new DroError('E_DTYPE', `${caller}: ${argument}[${i}] is not an integer label`, {
        argument,
        expected: 'whole-number class indices',
        received: describeValue(v),
      });
    }
    if (o.numClasses !== undefined && (v < 0 || v >= o.numClasses) && !extra.includes(v)) {
      throw new DroError('E_LABEL_RANGE', `${caller}: ${argument}[${i}] is out of range`, {
        argument,
        expected: `a whole number in [0, ${o.numClasses})${extra.length ? ` or ${extra.join(', ')}` : ''}`,
        received: String(v),
      });
    }
    out[i] = v;
  }
  return out;
}

/** Throws `E_SHAPE` unless `length` equals `expected` ("one `argument` entry per `per`"). */
export function checkLength(length: number, expected: number, argument: string, per: string): void {
  if (length !== expected) {
    throw new DroError('E_SHAPE', `${argument} must have one entry per ${per}`, {
      argument,
      expected: `${expected}`,
      received: `${length}`,
    });
  }
}

/** Throws `E_INDEX_RANGE` unless `index` is a whole number in `[0, size)`; returns it. */
export function checkIndex(index: unknown, size: number, argument: string): number {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= size) {
    throw new DroError('E_INDEX_RANGE', `${argument} is out of range`, {
      argument,
      expected: `a whole number in [0, ${size})`,
      received: describeValue(index),
    });
  }
  return index;
}
