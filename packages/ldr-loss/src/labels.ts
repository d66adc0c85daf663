import { checkNumber, DroError, describeValue, toLabels, toTensor } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { kebab, LABEL_FORMAT_RULE } from './options.js';

/** Sparse `[N,…]` / `[N,…,1]` or one-hot `[N,…,K]` labels, as a tensor (int32 or float32 holding integers) or a JS array. */
export type LabelsLike = tf.Tensor | ArrayLike<number> | ArrayLike<ArrayLike<number>>;
/** Logits: a float32 tensor, or a TensorLike (nested arrays, typed arrays) read by dro-core's `toTensor`. */
export type LogitsLike = tf.Tensor | tf.TensorLike;
/**
 * How labels are read: `'auto'` decides from the shapes (spec §1). `'oneHot'` is the deprecated spelling of
 * `'one-hot'`.
 */
export type LabelFormat = 'auto' | 'sparse' | 'one-hot' | /** @deprecated use 'one-hot' */ 'oneHot';

/** Options every stateless loss accepts. */
export interface CommonLossOptions {
  /** `'mean'` (default) over kept rows, `'sum'`, or `'none'` (per row, logits shape minus the class axis). */
  reduction?: Reduction;
  /** Default `'auto'`. */
  labelFormat?: LabelFormat;
  /** Sparse labels equal to this value are excluded (zero loss and gradient); must lie outside `[0, K)`. */
  ignoreIndex?: number;
}

/** `'mean' | 'sum' | 'none'`. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Shape facts of a logits tensor with the class axis last. */
export interface LogitsInfo {
  rows: number;
  K: number;
  rowShape: number[];
}

/**
 * Runs `body` on `x` as a float32 tensor (dro-core's `toTensor`: a non-numeric value or another dtype is
 * `E_DTYPE`). A tensor made from an array is disposed afterwards; a caller's tensor never is.
 */
export function withTensor<R>(x: unknown, argument: string, fn: string, body: (t: tf.Tensor) => R): R {
  const t = toTensor(x, argument, fn);
  try {
    return body(t);
  } finally {
    if (t !== x) t.dispose();
  }
}

/** Validates logits (see {@link LogitsLike}): float32, rank ≥ 2, K ≥ 2, at least one row. */
export function checkLogits(logits: unknown, fn: string, name = 'logits'): LogitsInfo {
  return withTensor(logits, name, fn, (t) => {
    if (t.rank < 2) {
      throw new DroError('E_SHAPE', `${fn}: ${name} must have rank ≥ 2 with the class axis last`, {
        argument: name,
        received: `shape [${t.shape.join(', ')}]`,
      });
    }
    const K = t.shape[t.rank - 1] as number;
    if (K < 2) {
      throw new DroError('E_SHAPE', `${fn}: ${name} needs K ≥ 2 classes`, {
        argument: `${name}.shape[${t.rank - 1}]`,
        received: String(K),
      });
    }
    const rowShape = t.shape.slice(0, -1);
    const rows = rowShape.reduce((a: number, b: number) => a * b, 1);
    if (rows === 0) throw new DroError('E_EMPTY', `${fn}: ${name} has no rows`, { argument: name });
    return { rows, K, rowShape };
  });
}

/** Host view of validated labels. */
export interface ParsedLabels {
  /** Class per row; −1 for ignored rows. */
  classes: Int32Array;
  /** Number of rows not ignored. */
  kept: number;
}

function nestedShape(a: ArrayLike<unknown>): number[] {
  const shape: number[] = [];
  let cur: unknown = a;
  while (cur !== null && typeof cur === 'object' && 'length' in (cur as object)) {
    const arr = cur as ArrayLike<unknown>;
    shape.push(arr.length);
    if (arr.length === 0) break;
    cur = arr[0];
  }
  return shape;
}

function flatten(a: ArrayLike<unknown>, out: number[]): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v !== null && typeof v === 'object' && 'length' in (v as object)) flatten(v as ArrayLike<unknown>, out);
    else out.push(v as number);
  }
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Reads labels back to the host and validates them against the logits' shape (spec §1, §7).
 * Throws E_SHAPE / E_DTYPE / E_LABEL_RANGE / E_SPEC; creates no tensors.
 */
export function parseLabels(
  labels: LabelsLike,
  logitsShape: readonly number[],
  opts: { labelFormat?: LabelFormat; ignoreIndex?: number },
  fn: string,
): ParsedLabels {
  const r = logitsShape.length;
  const K = logitsShape[r - 1] as number;
  const rowShape = logitsShape.slice(0, -1);
  const rows = rowShape.reduce((a, b) => a * b, 1);
  LABEL_FORMAT_RULE.check(opts.labelFormat ?? 'auto', 'labelFormat');
  const format = kebab<'auto' | 'sparse' | 'one-hot'>(opts.labelFormat ?? 'auto');
  const ignore = opts.ignoreIndex;
  if (ignore !== undefined) {
    checkNumber(ignore, 'ignoreIndex', { integer: true });
    if (ignore >= 0 && ignore < K) {
      throw new DroError('E_SPEC', `${fn}: ignoreIndex must lie outside [0, ${K})`, {
        argument: 'ignoreIndex',
        received: String(ignore),
      });
    }
  }
  let shape: number[];
  let values: ArrayLike<number>;
  if (labels instanceof tf.Tensor) {
    if (labels.dtype !== 'int32' && labels.dtype !== 'float32') {
      throw new DroError('E_DTYPE', `${fn}: labels must be int32 or float32`, {
        argument: 'labels',
        received: labels.dtype,
      });
    }
    shape = labels.shape.slice();
    values = labels.dataSync() as ArrayLike<number>;
  } else if (labels !== null && typeof labels === 'object' && 'length' in labels) {
    shape = nestedShape(labels as ArrayLike<unknown>);
    if (shape.length > 1) {
      const flat: number[] = [];
      flatten(labels as ArrayLike<unknown>, flat);
      values = flat;
      if (flat.length !== shape.reduce((a, b) => a * b, 1)) {
        throw new DroError('E_SHAPE', `${fn}: labels is a ragged nested array`, { argument: 'labels' });
      }
    } else values = labels as ArrayLike<number>;
  } else {
    throw new DroError('E_DTYPE', `${fn}: labels must be a tensor or an array`, {
      argument: 'labels',
      received: describeValue(labels),
    });
  }
  // Decide the layout (spec §1). A flat host array of length rows is sparse whatever the logits' rank.
  let layout: 'sparse' | 'one-hot' | null = null;
  const flatHost = !(labels instanceof tf.Tensor) && shape.length === 1;
  if (flatHost && values.length === rows && format !== 'one-hot') layout = 'sparse';
  else if (flatHost && values.length === rows * K && format === 'one-hot') layout = 'one-hot';
  else if (shape.length === r - 1 && sameDims(shape, rowShape)) layout = format === 'one-hot' ? null : 'sparse';
  else if (shape.length === r && sameDims(shape.slice(0, -1), rowShape)) {
    const last = shape[r - 1];
    if (last === K && format !== 'sparse') layout = 'one-hot';
    else if (last === 1 && format !== 'one-hot') layout = 'sparse';
  }
  if (layout === null) {
    throw new DroError('E_SHAPE', `${fn}: labels shape does not match logits shape [${logitsShape.join(', ')}]`, {
      argument: 'labels',
      expected: `sparse [${rowShape.join(', ')}] or [${rowShape.join(', ')}, 1], or one-hot [${logitsShape.join(', ')}]`,
      received: `shape [${shape.join(', ')}]${format === 'auto' ? '' : ` with labelFormat '${format}'`}`,
    });
  }
  const classes = new Int32Array(rows);
  let kept = 0;
  if (layout === 'sparse') {
    // dro-core's toLabels reads the values (whole numbers, else E_DTYPE); the range is checked here against
    // K = logits.shape[-1], with ignoreIndex allowed outside it.
    const ints = toLabels(values, 'labels', fn, { allowEmpty: true });
    for (let i = 0; i < rows; i++) {
      const v = ints[i] as number;
      if (ignore !== undefined && v === ignore) {
        classes[i] = -1;
        continue;
      }
      if (v < 0 || v >= K) {
        throw new DroError(
          'E_LABEL_RANGE',
          `${fn}: labels[${i}] = ${describeValue(v)} is outside [0, ${K}) (K = logits.shape[${r - 1}] = ${K})`,
          { argument: 'labels' },
        );
      }
      classes[i] = v;
      kept++;
    }
  } else {
    if (ignore !== undefined) {
      throw new DroError('E_LABEL_RANGE', `${fn}: ignoreIndex cannot be used with one-hot labels`, {
        argument: 'ignoreIndex',
      });
    }
    for (let i = 0; i < rows; i++) {
      let hot = -1;
      for (let k = 0; k < K; k++) {
        const v = values[i * K + k] as number;
        if (v === 1 && hot < 0) hot = k;
        else if (v !== 0) {
          hot = -2;
          break;
        }
      }
      if (hot < 0) {
        const row = Array.from({ length: K }, (_, k) => values[i * K + k]);
        throw new DroError('E_LABEL_RANGE', `${fn}: one-hot labels row ${i} is not a one-hot vector`, {
          argument: 'labels',
          expected: 'exactly one entry equal to 1, the others 0',
          received: `[${row.join(', ')}]`,
        });
      }
      classes[i] = hot;
      kept++;
    }
  }
  return { classes, kept };
}

/** One-hot float32 `[rows, K]` tensor of the parsed classes (all-zero rows for ignored ones). */
export function oneHotOf(classes: Int32Array, K: number): tf.Tensor2D {
  const data = new Float32Array(classes.length * K);
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i] as number;
    if (c >= 0) data[i * K + c] = 1;
  }
  return tf.tensor2d(data, [classes.length, K]);
}

/** Keep-mask `[rows]` (1 kept, 0 ignored), or null when every row is kept. */
export function keepMaskOf(parsed: ParsedLabels): tf.Tensor1D | null {
  if (parsed.kept === parsed.classes.length) return null;
  return tf.tensor1d(Float32Array.from(parsed.classes, (c) => (c >= 0 ? 1 : 0)));
}
