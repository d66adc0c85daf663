import { checkNumber, DroError, describeValue } from '@drojs/dro-core';

/** Throws unless `nClasses` is a whole number ≥ `min`; returns it. */
export function checkNumClasses(nClasses: unknown, argument = 'nClasses', min = 2): number {
  return checkNumber(nClasses, argument, { min, integer: true });
}

/**
 * Throws `E_DTYPE` unless `labels` is an array-like of numbers, and `E_LABEL_RANGE` naming the first
 * entry that is not a whole number in `[0, nClasses)`.
 */
export function checkLabels(labels: unknown, nClasses: number, argument = 'labels'): ArrayLike<number> {
  const ok =
    Array.isArray(labels) ||
    (ArrayBuffer.isView(labels) &&
      !(labels instanceof DataView) &&
      !(labels instanceof BigInt64Array) &&
      !(labels instanceof BigUint64Array));
  if (!ok) {
    throw new DroError('E_DTYPE', `${argument} must be an array or typed array of class indices`, {
      argument,
      received: describeValue(labels),
    });
  }
  const arr = labels as ArrayLike<number>;
  for (let i = 0; i < arr.length; i++) {
    const y = arr[i];
    if (typeof y !== 'number' || !Number.isInteger(y) || y < 0 || y >= nClasses) {
      throw new DroError('E_LABEL_RANGE', `${argument}[${i}] is not a class index`, {
        argument,
        expected: `a whole number in [0, ${nClasses})`,
        received: describeValue(y),
      });
    }
  }
  return arr;
}

/**
 * One-hot encoding on the host: a row-major `Float32Array` of length `labels.length · nClasses`
 * (upload with `tf.tensor2d(out, [n, nClasses])`).
 *
 * @throws DroError `E_SPEC` for a bad `nClasses`, `E_LABEL_RANGE` for a label outside `[0, nClasses)`.
 */
export function toOneHot(labels: ArrayLike<number>, nClasses: number): Float32Array {
  checkNumClasses(nClasses, 'nClasses', 1);
  const y = checkLabels(labels, nClasses);
  const out = new Float32Array(y.length * nClasses);
  for (let i = 0; i < y.length; i++) out[i * nClasses + (y[i] as number)] = 1;
  return out;
}
