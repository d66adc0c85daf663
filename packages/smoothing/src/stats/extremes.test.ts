// Property tests over generated inputs for the smoothing statistics, each against an in-test reference:
// exact BigInt rational tails with a bisection over the doubles (small n, alpha down to 10⁻³⁰⁰ and into
// the subnormals), a float64 direct-sum reference built on log1p (n up to 2³¹ − 1, k near either end),
// and exact dyadic arithmetic for the ½ tie. Bounded to a few seconds.
import { DroError } from '@drojs/dro-core';
import { describe, expect, it } from 'vitest';
import { certifyFromCounts } from '../certificate.js';
import { minCountToCertify } from '../planning.js';
import { binomPValueHalf } from './binomialTest.js';
import { clopperPearsonLower, clopperPearsonTwoSided, clopperPearsonUpper } from './clopperPearson.js';
import { exactRootBracket, exactTailSign, relativeErrorToBracket, seeded } from './exactReference.js';
import { compareLowerToHalf } from './halfTie.js';

const ULP1 = 2 ** -52;

/** ln α is itself rounded to ulp(|ln α|): a log-space solver cannot do better than that on the root. */
function logSpaceTolerance(alpha: number): number {
  return 4 * ULP1 * (1 + Math.abs(Math.log(alpha)));
}

describe('Clopper–Pearson against exact rational roots (n ≤ 40, alpha in [10⁻³⁰⁰, 1))', () => {
  it('lower and upper bounds lie within the log-space tolerance of the exact root bracket', () => {
    const rnd = seeded(20261206);
    let worstLower = 0;
    let worstUpper = 0;
    for (let c = 0; c < 70; c++) {
      const n = 1 + Math.floor(rnd() * 40);
      const k = Math.floor(rnd() * (n + 1));
      const alpha = 10 ** (-300 * rnd() ** 2);
      if (k > 0) {
        const br = exactRootBracket((p) => exactTailSign(k, n, n, p, alpha));
        const e = relativeErrorToBracket(clopperPearsonLower(k, n, alpha), br);
        expect(e, `lower ${k}/${n} at ${alpha}`).toBeLessThanOrEqual(logSpaceTolerance(alpha));
        worstLower = Math.max(worstLower, e);
      }
      if (k < n) {
        // P(X ≤ k; u) decreases in u, so alpha − tail increases.
        const br = exactRootBracket((p) => -exactTailSign(0, k, n, p, alpha));
        const e = relativeErrorToBracket(clopperPearsonUpper(k, n, alpha), br);
        expect(e, `upper ${k}/${n} at ${alpha}`).toBeLessThanOrEqual(logSpaceTolerance(alpha));
        worstUpper = Math.max(worstUpper, e);
      }
    }
    console.log(`exact-root property: worst relative error lower ${worstLower}, upper ${worstUpper}`);
  });

  it('roots below 2⁻³⁰⁰ and subnormal alpha: within 2 ulps of the exact bracket', () => {
    const cases: [number, number, number][] = [
      [1, 1000, 1e-88],
      [1, 6, 1e-300],
      [1, 8, 5e-310],
      [1, 3, 5e-324],
      [2, 5, 1e-300],
      [3, 8, 1e-320],
    ];
    for (const [k, n, alpha] of cases) {
      const got = clopperPearsonLower(k, n, alpha);
      if (n > 100) {
        // 1 − (1 − t)ⁿ = α in closed form, for a case too large for the BigInt reference.
        const ref = -Math.expm1(Math.log1p(-alpha) / n);
        expect(Math.abs(got - ref) / ref).toBeLessThanOrEqual(logSpaceTolerance(alpha));
        continue;
      }
      const br = exactRootBracket((p) => exactTailSign(k, n, n, p, alpha));
      const ulp = Math.max(br.b - br.a, 5e-324);
      expect(Math.abs(got - br.b), `${k}/${n} at ${alpha}`).toBeLessThanOrEqual(
        Math.max(2 * ulp, logSpaceTolerance(alpha) * br.b),
      );
      expect(got).toBeGreaterThanOrEqual(0);
    }
  });

  it('the two-sided interval is the two one-sided bounds at alpha/2 and contains k/n', () => {
    const rnd = seeded(11);
    for (let c = 0; c < 60; c++) {
      const n = 1 + Math.floor(rnd() * 2 ** (1 + 30 * rnd()));
      const k = Math.floor(rnd() * (n + 1));
      const alpha = 10 ** (-300 * rnd());
      const two = clopperPearsonTwoSided(k, n, alpha);
      expect(two.lower).toBe(clopperPearsonLower(k, n, alpha / 2));
      expect(two.upper).toBe(clopperPearsonUpper(k, n, alpha / 2));
      expect(two.lower).toBeLessThanOrEqual(k / n);
      expect(two.upper).toBeGreaterThanOrEqual(k / n);
    }
  });
});

/** Float64 reference for P(Bin(n, u) ≤ j), small j: the terms C(n, i)uⁱ(1 − u)ⁿ⁻ⁱ with (1 − u)ⁿ⁻ⁱ from log1p. */
function lowTailReference(j: number, n: number, u: number): number {
  const l1 = Math.log1p(-u);
  let s = 0;
  let c = 1; // C(n, i)·uⁱ
  for (let i = 0; i <= j; i++) {
    s += c * Math.exp((n - i) * l1);
    c *= ((n - i) * u) / (i + 1);
  }
  return s;
}

function floatBisect(decreasing: (u: number) => number, target: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 1100 && hi - lo > 0; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (decreasing(mid) > target) lo = mid;
    else hi = mid;
  }
  return hi;
}

describe('Clopper–Pearson at n up to 2³¹ − 1 (k near either end) against a log1p direct-sum reference', () => {
  it('upper bounds for small k and lower bounds for k near n keep all but the last few digits', () => {
    const rnd = seeded(5);
    let worst = 0;
    for (let c = 0; c < 40; c++) {
      const n = 2 ** 31 - 1 - Math.floor(rnd() * 2 ** (31 * rnd()));
      const j = Math.floor(rnd() * 12);
      const alpha = 10 ** (-1 - 30 * rnd());
      const ref = floatBisect((u) => lowTailReference(j, n, u), alpha);
      const up = clopperPearsonUpper(j, n, alpha);
      const lowMirror = clopperPearsonLower(n - j, n, alpha);
      const e = Math.abs(up - ref) / ref;
      worst = Math.max(worst, e);
      // The reference sums ≤ 12 terms of relative error ~10 ulp each.
      expect(e, `upper ${j}/${n} at ${alpha}`).toBeLessThan(1e-13);
      // Lower bound of n − j is 1 − upper bound of j: compare their distances from 1.
      expect(Math.abs(1 - lowMirror - ref)).toBeLessThan(1e-16 + 1e-13 * ref);
    }
    console.log(`n ≈ 2^31 property: worst relative error of the upper bound ${worst}`);
  });
});

describe('the ½ tie is decided exactly', () => {
  it('alpha equal to P(Bin(n, ½) ≥ k): paper abstains, code certifies radius 0; one ulp either side flips', () => {
    let ties = 0;
    for (let n = 1; n <= 30; n++) {
      let tail = 0n; // Σ_{j≥k} C(n, j), built from k = n down
      let c = 1n; // C(n, n − i)
      for (let k = n; k >= 1; k--) {
        tail += c;
        c = (c * BigInt(k)) / BigInt(n - k + 1);
        const alpha = Number(tail) / 2 ** n; // exact: tail < 2⁵³
        if (!(alpha < 1)) continue;
        ties++;
        const counts0 = [n, 0];
        const counts = [k, n - k];
        expect(compareLowerToHalf(k, n, alpha), `${k}/${n}`).toBe(0);
        expect(certifyFromCounts(counts0, counts, alpha, 1, 'paper').prediction).toBe(-1);
        const code = certifyFromCounts(counts0, counts, alpha, 1, 'code');
        expect(code.prediction).toBe(0);
        expect(code.radius).toBe(0);
        const above = alpha * (1 + ULP1); // larger alpha: bound above ½
        const below = alpha * (1 - ULP1 / 2);
        expect(compareLowerToHalf(k, n, above)).toBe(1);
        expect(certifyFromCounts(counts0, counts, above, 1, 'paper').prediction).toBe(0);
        expect(compareLowerToHalf(k, n, below)).toBe(-1);
        expect(certifyFromCounts(counts0, counts, below, 1, 'code').prediction).toBe(-1);
      }
    }
    expect(ties).toBeGreaterThan(400);
  });

  it('near-ties at n up to 2¹⁵ agree with the sign of the exact sum; the odd-n tie at alpha = ½ at any n', () => {
    const rnd = seeded(3);
    for (let c = 0; c < 30; c++) {
      const n = 2 + Math.floor(rnd() * 3000);
      const k = Math.floor(n / 2) + 1 + Math.floor(rnd() * 20);
      if (k > n) continue;
      // alpha = P(Bin(n, ½) ≥ k) rounded to a double, then nudged: the exact comparison decides.
      let tail = 0n;
      let cc = 1n;
      for (let j = 0; j <= n - k; j++) {
        tail += cc;
        cc = (cc * BigInt(n - j)) / BigInt(j + 1);
      }
      const scale = 2n ** BigInt(n);
      const alpha = Number((tail * 2n ** 60n) / scale) / 2 ** 60;
      const exact = tail * 2n ** 1100n === BigInt(Math.round(alpha * 2 ** 60)) * 2n ** 1040n * scale;
      const sign = compareLowerToHalf(k, n, alpha);
      // alpha·2ⁿ vs the tail in exact rationals.
      const aNum = BigInt(Math.round(alpha * 2 ** 60));
      const lhs = tail * 2n ** 60n;
      const rhs = aNum * scale;
      expect(sign, `${k}/${n}`).toBe(lhs < rhs ? 1 : lhs > rhs ? -1 : 0);
      expect(exact).toBe(lhs === rhs);
    }
    for (const n of [2 ** 31 - 1, 1_000_001, 99_999]) {
      expect(compareLowerToHalf((n + 1) / 2, n, 0.5)).toBe(0);
      expect(certifyFromCounts([n, 0], [(n + 1) / 2, (n - 1) / 2], 0.5, 1).prediction).toBe(-1);
    }
  });

  it('minCountToCertify is the least k whose bound exceeds ½ exactly', () => {
    for (const [n, alpha] of [
      [10, 2 ** -10 * 11],
      [20, 0.001],
      [4, 5 / 16],
    ] as const) {
      const k = minCountToCertify(n, alpha);
      if (k <= n) expect(compareLowerToHalf(k, n, alpha)).toBe(1);
      if (k - 1 >= 0) expect(compareLowerToHalf(k - 1, n, alpha)).toBeLessThan(1);
    }
  });
});

describe('binomPValueHalf against exact rationals', () => {
  it('matches 2·Σ C(n, j)/2ⁿ for n ≤ 60 (log-space tolerance) and stays in [0, 1] at n ≤ 2³¹ − 1', () => {
    let worst = 0;
    for (let n = 1; n <= 60; n++) {
      let low = 0n;
      let c = 1n;
      for (let k = 0; 2 * k < n; k++) {
        low += c;
        c = (c * BigInt(n - k)) / BigInt(k + 1);
        const ref = Math.min(1, (2 * Number(low)) / 2 ** n);
        const got = binomPValueHalf(k, n);
        const e = Math.abs(got - ref) / ref;
        worst = Math.max(worst, e);
        // The tail is summed in log space: its error scales with |ln p| like the roots' (see logSpaceTolerance).
        // Loader's saddle-point mass carries ~10 ulps of its own besides the ulp(|ln p|) of the log form.
        expect(e, `${k}/${n}`).toBeLessThanOrEqual(8 * logSpaceTolerance(ref));
      }
    }
    const rnd = seeded(9);
    for (let c = 0; c < 50; c++) {
      const n = 1 + Math.floor(rnd() * (2 ** 31 - 2));
      const p = binomPValueHalf(Math.floor(rnd() * (n + 1)), n);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    console.log(`binomPValueHalf: worst relative error ${worst}`);
  });
});

describe('generated bad inputs: only DroError escapes', () => {
  it('clopperPearson*, binomPValueHalf, certifyFromCounts', () => {
    const junk: unknown[] = [Number.NaN, Infinity, -Infinity, -1, 0, 0.5, 1, 1.5, 2 ** 31, 2 ** 53, -0, '3', null];
    const fns: ((a: unknown, b: unknown, c: unknown) => unknown)[] = [
      (a, b, c) => clopperPearsonLower(a as number, b as number, c as number),
      (a, b, c) => clopperPearsonUpper(a as number, b as number, c as number),
      (a, b, c) => clopperPearsonTwoSided(a as number, b as number, c as number),
      (a, b) => binomPValueHalf(a as number, b as number),
      (a, b, c) => certifyFromCounts([a as number, 1], [b as number, 1], c as number, 1),
    ];
    let calls = 0;
    for (const f of fns)
      for (const a of junk)
        for (const b of junk)
          for (const c of [Number.NaN, 5e-324, 1e-300, 0.5, 1 - 2 ** -53, 1, 0]) {
            calls++;
            try {
              const r = f(a, b, c);
              const values = typeof r === 'number' ? [r] : Object.values(r as object);
              for (const v of values) if (typeof v === 'number') expect(Number.isNaN(v)).toBe(false);
            } catch (e) {
              expect(e).toBeInstanceOf(DroError);
            }
          }
    expect(calls).toBe(5 * 13 * 13 * 7);
  });
});
