// Test-only exact references: binomial tails at a double p evaluated as exact rationals in BigInt, and
// the exact root bracket of a monotone tail over the doubles (bisection on the bit patterns). Used by the
// property tests to measure the float64 solvers' error without trusting any float64 special function.

/** A positive double p < 1 as m·2^e with whole m and e ≤ 0, and 1 − p as (2^−e − m)·2^e. */
function split(p: number): { m: bigint; big: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, p);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const rawExp = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const m = rawExp === 0 ? frac : frac | (1n << 52n);
  const e = rawExp === 0 ? -1074 : rawExp - 1075;
  return { m, big: 1n << BigInt(-e), e };
}

/**
 * Sign of P(Bin(n, p) ∈ [from, to]) − alpha, exact: the tail is 2^(e·n)·Σ C(n, j) m^j (2^−e − m)^(n−j)
 * and alpha is a dyadic rational too.
 */
export function exactTailSign(from: number, to: number, n: number, p: number, alpha: number): number {
  const { m, big, e } = split(p);
  const r = big - m;
  let sum = 0n;
  let c = 1n;
  for (let j = 0; j <= n; j++) {
    if (j >= from && j <= to) sum += c * m ** BigInt(j) * r ** BigInt(n - j);
    c = (c * BigInt(n - j)) / BigInt(j + 1);
  }
  const a = split(alpha);
  // sum·2^(e·n) vs a.m·2^(a.e)
  const shift = e * n - a.e;
  const lhs = shift >= 0 ? sum << BigInt(shift) : sum;
  const rhs = shift >= 0 ? a.m : a.m << BigInt(-shift);
  return lhs === rhs ? 0 : lhs > rhs ? 1 : -1;
}

function bitsOf(x: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0);
}

function fromBits(b: bigint): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, b);
  return view.getFloat64(0);
}

/**
 * For an increasing sign function s over the doubles in (0, 1): the largest double a with s(a) < 0 and
 * the next double b = nextUp(a) (so the exact root lies in (a, b]).
 */
export function exactRootBracket(sign: (p: number) => number): { a: number; b: number } {
  let lo = 0n; // bits of 0: s(0) < 0 assumed
  let hi = bitsOf(1); // s(1) ≥ 0 assumed
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (sign(fromBits(mid)) < 0) lo = mid;
    else hi = mid;
  }
  return { a: fromBits(lo), b: fromBits(hi) };
}

/** Distance of x from the exact root bracket (a, b], relative to b (0 when x is a or b). */
export function relativeErrorToBracket(x: number, br: { a: number; b: number }): number {
  if (x >= br.a && x <= br.b) return 0;
  const ref = x < br.a ? br.a : br.b;
  return Math.abs(x - ref) / br.b;
}

/** A small seeded generator (mulberry32) for the property tests. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
