import { normalCdf as normCdf, normalQuantile as normPpf } from '@drojs/dro-core';
import { expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { binomPmf } from './binomialTail.js';
import { binomPValueHalf } from './binomialTest.js';
import { clopperPearsonLower, clopperPearsonTwoSided, clopperPearsonUpper } from './clopperPearson.js';

/** Exact P(Bin(n, p) ≥ k) by direct summation of C(n, i) p^i (1−p)^(n−i) (small n only). */
function tailGE(k: number, n: number, p: number): number {
  let s = 0;
  let c = 1; // C(n, 0)
  for (let i = 0; i <= n; i++) {
    if (i >= k) s += c * p ** i * (1 - p) ** (n - i);
    c = (c * (n - i)) / (i + 1);
  }
  return s;
}

function bisect(f: (x: number) => number, lo: number, hi: number): number {
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

describe('Clopper–Pearson bounds', () => {
  it('match a brute-force inversion of the binomial tail for small n', () => {
    for (const n of [1, 2, 5, 13, 30]) {
      for (let k = 0; k <= n; k++) {
        for (const a of [0.001, 0.05, 0.3]) {
          const lo = k === 0 ? 0 : bisect((p) => tailGE(k, n, p) - a, 0, 1);
          const up = k === n ? 1 : bisect((p) => a - (1 - tailGE(k + 1, n, p)), 0, 1);
          expect(Math.abs(clopperPearsonLower(k, n, a) - lo), `lower ${k}/${n} @${a}`).toBeLessThan(1e-12);
          expect(Math.abs(clopperPearsonUpper(k, n, a) - up), `upper ${k}/${n} @${a}`).toBeLessThan(1e-12);
        }
      }
    }
  });
  it('satisfy the closed forms, the mirror identity and monotonicity in k', () => {
    for (const n of [10, 1000, 100_000]) {
      const a = 0.001;
      expect(clopperPearsonLower(n, n, a)).toBeCloseTo(a ** (1 / n), 15);
      expect(clopperPearsonUpper(0, n, a)).toBeCloseTo(1 - a ** (1 / n), 15);
      let prev = -1;
      for (const k of [0, 1, 2, Math.floor(n / 3), Math.floor(n / 2), n - 2, n - 1, n]) {
        const lo = clopperPearsonLower(k, n, a);
        expect(lo).toBeGreaterThanOrEqual(prev);
        prev = lo;
        expect(Math.abs(clopperPearsonUpper(k, n, a) - (1 - clopperPearsonLower(n - k, n, a)))).toBeLessThan(1e-15);
        expect(clopperPearsonUpper(k, n, a)).toBeGreaterThan(lo);
      }
    }
  });
  it('the bound is the root: P(Bin(n, lower) ≥ k) = alpha (relative 1e-9, n = 10⁵ via the pmf sum)', () => {
    const n = 100_000;
    for (const k of [50_000, 70_000, 99_000]) {
      const p = clopperPearsonLower(k, n, 0.001);
      let s = 0;
      for (let i = k; i <= n; i++) s += binomPmf(i, n, p, 1 - p);
      expect(Math.abs(s / 0.001 - 1)).toBeLessThan(1e-9);
    }
  });
  it('two-sided interval = one-sided bounds at alpha/2', () => {
    const t = clopperPearsonTwoSided(37, 120, 0.02);
    expect(t.lower).toBe(clopperPearsonLower(37, 120, 0.01));
    expect(t.upper).toBe(clopperPearsonUpper(37, 120, 0.01));
  });
  it('reject bad input with DroError', () => {
    expectDroError(() => clopperPearsonLower(11, 10, 0.01), 'E_SPEC', 'k');
    expectDroError(() => clopperPearsonLower(1.5, 10, 0.01), 'E_SPEC', 'k');
    expectDroError(() => clopperPearsonLower(1, 0, 0.01), 'E_SPEC', 'n');
    expectDroError(() => clopperPearsonLower(1, 10, 0), 'E_SPEC', 'alpha');
    expectDroError(() => clopperPearsonLower(1, 10, 1), 'E_SPEC', 'alpha');
    expectDroError(() => clopperPearsonUpper(1, 10, Number.NaN), 'E_NONFINITE', 'alpha');
    expectDroError(() => clopperPearsonUpper(1, 2 ** 31, 0.1), 'E_SPEC', 'n');
  });
});

describe('binomPValueHalf', () => {
  it('equals the direct two-sided sum for small n and is symmetric in k ↔ n − k', () => {
    for (const n of [1, 2, 7, 20, 41]) {
      for (let k = 0; k <= n; k++) {
        const m = Math.min(k, n - k);
        const direct = 2 * m === n ? 1 : Math.min(1, 2 * (1 - tailGE(m + 1, n, 0.5)));
        expect(Math.abs(binomPValueHalf(k, n) - direct)).toBeLessThan(1e-13);
        expect(binomPValueHalf(k, n)).toBe(binomPValueHalf(n - k, n));
      }
    }
    expect(binomPValueHalf(0, 0)).toBe(1);
  });
  it('stays accurate where 2⁻ⁿ underflows (n = 10⁵, unanimous → 0, balanced → 1)', () => {
    expect(binomPValueHalf(100_000, 100_000)).toBe(0);
    expect(binomPValueHalf(50_000, 100_000)).toBe(1);
    const p = binomPValueHalf(50_500, 100_000);
    expect(p).toBeGreaterThan(0.001);
    expect(p).toBeLessThan(0.01);
  });
});

describe('normal quantile', () => {
  it('inverts the CDF, is odd, and is infinite at the ends', () => {
    for (const p of [1e-300, 1e-10, 0.001, 0.2, 0.5, 0.7, 0.999, 1 - 1e-12]) {
      expect(Math.abs(normCdf(normPpf(p)) - p)).toBeLessThan(1e-15 + 1e-13 * Math.min(p, 1 - p));
    }
    for (const p of [0.125, 0.25, 0.375]) expect(normPpf(p) + normPpf(1 - p)).toBe(0);
    expect(normPpf(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normPpf(1)).toBe(Number.POSITIVE_INFINITY);
    expectDroError(() => normPpf(1.5), 'E_SPEC', 'p');
  });
});
