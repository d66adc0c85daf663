import { checkLength, toHostVector } from '@drojs/dro-core';

/** Sorts pixel indices by value descending, ties by ascending row-major index (stable, float64). @internal */
export function rankValues(values: ArrayLike<number>, offset = 0, n = values.length): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return idx.sort((a, b) => {
    const d = values[offset + b]! - values[offset + a]!;
    return d !== 0 ? d : a - b;
  });
}

/**
 * Ranks the pixels of one map (`H·W` values, row-major): highest value first, ties by ascending index.
 * @throws DroError E_EMPTY / E_NONFINITE for an empty or non-finite map.
 */
export function rankPixels(map: ArrayLike<number>): Int32Array {
  const v = toHostVector(map as number[], 'map', 'rankPixels');
  return rankValues(v);
}

/** Trapezoidal area under a curve `(xs, ys)` (host float64). */
export function trapezoidAuc(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  const a = toHostVector(xs as number[], 'xs', 'trapezoidAuc');
  const b = toHostVector(ys as number[], 'ys', 'trapezoidAuc');
  checkLength(b.length, a.length, 'ys', 'entry of xs');
  let s = 0;
  for (let j = 0; j + 1 < a.length; j++) s += ((a[j + 1]! - a[j]!) * (b[j]! + b[j + 1]!)) / 2;
  return s;
}
