import { describe, expect, it } from 'vitest';
import { fitPenalized } from './fit.js';
import { lambdaMax } from './lambda.js';
import { coordinateDescent } from './test/coordinateDescent.js';
import { expectDroError, gaussianProblem } from './test/helpers.js';
import type { Family, PenaltyName } from './types.js';

const PENALTIES: PenaltyName[] = ['lasso', 'scad', 'mcp'];

describe('fitPenalized: KKT on random problems', () => {
  const shapes: [number, number][] = [
    [60, 8],
    [30, 60],
    [25, 120],
  ];
  for (const family of ['gaussian', 'binomial'] as Family[]) {
    for (const [n, p] of shapes) {
      it(`${family}, n = ${n}, p = ${p}: every returned lasso/SCAD/MCP solution has kktMax ≤ 10·tol`, () => {
        const binomial = family === 'binomial';
        const { X, y } = gaussianProblem(`kkt-${family}-${n}-${p}`, binomial ? n * 3 : n, p, { binomial });
        const lm = lambdaMax(X, y, { family });
        for (const penalty of PENALTIES) {
          // logistic SCAD/MCP at small λ with n ≈ p approach separation (trap 10): the binomial cases stop at 0.3·λ_max
          for (const frac of binomial ? [0.6, 0.3] : [0.6, 0.25, 0.1]) {
            const tol = 1e-9;
            const fit = fitPenalized(X, y, { family, penalty, lambda: frac * lm, tol, maxIter: 200000 });
            expect(fit.converged).toBe(true);
            expect(fit.kktMax).toBeLessThanOrEqual(10 * tol);
            expect(fit.df).toBe(fit.active.length);
            // the returned point is a proximal output: exactly sparse
            expect(fit.df).toBeLessThan(p + 1);
          }
        }
      });
    }
  }
});

describe('fitPenalized: agreement with independent solvers', () => {
  it('lasso equals a coordinate-descent lasso to 1e-8 (n > p and n < p)', () => {
    for (const [n, p] of [
      [80, 6],
      [30, 50],
    ] as [number, number][]) {
      const { X, y } = gaussianProblem(`cd-${n}-${p}`, n, p);
      const lam = 0.2 * lambdaMax(X, y);
      const fit = fitPenalized(X, y, { penalty: 'lasso', lambda: lam, tol: 1e-13, maxIter: 500000 });
      const ref = coordinateDescent(X, y, 'lasso', lam);
      for (let j = 0; j < p; j++) expect(Math.abs(fit.coefStandardized[j]! - ref[j]!)).toBeLessThan(1e-8);
    }
  });

  it('strictly convex SCAD/MCP problems (λ_min(ZᵀZ/n) > κ): AG, ISTA and coordinate descent agree to 1e-6', () => {
    const { X, y } = gaussianProblem('convex', 300, 5, { rho: 0.1 });
    const lm = lambdaMax(X, y);
    for (const penalty of ['scad', 'mcp'] as PenaltyName[]) {
      for (const frac of [0.3, 0.1]) {
        const o = { penalty, lambda: frac * lm, tol: 1e-12, maxIter: 500000 };
        const ag = fitPenalized(X, y, o);
        const ista = fitPenalized(X, y, { ...o, solver: 'ista' });
        const agNoRestart = fitPenalized(X, y, { ...o, restart: false });
        const cd = coordinateDescent(X, y, penalty, frac * lm);
        for (let j = 0; j < 5; j++) {
          expect(Math.abs(ag.coefStandardized[j]! - ista.coefStandardized[j]!)).toBeLessThan(1e-6);
          expect(Math.abs(ag.coefStandardized[j]! - agNoRestart.coefStandardized[j]!)).toBeLessThan(1e-6);
          expect(Math.abs(ag.coefStandardized[j]! - cd[j]!)).toBeLessThan(1e-6);
        }
        expect(ag.objective).toBeLessThanOrEqual(ista.objective + 1e-12);
      }
    }
  });
});

describe('fitPenalized: numeric traps', () => {
  it('at λ_max every coefficient is exactly 0 and just below it one is not (3 penalties × 2 families)', () => {
    for (const family of ['gaussian', 'binomial'] as Family[]) {
      const { X, y } = gaussianProblem(`lmax-${family}`, 90, 7, { binomial: family === 'binomial' });
      const lm = lambdaMax(X, y, { family });
      for (const penalty of PENALTIES) {
        const at = fitPenalized(X, y, { family, penalty, lambda: lm });
        expect(at.df).toBe(0);
        const below = fitPenalized(X, y, { family, penalty, lambda: lm * (1 - 1e-3) });
        expect(below.df).toBeGreaterThan(0);
      }
    }
  });

  it('the binomial intercept is never thresholded (log-odds at a huge λ)', () => {
    const { X, y } = gaussianProblem('icpt', 80, 4, { binomial: true });
    const fit = fitPenalized(X, y, { family: 'binomial', penalty: 'lasso', lambda: 1e6 });
    const ybar = y.reduce((a, b) => a + b, 0) / y.length;
    expect(fit.df).toBe(0);
    expect(fit.interceptStandardized).toBeCloseTo(Math.log(ybar / (1 - ybar)), 12);
  });

  it('α₁ = 0.618…, restarts at least 3 apart, tol = 0 runs exactly maxIter', () => {
    const { X, y } = gaussianProblem('trace', 40, 30);
    const fit = fitPenalized(X, y, { lambda: 0.1 * lambdaMax(X, y), tol: 0, maxIter: 60, trace: true });
    expect(fit.iterations).toBe(60);
    expect(fit.converged).toBe(false);
    expect(fit.trace!.alpha![0]).toBeCloseTo(2 / (1 + Math.sqrt(5)), 15);
    expect(fit.trace!.objective.length).toBe(60);
    for (let i = 1; i < fit.restarts.length; i++)
      expect(fit.restarts[i]! - fit.restarts[i - 1]!).toBeGreaterThanOrEqual(3);
    for (const k of fit.restarts) expect(fit.trace!.alpha![k - 1]).toBe(1);
  });

  it('y- and λ-scale equivariance (c = 1e±6) and column-scale invariance of the standardised fit', () => {
    const { X, y } = gaussianProblem('scale', 50, 6);
    const lam = 0.2 * lambdaMax(X, y);
    const base = fitPenalized(X, y, { penalty: 'scad', lambda: lam, tol: 1e-12, maxIter: 100000 });
    for (const c of [1e-6, 1e6]) {
      const f = fitPenalized(
        X,
        y.map((v) => v * c),
        { penalty: 'scad', lambda: lam * c, tol: 1e-12 * c, maxIter: 100000 },
      );
      for (let j = 0; j < 6; j++) expect(Math.abs(f.coef[j]! - c * base.coef[j]!)).toBeLessThanOrEqual(1e-9 * c);
    }
    const Xs = X.map((r) => r.map((v, j) => (j === 2 ? v * 1e8 : v)));
    const f = fitPenalized(Xs, y, { penalty: 'scad', lambda: lam, tol: 1e-12, maxIter: 100000 });
    for (let j = 0; j < 6; j++) expect(Math.abs(f.coefStandardized[j]! - base.coefStandardized[j]!)).toBeLessThan(1e-8);
    expect(f.coef[2]! * 1e8).toBeCloseTo(base.coef[2]!, 8);
  });

  it('permuting columns permutes the coefficients', () => {
    const { X, y } = gaussianProblem('perm', 50, 5);
    const perm = [3, 0, 4, 1, 2];
    const lam = 0.15 * lambdaMax(X, y);
    const a = fitPenalized(X, y, { lambda: lam, tol: 1e-12, maxIter: 100000 });
    const b = fitPenalized(
      X.map((r) => perm.map((j) => r[j]!)),
      y,
      { lambda: lam, tol: 1e-12, maxIter: 100000 },
    );
    perm.forEach((j, k) => expect(b.coef[k]).toBeCloseTo(a.coef[j]!, 9));
  });

  it('predict: link and response', () => {
    const { X, y } = gaussianProblem('pred', 60, 4, { binomial: true });
    const fit = fitPenalized(X, y, { family: 'binomial', lambda: 0.05 });
    const link = fit.predict(X);
    const resp = fit.predict(X, { type: 'response' });
    for (let i = 0; i < 5; i++) {
      let eta = fit.intercept;
      for (let j = 0; j < 4; j++) eta += X[i]![j]! * fit.coef[j]!;
      expect(link[i]).toBeCloseTo(eta, 12);
      expect(resp[i]).toBeCloseTo(1 / (1 + Math.exp(-eta)), 12);
    }
    expectDroError(() => fit.predict([[1, 2, 3]]), 'E_SHAPE', 'X');
  });
});

describe('fitPenalized: bad input → DroError before any work', () => {
  const X = [
    [1, 2],
    [2, 1],
    [3, 5],
    [4, 3],
  ];
  const y = [1, 2, 3, 5];
  it('codes and arguments', () => {
    expectDroError(() => fitPenalized(X, y, { lambda: -1 }), 'E_SPEC', 'lambda');
    expectDroError(() => fitPenalized(X, y, { lambda: Number.NaN }), 'E_NONFINITE', 'lambda');
    expectDroError(() => fitPenalized(X, y, { lambda: 0.1, tol: -1 }), 'E_SPEC', 'tol');
    expectDroError(() => fitPenalized(X, y, { lambda: 0.1, maxIter: 0 }), 'E_SPEC', 'maxIter');
    expectDroError(() => fitPenalized(X, y, { lambda: 0.1, stepScale: 1.5 }), 'E_SPEC', 'stepScale');
    expectDroError(() => fitPenalized(X, y, { lambda: 0.1, lipschitz: 0 }), 'E_SPEC', 'lipschitz');
    expectDroError(() => fitPenalized(X, y, { lambda: 0.1, tolerance: 1 } as never), 'E_SPEC', 'tolerance');
    expectDroError(() => fitPenalized(X, y, { lambda: 0.1, penalty: 'scad', a: 2 }), 'E_SPEC', 'a');
    expectDroError(() => fitPenalized(X, [1, 2, 3], { lambda: 0.1 }), 'E_SHAPE', 'y');
    expectDroError(() => fitPenalized([[1, 2], [3]], [1, 2], { lambda: 0.1 }), 'E_SHAPE', 'X');
    expectDroError(() => fitPenalized([], [], { lambda: 0.1 }), 'E_EMPTY', 'X');
    expectDroError(() => fitPenalized([[1, Number.NaN], ...X.slice(1)], y, { lambda: 0.1 }), 'E_NONFINITE', 'X');
    expectDroError(() => fitPenalized(X, [1, 2, Number.POSITIVE_INFINITY, 4], { lambda: 0.1 }), 'E_NONFINITE', 'y');
    expectDroError(() => fitPenalized(X, y, { lambda: 0.1, init: { coef: [1] } }), 'E_SHAPE', 'init.coef');
    expectDroError(() => fitPenalized(X, [0, 1, 2, 1], { family: 'binomial', lambda: 0.1 }), 'E_LABEL_RANGE', 'y');
    expectDroError(() => fitPenalized(X, [1, 1, 1, 1], { family: 'binomial', lambda: 0.1 }), 'E_SPEC', 'y');
  });

  it('constant columns: E_RANK with an intercept (exact comparison), all-zero allowed without intercept and scaling', () => {
    const c = X.map((r) => [...r, 0.1 + 0.2]);
    expectDroError(() => fitPenalized(c, y, { lambda: 0.1 }), 'E_RANK', 'X');
    const z = X.map((r) => [...r, 0]);
    expectDroError(() => fitPenalized(z, y, { lambda: 0.1, intercept: false }), 'E_RANK', 'X');
    const fit = fitPenalized(z, y, { lambda: 0.1, intercept: false, standardize: false });
    expect(fit.coef[2]).toBe(0);
  });
});
