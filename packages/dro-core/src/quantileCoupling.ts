import { checkFinite, DroError, describeValue } from './errors.js';

/**
 * The monotone (quantile) coupling of two 1-D samples: row r pairs source atom `src[r]` with target atom
 * `tgt[r]` and carries probability `mass[r]`; rows are in increasing quantile level t. For weighted samples
 * the indices are the original positions; for {@link uniformCoupling} they are ranks in the sorted order.
 */
export interface Coupling1d {
  src: Int32Array;
  tgt: Int32Array;
  mass: Float64Array;
}

/** Weights of a 1-D sample: omitted → uniform; otherwise ≥ 0, finite, not all 0, normalised here. */
export interface SampleWeights {
  weightsA?: ArrayLike<number>;
  weightsB?: ArrayLike<number>;
}

/** @internal Validates a 1-D sample (E_DTYPE, E_EMPTY, E_NONFINITE). */
export function checkSample(x: ArrayLike<number>, argument: string): void {
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new DroError('E_DTYPE', `${argument} must be an array of numbers`, {
      argument,
      received: describeValue(x),
    });
  }
  if (x.length === 0) throw new DroError('E_EMPTY', `${argument} is empty`, { argument });
  for (let i = 0; i < x.length; i++) {
    if (typeof x[i] !== 'number') {
      throw new DroError('E_DTYPE', `${argument}[${i}] is not a number`, { argument, received: describeValue(x[i]) });
    }
  }
  checkFinite(x, argument);
}

/** @internal Validates weights for a sample of length n (E_SHAPE, E_NONFINITE, E_SPEC). */
export function checkWeights(w: ArrayLike<number> | undefined, n: number, argument: string): void {
  if (w === undefined) return;
  checkSample(w, argument);
  if (w.length !== n) {
    throw new DroError('E_SHAPE', `${argument} must have one weight per point`, {
      argument,
      expected: `length ${n}`,
      received: `length ${w.length}`,
    });
  }
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (w[i]! < 0) {
      throw new DroError('E_SPEC', `${argument}[${i}] is negative`, {
        argument,
        expected: 'non-negative weights',
        received: describeValue(w[i]),
      });
    }
    s += w[i]!;
  }
  if (!(s > 0)) throw new DroError('E_SPEC', `${argument} sums to 0`, { argument, expected: 'a positive sum' });
}

/** Indices that sort `x` ascending, stably (ties keep index order). */
export function stableArgsort(x: ArrayLike<number>): Int32Array {
  const idx = Array.from({ length: x.length }, (_, i) => i);
  idx.sort((i, j) => x[i]! - x[j]! || i - j);
  return Int32Array.from(idx);
}

const couplingCache = new Map<string, Coupling1d>();

/**
 * The quantile coupling of uniform samples of sizes n and m, on ranks: breakpoints k/n and l/m are compared
 * as the integers k·m and l·n, so coinciding breakpoints are detected exactly. The rows depend only on
 * (n, m); results are cached (treat them as read-only).
 */
export function uniformCoupling(n: number, m: number): Coupling1d {
  for (const [v, name] of [
    [n, 'n'],
    [m, 'm'],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 1) {
      throw new DroError('E_SPEC', `${name} must be a whole number ≥ 1`, {
        argument: name,
        received: describeValue(v),
      });
    }
  }
  const key = `${n},${m}`;
  const hit = couplingCache.get(key);
  if (hit) return hit;
  const src: number[] = [];
  const tgt: number[] = [];
  const mass: number[] = [];
  const total = n * m;
  let i = 0;
  let j = 0;
  let start = 0;
  while (i < n && j < m) {
    const endA = (i + 1) * m;
    const endB = (j + 1) * n;
    const end = Math.min(endA, endB);
    src.push(i);
    tgt.push(j);
    mass.push((end - start) / total);
    if (endA === end) i++;
    if (endB === end) j++;
    start = end;
  }
  const c: Coupling1d = { src: Int32Array.from(src), tgt: Int32Array.from(tgt), mass: Float64Array.from(mass) };
  if (couplingCache.size > 256) couplingCache.clear();
  couplingCache.set(key, c);
  return c;
}

function cumulative(order: Int32Array, w: ArrayLike<number> | undefined): Float64Array {
  const n = order.length;
  const c = new Float64Array(n);
  if (w === undefined) {
    for (let k = 0; k < n; k++) c[k] = (k + 1) / n;
  } else {
    let s = 0;
    for (let k = 0; k < n; k++) s += w[k]!;
    let acc = 0;
    for (let k = 0; k < n; k++) {
      acc += w[order[k]!]!;
      c[k] = acc / s;
    }
  }
  // Float cumulative sums need not end at exactly 1 on both sides; pin them so the walk ends together.
  c[n - 1] = 1;
  return c;
}

/**
 * The optimal (monotone) coupling of two weighted 1-D samples for every convex cost: walk the merged
 * breakpoints of the two cumulative weight sequences (stable ascending sort), emitting one row per interval
 * of positive length. Rows use the samples' original indices. At most n + m − 1 rows.
 *
 * Errors: an empty sample `E_EMPTY`; non-finite values or weights `E_NONFINITE`; a weight array of the
 * wrong length `E_SHAPE`; a negative weight or weights summing to 0 `E_SPEC`.
 */
export function quantileCoupling(a: ArrayLike<number>, b: ArrayLike<number>, opts: SampleWeights = {}): Coupling1d {
  checkSample(a, 'a');
  checkSample(b, 'b');
  checkWeights(opts.weightsA, a.length, 'weightsA');
  checkWeights(opts.weightsB, b.length, 'weightsB');
  const oa = stableArgsort(a);
  const ob = stableArgsort(b);
  if (opts.weightsA === undefined && opts.weightsB === undefined) {
    const u = uniformCoupling(a.length, b.length);
    const src = new Int32Array(u.src.length);
    const tgt = new Int32Array(u.tgt.length);
    for (let r = 0; r < src.length; r++) {
      src[r] = oa[u.src[r]!]!;
      tgt[r] = ob[u.tgt[r]!]!;
    }
    return { src, tgt, mass: Float64Array.from(u.mass) };
  }
  const ca = cumulative(oa, opts.weightsA);
  const cb = cumulative(ob, opts.weightsB);
  const src: number[] = [];
  const tgt: number[] = [];
  const mass: number[] = [];
  let i = 0;
  let j = 0;
  let start = 0;
  while (i < a.length && j < b.length) {
    const end = Math.min(ca[i]!, cb[j]!);
    const dt = end - start;
    if (dt > 0) {
      src.push(oa[i]!);
      tgt.push(ob[j]!);
      mass.push(dt);
    }
    if (ca[i] === end) i++;
    if (cb[j] === end) j++;
    start = end;
  }
  return { src: Int32Array.from(src), tgt: Int32Array.from(tgt), mass: Float64Array.from(mass) };
}
