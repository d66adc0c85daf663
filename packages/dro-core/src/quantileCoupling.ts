import { checkNumber, DroError, describeValue } from './errors.js';
import { checkLength, toHostVector } from './validate/hostInputs.js';
import { checkOptions, opt } from './validate/options.js';

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

const WEIGHT_OPTIONS = { weightsA: opt.any(), weightsB: opt.any() };

/**
 * @internal Validates two weighted 1-D samples through the platform adapters (`toHostVector`: E_DTYPE, E_EMPTY,
 * E_NONFINITE; a weight array of the wrong length E_SHAPE; negative weights or a zero sum E_SPEC).
 */
export function checkSamples(
  a: unknown,
  b: unknown,
  opts: SampleWeights | undefined,
  caller: string,
): { a: Float64Array; b: Float64Array; wa?: Float64Array; wb?: Float64Array } {
  const o = checkOptions(opts, WEIGHT_OPTIONS, caller);
  const av = toHostVector(a, 'a', caller);
  const bv = toHostVector(b, 'b', caller);
  const weights = (w: unknown, n: number, argument: string): Float64Array | undefined => {
    if (w === undefined) return undefined;
    const v = toHostVector(w, argument, caller);
    checkLength(v.length, n, argument, 'point');
    let s = 0;
    for (let i = 0; i < n; i++) {
      if (v[i]! < 0) {
        throw new DroError('E_SPEC', `${caller}: ${argument}[${i}] is negative`, {
          argument,
          expected: 'non-negative weights',
          received: describeValue(v[i]),
        });
      }
      s += v[i]!;
    }
    if (!(s > 0))
      throw new DroError('E_SPEC', `${caller}: ${argument} sums to 0`, { argument, expected: 'a positive sum' });
    return v;
  };
  const wa = weights(o.weightsA, av.length, 'weightsA');
  const wb = weights(o.weightsB, bv.length, 'weightsB');
  return { a: av, b: bv, ...(wa ? { wa } : {}), ...(wb ? { wb } : {}) };
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
  checkNumber(n, 'n', { min: 1, integer: true });
  checkNumber(m, 'm', { min: 1, integer: true });
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
  const v = checkSamples(a, b, opts, 'quantileCoupling');
  return couplingOf(v.a, v.b, v.wa, v.wb);
}

/** @internal The coupling of validated samples. */
export function couplingOf(a: Float64Array, b: Float64Array, wa?: Float64Array, wb?: Float64Array): Coupling1d {
  const oa = stableArgsort(a);
  const ob = stableArgsort(b);
  if (wa === undefined && wb === undefined) {
    const u = uniformCoupling(a.length, b.length);
    const src = new Int32Array(u.src.length);
    const tgt = new Int32Array(u.tgt.length);
    for (let r = 0; r < src.length; r++) {
      src[r] = oa[u.src[r]!]!;
      tgt[r] = ob[u.tgt[r]!]!;
    }
    return { src, tgt, mass: Float64Array.from(u.mass) };
  }
  const ca = cumulative(oa, wa);
  const cb = cumulative(ob, wb);
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
