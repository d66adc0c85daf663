// sdm's float32 host matrices on top of dro-core's adapters: inputs are validated and copied by dro-core's
// `toHostMatrix` / `toLabels` (one set of error codes for every package); sdm keeps them as float32 because
// every neighbour search and adaptor forward pass runs in float32, as the fitted tensors do.
import {
  DroError,
  isTensorLike,
  type LabelsInput,
  type MatrixInput,
  toHostMatrix,
  toLabels,
  UNLABELED,
} from '@drojs/dro-core';

export type { LabelsInput, MatrixInput };

/** A host float32 matrix, row-major. */
export interface HostMatrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/**
 * dro-core's `toHostMatrix` as float32, for embeddings and logits: a rank-2 float32 tensor, rows as arrays or
 * `{data, rows, cols}`. Zero rows are allowed (an empty query batch); a tensor of another dtype is `E_DTYPE`
 * (the fitted adaptor is float32). Never disposes `x`.
 */
export function toF32Matrix(x: unknown, argument: string, caller: string): HostMatrix {
  if (isTensorLike(x) && x.dtype !== 'float32') {
    throw new DroError('E_DTYPE', `${caller}: ${argument} must be a float32 tensor`, {
      argument,
      expected: 'float32',
      received: x.dtype,
    });
  }
  const m = toHostMatrix(x, argument, caller, { allowEmpty: true });
  return { data: Float32Array.from(m.data), rows: m.rows, cols: m.cols };
}

/** The unlabelled marker sdm used before dro-core's `UNLABELED` (−2); accepted on input, mapped to −2. */
export const LEGACY_UNLABELED = -1;

/**
 * dro-core's `toLabels` for sdm's label inputs (a Tensor1D, number[] or Int32Array): labels in
 * `[0, numClasses)` or in `extra`. Where `extra` holds `UNLABELED`, the deprecated −1 is accepted too and
 * stored as `UNLABELED`.
 */
export function toSdmLabels(
  y: unknown,
  argument: string,
  caller: string,
  o: { numClasses: number; length: number; extra?: readonly number[] },
): Int32Array {
  const extra = o.extra ?? [];
  const legacy = extra.includes(UNLABELED);
  const labels = toLabels(y, argument, caller, {
    numClasses: o.numClasses,
    length: o.length,
    extra: legacy ? [...extra, LEGACY_UNLABELED] : extra,
    allowEmpty: true,
  });
  if (legacy) for (let i = 0; i < labels.length; i++) if (labels[i] === LEGACY_UNLABELED) labels[i] = UNLABELED;
  return labels;
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
