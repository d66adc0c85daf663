import { DroError, describeValue, toHostMatrix, toLabels, toTensor } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';

/** A fill: a number, a per-channel vector `[C]`, an image `[H, W, C]` or a batch `[B, H, W, C]`. */
export type Fill = number | ArrayLike<number> | tf.Tensor1D | tf.Tensor3D | tf.Tensor4D;
/** Class labels or targets: a rank-1 tensor, an Int32Array or a list of integers. */
export type Labels = tf.Tensor1D | Int32Array | ArrayLike<number>;
/** Maps or masks `[B, H, W]`: a rank-3 tensor or a nested array. */
export type MapInput = tf.Tensor3D | number[][][];

function isEmptyList(x: unknown): boolean {
  return (Array.isArray(x) || ArrayBuffer.isView(x)) && (x as ArrayLike<unknown>).length === 0;
}

function emptyError(caller: string, argument: string): DroError {
  return new DroError('E_EMPTY', `${caller}: ${argument} is empty`, { argument, expected: 'at least one image' });
}

/** Throws E_NONFINITE when a tensor holds NaN or ±Infinity (read back once on the host). */
export function checkFiniteTensor(t: tf.Tensor, argument: string, caller: string): void {
  const v = t.dataSync();
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) {
      throw new DroError('E_NONFINITE', `${caller}: ${argument} holds a non-finite value at flat index ${i}`, {
        argument,
        expected: 'finite numbers',
        received: String(v[i]),
      });
    }
  }
}

/**
 * A float tensor of one of `ranks`, checked in the order emptiness → rank → finiteness. The caller disposes the
 * result only when it differs from `x` (use inside `tf.tidy`).
 */
export function floatInput(x: unknown, argument: string, caller: string, ranks: number[]): tf.Tensor {
  if (isEmptyList(x)) throw emptyError(caller, argument);
  if (x instanceof tf.Tensor && x.size === 0 && !x.isDisposed) throw emptyError(caller, argument);
  const t = toTensor(x, argument, caller, { rank: ranks });
  if (t.size === 0) {
    if (t !== x) t.dispose();
    throw emptyError(caller, argument);
  }
  try {
    checkFiniteTensor(t, argument, caller);
  } catch (e) {
    if (t !== x) t.dispose();
    throw e;
  }
  return t;
}

/** An image batch `[B, H, W, C]`. */
export function imageInput(x: unknown, caller: string, argument = 'x'): tf.Tensor4D {
  return floatInput(x, argument, caller, [4]) as tf.Tensor4D;
}

/** Mask logits `[B, h, w]` or `[B, h, w, 1]`, returned as `[B, h, w]` with the batch size checked. */
export function logitsInput(z: unknown, caller: string, batch: number | null, argument = 'maskLogits'): tf.Tensor3D {
  const t = floatInput(z, argument, caller, [3, 4]);
  if (t.rank === 4 && t.shape[3] !== 1) {
    if (t !== z) t.dispose();
    throw new DroError('E_SHAPE', `${caller}: ${argument} must be [B, h, w] or [B, h, w, 1]`, {
      argument,
      expected: '[B, h, w] or [B, h, w, 1]',
      received: `[${t.shape.join(', ')}]`,
    });
  }
  if (batch !== null && t.shape[0] !== batch) {
    if (t !== z) t.dispose();
    throw new DroError('E_SHAPE', `${caller}: ${argument} has another batch size than x`, {
      argument,
      expected: `${batch} rows`,
      received: `${t.shape[0]} rows`,
    });
  }
  return (t.rank === 4 ? tf.reshape(t, t.shape.slice(0, 3) as [number, number, number]) : t) as tf.Tensor3D;
}

/** Labels as Int32Array of length `batch`; range checked when `numClasses` is known. */
export function labelsInput(
  labels: unknown,
  caller: string,
  batch: number,
  numClasses?: number,
  argument = 'labels',
): Int32Array {
  if (isEmptyList(labels) || (labels instanceof tf.Tensor && labels.size === 0)) throw emptyError(caller, argument);
  return toLabels(labels, argument, caller, { length: batch, ...(numClasses !== undefined ? { numClasses } : {}) });
}

/**
 * A fill broadcastable to `shape = [B, H, W, C]`: a scalar, `[C]`, `[H, W, C]` or `[B, H, W, C]` (E_SHAPE
 * otherwise, E_NONFINITE for NaN/Infinity). Call inside `tf.tidy`.
 */
export function fillInput(fill: unknown, shape: number[], caller: string, argument = 'fill'): tf.Tensor {
  const [b, h, w, c] = shape as [number, number, number, number];
  if (fill === undefined) return tf.scalar(0);
  if (typeof fill === 'number') {
    if (!Number.isFinite(fill)) {
      throw new DroError('E_NONFINITE', `${caller}: ${argument} is not finite`, { argument, received: String(fill) });
    }
    return tf.scalar(fill);
  }
  const t = floatInput(fill, argument, caller, [0, 1, 3, 4]);
  const want: Record<number, number[]> = { 0: [], 1: [c], 3: [h, w, c], 4: [b, h, w, c] };
  const expected = want[t.rank]!;
  if (t.shape.some((d, i) => d !== expected[i])) {
    throw new DroError('E_SHAPE', `${caller}: ${argument} does not match the images`, {
      argument,
      expected: `[${c}] (channels), [${h}, ${w}, ${c}] or [${b}, ${h}, ${w}, ${c}]`,
      received: `[${t.shape.join(', ')}]`,
    });
  }
  return t;
}

/** Host copy of maps `[B, H, W]` (float64 copies of the float32 values) with their shape. */
export interface HostMaps {
  data: Float64Array;
  b: number;
  h: number;
  w: number;
}

/**
 * Reads maps `[B, H, W]` into a float64 host copy (emptiness → shape → finiteness): a rank-3 tensor is read
 * back once; nested arrays go through dro-core's host-matrix adapter image by image, so that host metrics need
 * no tfjs backend.
 */
export function hostMaps(map: unknown, argument: string, caller: string): HostMaps {
  if (map instanceof tf.Tensor) {
    const t = floatInput(map, argument, caller, [3]);
    const [b, h, w] = t.shape as [number, number, number];
    return { data: Float64Array.from(t.dataSync()), b, h, w };
  }
  if (!Array.isArray(map)) {
    throw new DroError('E_DTYPE', `${caller}: ${argument} must be a rank-3 tensor or nested arrays`, {
      argument,
      expected: '[B, H, W]',
      received: describeValue(map),
    });
  }
  if (map.length === 0) throw emptyError(caller, argument);
  const images = map.map((img, i) => {
    if (!Array.isArray(img) || !img.every((row) => Array.isArray(row) || ArrayBuffer.isView(row))) {
      throw new DroError('E_SHAPE', `${caller}: ${argument}[${i}] is not an image [H][W]`, {
        argument,
        expected: 'rank 3 ([B][H][W])',
        received: describeValue(img),
      });
    }
    return toHostMatrix(img, `${argument}[${i}]`, caller);
  });
  const { rows: h, cols: w } = images[0]!;
  const data = new Float64Array(images.length * h * w);
  images.forEach((m, i) => {
    if (m.rows !== h || m.cols !== w) {
      throw new DroError('E_SHAPE', `${caller}: ${argument} is ragged at image ${i}`, {
        argument,
        expected: `[${h}, ${w}]`,
        received: `[${m.rows}, ${m.cols}]`,
      });
    }
    data.set(m.data, i * h * w);
  });
  return { data, b: images.length, h, w };
}

/** Throws E_SHAPE unless two map shapes agree. */
export function sameMapShape(a: HostMaps, g: HostMaps, argument: string, caller: string): void {
  if (a.b !== g.b || a.h !== g.h || a.w !== g.w) {
    throw new DroError('E_SHAPE', `${caller}: ${argument} does not match the map's shape`, {
      argument,
      expected: `[${a.b}, ${a.h}, ${a.w}]`,
      received: `[${g.b}, ${g.h}, ${g.w}]`,
    });
  }
}

/** Throws E_SPEC unless every value is 0 or 1. */
export function checkBinary(m: HostMaps, argument: string, caller: string): void {
  for (const v of m.data) {
    if (v !== 0 && v !== 1) {
      throw new DroError('E_SPEC', `${caller}: ${argument} must hold 0/1 values`, {
        argument,
        expected: '0 or 1',
        received: String(v),
      });
    }
  }
}

/** Throws E_SPEC unless every value is in [0, 1]. */
export function checkUnit(m: HostMaps, argument: string, caller: string): void {
  for (const v of m.data) {
    if (!(v >= 0 && v <= 1)) {
      throw new DroError('E_SPEC', `${caller}: ${argument} must hold values in [0, 1]`, {
        argument,
        expected: 'values in [0, 1]',
        received: String(v),
      });
    }
  }
}

/** Throws E_SHAPE when a maps batch does not match the images `[B, H, W, C]`. */
export function mapsMatchImages(m: HostMaps, xShape: number[], argument: string, caller: string): void {
  if (m.b !== xShape[0] || m.h !== xShape[1] || m.w !== xShape[2]) {
    throw new DroError('E_SHAPE', `${caller}: ${argument} does not match x`, {
      argument,
      expected: `[${xShape[0]}, ${xShape[1]}, ${xShape[2]}]`,
      received: `[${m.b}, ${m.h}, ${m.w}]`,
    });
  }
}

/** Row-wise argmax with ties to the lowest index (host). */
export function argmaxRows(p: ArrayLike<number>, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let k = 1; k < cols; k++) if (p[i * cols + k]! > p[i * cols + best]!) best = k;
    out[i] = best;
  }
  return out;
}
