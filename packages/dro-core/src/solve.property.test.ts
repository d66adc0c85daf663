import { describe, expect, it } from 'vitest';
import { chi2ToUniform, klToUniform, tvToUniform } from './divergence.js';
import { createRng } from './rng.js';
import { solveWeights } from './solve.js';
import type { RobustSpec } from './spec.js';

const rng = createRng('solve-properties');

/** Random losses with forced ties (some values repeated), n in [1, 40]. */
function randomLosses(): number[] {
  const n = 1 + rng.int(40);
  const pool = Array.from({ length: 1 + rng.int(n) }, () => Math.round((rng.normal() * 3 + 1) * 64) / 64);
  return Array.from({ length: n }, () => pool[rng.int(pool.length)]!);
}

const SPECS: RobustSpec[] = [
  { kind: 'erm' },
  { kind: 'kl', lambda: 0.05 },
  { kind: 'kl', lambda: 2 },
  { kind: 'kl-constrained', rho: 0.3 },
  { kind: 'kl-constrained', rho: 0.3, solver: 'bisection' },
  { kind: 'cvar', alpha: 0.2 },
  { kind: 'kl-cvar', alpha: 0.3, lambda: 0.5 },
  { kind: 'chi2', lambda: 0.3 },
  { kind: 'chi2-constrained', rho: 0.7 },
  { kind: 'chi2-both', rho: 0.4, lambda: 0.2 },
  { kind: 'tv', eps: 0.25 },
];

const mean = (l: number[]) => l.reduce((a, b) => a + b, 0) / l.length;

describe.each(SPECS)('solveWeights properties: %o', (spec) => {
  const problems = Array.from({ length: 60 }, randomLosses);

  it('weights are a distribution inside the set, mean ≤ R ≤ max', () => {
    for (const l of problems) {
      const { weights, value } = solveWeights(l, spec);
      const n = l.length;
      let s = 0;
      for (const w of weights) {
        expect(w).toBeGreaterThanOrEqual(0);
        s += w;
      }
      expect(Math.abs(s - 1)).toBeLessThan(1e-12);
      if (spec.kind === 'kl-constrained') expect(klToUniform(weights)).toBeLessThanOrEqual(spec.rho + 1e-6);
      if (spec.kind === 'chi2-constrained' || spec.kind === 'chi2-both')
        expect(chi2ToUniform(weights)).toBeLessThanOrEqual(spec.rho * (1 + 1e-9) + 1e-12);
      if (spec.kind === 'tv') expect(tvToUniform(weights)).toBeLessThanOrEqual(spec.eps + 1e-12);
      if (spec.kind === 'cvar' || spec.kind === 'kl-cvar')
        for (const w of weights) expect(w).toBeLessThanOrEqual(1 / (spec.alpha * n) + 1e-12);
      const penalised =
        spec.kind === 'kl' || spec.kind === 'chi2' || spec.kind === 'kl-cvar' || spec.kind === 'chi2-both';
      // Penalised kinds can fall below the mean by at most zero: the penalty of uniform weights is 0.
      expect(value).toBeGreaterThanOrEqual(mean(l) - 1e-9 * (1 + Math.abs(mean(l))));
      expect(value).toBeLessThanOrEqual(Math.max(...l) + 1e-9 * (1 + Math.abs(Math.max(...l))));
      if (!penalised) {
        let dot = 0;
        l.forEach((v, i) => {
          dot += v * weights[i]!;
        });
        expect(Math.abs(dot - value)).toBeLessThan(1e-9 * (1 + Math.abs(value)));
      }
    }
  });

  it('permutation equivariance and equal weights for equal losses', () => {
    for (const l of problems) {
      const perm = rng.shuffle(Array.from(l.keys()));
      const a = solveWeights(l, spec).weights;
      const b = solveWeights(
        perm.map((i) => l[i]!),
        spec,
      ).weights;
      perm.forEach((i, j) => expect(Math.abs(b[j]! - a[i]!)).toBeLessThan(1e-12));
      for (let i = 0; i < l.length; i++)
        for (let j = 0; j < l.length; j++) if (l[i] === l[j]) expect(Math.abs(a[i]! - a[j]!)).toBeLessThan(1e-12);
    }
  });

  it('primal value equals the dual value where a dual is given', () => {
    for (const l of problems) {
      const { value, info } = solveWeights(l, spec);
      if (info.dualValue === undefined) continue;
      // For kl-constrained the gap is exactly λ*·(ρ − KL(p)), bounded by λ*·tol (tol = 1e-7 by default).
      const slack = spec.kind === 'kl-constrained' && info.lambda ? info.lambda * 1e-7 : 0;
      expect(Math.abs(value - info.dualValue)).toBeLessThanOrEqual(slack + 1e-9 * (1 + Math.abs(value)));
    }
  });
});

describe('monotonicity and limits', () => {
  const problems = Array.from({ length: 40 }, randomLosses);
  const grid = (make: (t: number) => RobustSpec, ts: number[]) => {
    for (const l of problems) {
      const vals = ts.map((t) => solveWeights(l, make(t)).value);
      for (let i = 1; i < vals.length; i++)
        expect(vals[i]!).toBeGreaterThanOrEqual(vals[i - 1]! - 1e-9 * (1 + Math.abs(vals[i - 1]!)));
    }
  };
  it('R is non-decreasing in ρ, ε, 1/α and 1/λ', () => {
    const radii = [0, 0.01, 0.1, 0.5, 1, 3];
    grid((rho) => ({ kind: 'kl-constrained', rho }), radii);
    grid((rho) => ({ kind: 'chi2-constrained', rho }), radii);
    grid((eps) => ({ kind: 'tv', eps }), [0, 0.1, 0.3, 0.7, 1]);
    grid((a) => ({ kind: 'cvar', alpha: 1 / a }), [1, 1.5, 3, 10, 100]);
    grid((t) => ({ kind: 'kl', lambda: 1 / t }), [0.01, 0.1, 1, 10, 100]);
    grid((t) => ({ kind: 'chi2', lambda: 1 / t }), [0.01, 0.1, 1, 10, 100]);
    grid((t) => ({ kind: 'kl-cvar', alpha: 0.3, lambda: 1 / t }), [0.01, 0.1, 1, 10, 100]);
  });
  it('limits: λ→0 gives the max, λ=∞ / ρ=0 / α=1 / ε=0 the mean', () => {
    for (const l of problems) {
      const mx = Math.max(...l);
      const mn = mean(l);
      expect(solveWeights(l, { kind: 'kl', lambda: 0 }).value).toBe(mx);
      expect(solveWeights(l, { kind: 'chi2', lambda: 0 }).value).toBe(mx);
      expect(Math.abs(solveWeights(l, { kind: 'kl', lambda: 1e-6 }).value - mx)).toBeLessThan(1e-4);
      for (const spec of [
        { kind: 'kl', lambda: Number.POSITIVE_INFINITY },
        { kind: 'kl-constrained', rho: 0 },
        { kind: 'cvar', alpha: 1 },
        { kind: 'tv', eps: 0 },
        { kind: 'chi2-constrained', rho: 0 },
      ] as RobustSpec[]) {
        expect(Math.abs(solveWeights(l, spec).value - mn)).toBeLessThan(1e-12 * (1 + Math.abs(mn)));
      }
    }
  });
  it('degenerate inputs: n = 1 and all equal', () => {
    for (const spec of SPECS) {
      const one = solveWeights([2.5], spec);
      expect(Array.from(one.weights)).toEqual([1]);
      expect(one.value).toBeCloseTo(2.5, 12);
      const eq = solveWeights([1, 1, 1, 1], spec);
      expect(Array.from(eq.weights)).toEqual([0.25, 0.25, 0.25, 0.25]);
      expect(eq.value).toBeCloseTo(1, 12);
    }
  });
});

describe('KL-constrained solver', () => {
  it('converges within 100 iterations at tol 1e-7 on random problems (n up to 256), both solvers', () => {
    const r = createRng(7);
    let maxNewton = 0;
    for (let p = 0; p < 150; p++) {
      const n = 2 + r.int(255);
      const l = Array.from({ length: n }, () => r.normal() * (1 + r.int(5)));
      const rho = 0.01 + r.uniform() * 1.5;
      for (const solver of ['newton', 'bisection'] as const) {
        const s = solveWeights(l, { kind: 'kl-constrained', rho, solver });
        expect(s.info.converged).toBe(true);
        expect(s.info.iterations).toBeLessThanOrEqual(100);
        if (s.info.lambda !== 0) expect(Math.abs(klToUniform(s.weights) - rho)).toBeLessThan(1e-7);
        if (solver === 'newton') maxNewton = Math.max(maxNewton, s.info.iterations);
      }
    }
    // The safeguarded Newton iteration needs far fewer steps than bisection.
    expect(maxNewton).toBeLessThanOrEqual(20);
  });
  it('reports converged: false instead of throwing when maxIter is too small', () => {
    const s = solveWeights([0.1, 0.5, 2, 3.25, 0.7], { kind: 'kl-constrained', rho: 0.2, maxIter: 1, tol: 1e-14 });
    expect(s.info.converged).toBe(false);
    expect(s.info.iterations).toBe(1);
    expect(s.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
