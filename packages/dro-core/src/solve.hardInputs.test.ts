import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';
import { solveWeights } from './solve.js';
import type { RobustSpec } from './spec.js';

// Hard inputs by class, not by case (issue: "tests that search for the class"): offsets from 0 to 10⁸ times
// the spread, scales from 10⁻³⁰⁰ to 10³⁰⁰ (the penalty scaled along), α·n from 1 to n, and tiny λ.
const rng = createRng('solve-hard-inputs');

function specsFor(n: number, scale: number): RobustSpec[] {
  const specs: RobustSpec[] = [
    { kind: 'kl', lambda: 1e-6 * scale },
    { kind: 'kl-constrained', rho: 0.3 },
    { kind: 'chi2', lambda: 1e-6 * scale },
    { kind: 'chi2', lambda: 0.3 * scale },
    { kind: 'chi2-constrained', rho: 0.5 },
    { kind: 'chi2-both', rho: 0.5, lambda: 1e-6 * scale },
    { kind: 'tv', eps: 0.2 },
  ];
  for (const k of [1, 2, Math.max(1, Math.floor(n / 3)), n]) {
    specs.push({ kind: 'cvar', alpha: k / n });
    for (const lam of [1e-8, 1e-3, 1]) specs.push({ kind: 'kl-cvar', alpha: k / n, lambda: lam * scale });
  }
  return specs;
}

/** Relative gap to a reference, with an absolute floor of `floor` (both in units of the spread). */
const close = (a: number, b: number, unit: number, tol: number) => Math.abs(a - b) <= tol * unit;

describe('solveWeights on hard inputs', () => {
  it('is invariant to a common shift of the losses (offset up to 10⁸ × spread): same weights, value + shift', () => {
    let worstW = 0;
    let worstV = 0;
    for (let trial = 0; trial < 12; trial++) {
      const n = 2 + rng.int(30);
      const base = Array.from({ length: n }, () => rng.uniform());
      for (const spec of specsFor(n, 1)) {
        const ref = solveWeights(base, spec);
        for (const offset of [1e2, 1e3, 1e5, 1e8]) {
          const shifted = base.map((v) => v + offset);
          const r = solveWeights(shifted, spec);
          // The shifted input itself is rounded at ulp(offset): compare in units of that.
          const unit = Math.max(1, offset * 2 ** -52 * 64);
          for (let i = 0; i < n; i++) worstW = Math.max(worstW, Math.abs(r.weights[i]! - ref.weights[i]!));
          worstV = Math.max(worstV, Math.abs(r.value - offset - ref.value) / unit);
          expect(close(r.value - offset, ref.value, unit, 1e-6), `${JSON.stringify(spec)} offset ${offset}`).toBe(true);
        }
      }
    }
    expect(worstV).toBeLessThan(1e-6);
    // Weights can move where the offset rounds two losses into a tie; they stay within a small mass.
    expect(worstW).toBeLessThan(1e-3);
  });

  it('returns weights on the simplex and a value in [mean, max] for every class of input', () => {
    for (const scale of [1e-300, 1e-150, 1e-8, 1, 1e8, 1e150, 1e300]) {
      for (const offsetRatio of [0, 1e3, 1e8]) {
        const n = 1 + rng.int(25);
        const l = Array.from({ length: n }, () => scale * (offsetRatio + rng.uniform()));
        const mean = l.reduce((a, b) => a + b / n, 0);
        const max = Math.max(...l);
        const min = Math.min(...l);
        const slack = 1e-9 * Math.max(Math.abs(max), Math.abs(min), Number.MIN_VALUE);
        for (const spec of specsFor(n, scale)) {
          const { weights, value } = solveWeights(l, spec);
          let s = 0;
          for (const w of weights) {
            expect(w).toBeGreaterThanOrEqual(0);
            s += w;
          }
          const label = `${JSON.stringify(spec)} scale ${scale} offset×${offsetRatio}`;
          expect(Math.abs(s - 1), label).toBeLessThan(1e-9);
          expect(value, label).toBeLessThanOrEqual(max + slack);
          expect(value, label).toBeGreaterThanOrEqual(mean - slack);
        }
      }
    }
  });
});
