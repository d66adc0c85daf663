import * as tf from '@tensorflow/tfjs-core';
import { DroError, describeValue } from '../errors.js';

export interface ToTensorOptions {
  /** Required dtype (default `'float32'`); arrays are created with it. */
  dtype?: 'float32' | 'int32';
  /** Required rank, or a list of accepted ranks. */
  rank?: number | readonly number[];
}

function isNumericArrayView(x: unknown): boolean {
  return (
    ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array)
  );
}

/** True when a nested array holds only numbers (or booleans) at its leaves. */
function isNumericNested(x: unknown): boolean {
  if (typeof x === 'number' || typeof x === 'boolean') return true;
  if (isNumericArrayView(x)) return true;
  if (!Array.isArray(x)) return false;
  for (const v of x) if (!isNumericNested(v)) return false;
  return true;
}

/**
 * The one tensor adapter, in the manner of tfjs's `convertToTensor`: returns `x` itself when it is a tensor
 * of the required dtype and rank, or a new tensor made from a TensorLike (number, nested array, typed
 * array). A tensor it creates is the caller's to dispose (call it inside `tf.tidy`).
 *
 * @param argument the parameter's name, used in messages (`'logits'`).
 * @param caller the public function, used in messages (`'robustLoss'`).
 * @throws DroError `E_DTYPE` for a non-numeric or disposed value or a tensor of another dtype, `E_SHAPE` for
 * ragged arrays or a wrong rank.
 */
export function toTensor(x: unknown, argument: string, caller: string, o: ToTensorOptions = {}): tf.Tensor {
  const dtype = o.dtype ?? 'float32';
  let t: tf.Tensor;
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) throw new DroError('E_DTYPE', `${caller}: ${argument} is a disposed tensor`, { argument });
    if (x.dtype !== dtype) {
      throw new DroError('E_DTYPE', `${caller}: ${argument} has the wrong dtype`, {
        argument,
        expected: dtype,
        received: x.dtype,
      });
    }
    t = x;
  } else {
    if (!isNumericNested(x)) {
      throw new DroError('E_DTYPE', `${caller}: ${argument} must be a tensor or an array of numbers`, {
        argument,
        expected: `a ${dtype} tensor or TensorLike`,
        received: describeValue(x),
      });
    }
    if (dtype === 'int32' && !isIntegral(x)) {
      throw new DroError('E_DTYPE', `${caller}: ${argument} must hold whole numbers`, {
        argument,
        expected: 'int32 values',
      });
    }
    const ragged = raggedAt(x, argument);
    if (ragged !== null) {
      throw new DroError('E_SHAPE', `${caller}: ${argument} is ragged at ${ragged}`, {
        argument,
        expected: 'a regular nested array (every row of the same length)',
      });
    }
    t = tf.tensor(x as tf.TensorLike, undefined, dtype);
  }
  if (o.rank !== undefined) {
    const ranks = typeof o.rank === 'number' ? [o.rank] : o.rank;
    if (!ranks.includes(t.rank)) {
      if (t !== x) t.dispose();
      throw new DroError('E_SHAPE', `${caller}: ${argument} has the wrong rank`, {
        argument,
        expected: `rank ${ranks.join(' or ')}`,
        received: `shape [${t.shape.join(', ')}]`,
      });
    }
  }
  return t;
}

function isIntegral(x: unknown): boolean {
  if (typeof x === 'number') return Number.isInteger(x);
  if (typeof x === 'boolean') return true;
  if (Array.isArray(x) || isNumericArrayView(x)) {
    const a = x as ArrayLike<unknown>;
    for (let i = 0; i < a.length; i++) if (!isIntegral(a[i])) return false;
    return true;
  }
  return false;
}

/** Where a nested array stops being regular (its path), or null. tfjs checks this only in debug mode. */
function raggedAt(x: unknown, path: string): string | null {
  if (!Array.isArray(x) && !isNumericArrayView(x)) return null;
  const a = x as ArrayLike<unknown>;
  if (a.length === 0) return null;
  const shapeOf = (v: unknown): string =>
    Array.isArray(v) || isNumericArrayView(v)
      ? `[${(v as ArrayLike<unknown>).length}${shapeOf((v as ArrayLike<unknown>)[0])}]`
      : '';
  const first = shapeOf(a[0]);
  for (let i = 0; i < a.length; i++) {
    if (shapeOf(a[i]) !== first) return `${path}[${i}]`;
    const inner = raggedAt(a[i], `${path}[${i}]`);
    if (inner !== null) return inner;
  }
  return null;
}
