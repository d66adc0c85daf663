import { ensureFinite } from './check.js';

/** The package's fixed-order arithmetic (spec §1.2): summation, softmax and the RNG draws' index maps. */

/** Left-to-right sum (the package's fixed summation order). */
export function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s;
}

/** Softmax of `x` with max shift; throws E_NONFINITE when the result is not finite. */
export function softmax(x: readonly number[], argument: string): number[] {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of x) if (v > m) m = v;
  const e = x.map((v) => Math.exp(v - m));
  const s = sum(e);
  const out = e.map((v) => v / s);
  ensureFinite(out, argument);
  return out;
}

/** categorical(p, u) of the spec (§1.2). */
export function categorical(p: readonly number[], u: number): number {
  const total = sum(p);
  let cum = 0;
  for (let k = 0; k < p.length; k++) {
    cum += p[k] as number;
    if (u < cum / total) return k;
  }
  for (let k = p.length - 1; k >= 0; k--) if ((p[k] as number) > 0) return k;
  return p.length - 1;
}

/** uniformIndex(m, u) of the spec (§1.2). */
export function uniformIndex(m: number, u: number): number {
  return Math.min(m - 1, Math.floor(u * m));
}
