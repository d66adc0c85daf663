import { describe, expect, it } from 'vitest';
import { logBinomial, pathCriteria } from './criteria.js';
import { cvPath, cvPathAsync } from './cv.js';
import { lambdaGrid, lambdaMax } from './lambda.js';
import { fitPath, fitPathAsync } from './path.js';
import { expectDroError, expectDroErrorAsync, gaussianProblem } from './test/helpers.js';
import type { Family, PenaltyName } from './types.js';

describe('fitPath', () => {
  const cases: [Family, PenaltyName][] = [
    ['gaussian', 'lasso'],
    ['gaussian', 'mcp'],
    ['gaussian', 'scad'],
    ['binomial', 'lasso'],
  ];
  for (const [family, penalty] of cases) {
    it(`${family} ${penalty}: strong rule on and off give the same path; every point satisfies KKT`, () => {
      const bin = family === 'binomial';
      const { X, y } = gaussianProblem(`path-${family}-${penalty}`, bin ? 120 : 50, 80, { binomial: bin });
      const tol = 1e-10;
      const o = { family, penalty, tol, maxIter: 200000, nLambda: 15, lambdaMinRatio: 0.05 };
      const on = fitPath(X, y, o);
      const off = fitPath(X, y, { ...o, strongRule: false });
      expect(on.lambdas.length).toBe(off.lambdas.length);
      expect(on.lambdas[0]).toBe(on.lambdaMax);
      for (let k = 0; k < on.lambdas.length; k++) {
        expect(on.kktAdded[k]).toBeGreaterThanOrEqual(0);
        expect(on.fitAt(k).kktMax).toBeLessThanOrEqual(10 * tol);
        expect(Math.abs(on.intercepts[k]! - off.intercepts[k]!)).toBeLessThan(1e-6);
        for (let j = 0; j < 80; j++) expect(Math.abs(on.coefs[k]![j]! - off.coefs[k]![j]!)).toBeLessThan(1e-6);
      }
      expect(on.df[0]).toBe(0);
    });
  }

  // Nonconvex logistic paths may reach different stationary points with and without the strong rule (the
  // restricted and full iterations differ once an excluded coordinate would move transiently); both are KKT points.
  for (const penalty of ['mcp', 'scad'] as PenaltyName[]) {
    it(`binomial ${penalty}: every point of the path (strong rule on and off) satisfies KKT`, () => {
      const { X, y } = gaussianProblem(`path-binomial-${penalty}`, 120, 80, { binomial: true });
      const tol = 1e-10;
      for (const strongRule of [true, false]) {
        const path = fitPath(X, y, {
          family: 'binomial',
          penalty,
          tol,
          maxIter: 200000,
          nLambda: 6,
          lambdaMinRatio: 0.3,
          strongRule,
        });
        for (let k = 0; k < path.lambdas.length; k++) expect(path.fitAt(k).kktMax).toBeLessThanOrEqual(10 * tol);
      }
    });
  }

  it('the saturation stop ends an n < p path and discards that λ; saturation 0 disables it', () => {
    const { X, y } = gaussianProblem('sat', 25, 60, { noise: 0.3 });
    const r = 0.001;
    const p = fitPath(X, y, { lambdaMinRatio: r, nLambda: 20 });
    expect(p.saturatedAt).not.toBeNull();
    expect(p.lambdas.length).toBe(p.saturatedAt);
    const d0 = p.deviance[0]!;
    for (const d of p.deviance) expect(d).toBeGreaterThanOrEqual(0.01 * d0);
    const q = fitPath(X, y, { lambdaMinRatio: r, nLambda: 20, saturation: 0 });
    expect(q.saturatedAt).toBeNull();
    expect(q.lambdas.length).toBe(20);
  });

  it('criteria: +∞ for interpolating models, EBIC adds 2γ ln C(p, df), select takes the first minimum', () => {
    const c = pathCriteria('gaussian', 10, 50, true, [100, 50, 1e-3], [0, 2, 9], 1);
    expect(c.ebic[2]).toBe(Number.POSITIVE_INFINITY);
    expect(c.bic[1]).toBeCloseTo(10 * Math.log(5) + 2 * Math.log(10), 12);
    expect(c.ebic[1]! - c.bic[1]!).toBeCloseTo(2 * Math.log((50 * 49) / 2), 12);
    expect(logBinomial(50, 0)).toBe(0);
    const { X, y } = gaussianProblem('select', 60, 30);
    const path = fitPath(X, y, { nLambda: 10 });
    const s = path.select();
    const e = path.criteria().ebic;
    for (let k = 0; k < s.index; k++) expect(e[k]!).toBeGreaterThan(e[s.index]!);
    expect(s.fit.lambda).toBe(path.lambdas[s.index]);
    expectDroError(() => path.fitAt(99), 'E_INDEX_RANGE', 'index');
  });

  it('lambdaGrid: first value exactly λ_max, defaults by n vs p, K = 1', () => {
    const g = lambdaGrid(2, { n: 100, p: 10, nLambda: 5 });
    expect(g[0]).toBe(2);
    expect(g[4]).toBeCloseTo(0.002, 15);
    expect(lambdaGrid(2, { n: 10, p: 100, nLambda: 5 })[4]).toBeCloseTo(0.1, 15);
    expect(Array.from(lambdaGrid(2, { n: 10, p: 100, nLambda: 1 }))).toEqual([2]);
    expectDroError(() => lambdaGrid(2, { n: 10, p: 100, lambdaMinRatio: 1 }), 'E_SPEC', 'lambdaMinRatio');
    expectDroError(() => lambdaGrid(2, { n: 10, p: 100, nLambda: 0 }), 'E_SPEC', 'nLambda');
  });

  it('bad options: increasing or negative lambdas, saturation ≥ 1, unknown keys', () => {
    const { X, y } = gaussianProblem('bad', 20, 5);
    expectDroError(() => fitPath(X, y, { lambdas: [0.1, 0.2] }), 'E_SPEC', 'lambdas');
    expectDroError(() => fitPath(X, y, { lambdas: [0.2, -0.1] }), 'E_SPEC', 'lambdas');
    expectDroError(() => fitPath(X, y, { lambdas: [0.2, Number.NaN] }), 'E_NONFINITE', 'lambdas');
    expectDroError(() => fitPath(X, y, { saturation: 1 }), 'E_SPEC', 'saturation');
    expectDroError(() => fitPath(X, y, { nlambda: 3 } as never), 'E_SPEC', 'nlambda');
  });

  it('fitPathAsync equals fitPath, reports progress per λ and rejects with E_ABORTED', async () => {
    const { X, y } = gaussianProblem('async', 40, 20);
    const seen: number[] = [];
    const a = await fitPathAsync(X, y, { nLambda: 6, onProgress: (d) => seen.push(d) });
    const b = fitPath(X, y, { nLambda: 6 });
    expect(Array.from(a.lambdas)).toEqual(Array.from(b.lambdas));
    expect(a.coefs.map((c) => Array.from(c))).toEqual(b.coefs.map((c) => Array.from(c)));
    expect(seen).toEqual([1, 2, 3, 4, 5, 6].slice(0, a.lambdas.length));
    const ctl = new AbortController();
    const p = fitPathAsync(X, y, { nLambda: 6, signal: ctl.signal, onProgress: () => ctl.abort() });
    await expectDroErrorAsync(p, 'E_ABORTED');
  });
});

describe('cvPath', () => {
  const { X, y } = gaussianProblem('cv', 60, 15);

  it('seeded folds are reproducible; rng and seed give the same folds; foldId reproduces a drawn assignment', () => {
    const a = cvPath(X, y, { seed: 7, folds: 5, nLambda: 8 });
    const b = cvPath(X, y, { seed: 7, folds: 5, nLambda: 8 });
    expect(Array.from(a.cvm)).toEqual(Array.from(b.cvm));
    const c = cvPath(X, y, { foldId: a.foldId, nLambda: 8 });
    expect(Array.from(c.cvm)).toEqual(Array.from(a.cvm));
    expect(new Set(a.foldId).size).toBe(5);
    expect(a.cvm[a.index1se]!).toBeLessThanOrEqual(a.cvm[a.indexMin]! + a.cvse[a.indexMin]!);
    expect(a.index1se).toBeLessThanOrEqual(a.indexMin);
    expect(a.lambdaMin).toBe(a.lambdas[a.indexMin]);
    expect(a.path.lambdas.length).toBe(a.lambdas.length);
  });

  it('errors: neither/both of rng and seed, one fold, foldId length, measure vs family', () => {
    expectDroError(() => cvPath(X, y, { nLambda: 4 }), 'E_SPEC', 'seed');
    expectDroError(() => cvPath(X, y, { folds: 1, seed: 1 }), 'E_SPEC', 'folds');
    expectDroError(() => cvPath(X, y, { foldId: new Array(60).fill(0) }), 'E_SPEC', 'foldId');
    expectDroError(() => cvPath(X, y, { foldId: [0, 1] }), 'E_SHAPE', 'foldId');
    expectDroError(() => cvPath(X, y, { seed: 1, measure: 'class' }), 'E_SPEC', 'measure');
  });

  it('cvPathAsync reports progress per fold and aborts with E_ABORTED', async () => {
    const seen: number[] = [];
    const r = await cvPathAsync(X, y, { seed: 3, folds: 3, nLambda: 5, onProgress: (d, t) => seen.push(d / t) });
    expect(seen.at(-1)).toBe(1);
    expect(seen.length).toBe(4);
    expect(r.cvm.length).toBeGreaterThan(0);
    const ctl = new AbortController();
    ctl.abort();
    await expectDroErrorAsync(cvPathAsync(X, y, { seed: 3, folds: 3, signal: ctl.signal }), 'E_ABORTED');
  });

  it('λ_max agrees with the path', () => {
    expect(fitPath(X, y, { nLambda: 2 }).lambdaMax).toBe(lambdaMax(X, y));
  });
});
