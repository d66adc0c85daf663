import { checkStatefulContract } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { SparseRegression } from './estimator.js';
import { fitPath } from './path.js';
import { expectDroError, expectDroErrorAsync, gaussianProblem } from './test/helpers.js';

const Xtest = gaussianProblem('est-test', 10, 30).X;

checkStatefulContract({
  name: 'SparseRegression (3-fold CV, screening)',
  make: () =>
    new SparseRegression({
      penalty: 'mcp',
      select: 'cv-min',
      folds: 3,
      nLambda: 6,
      seed: 5,
      screen: { method: 'pearson', keep: 10 },
    }),
  step: (est, i) => {
    const { X, y } = gaussianProblem(`est-${i}`, 40, 30);
    est.fit(X, y);
    return { pred: est.predict(Xtest), coef: est.model!.coef };
  },
  fromState: SparseRegression.fromState,
  badOptions: { key: 'penlaty', make: () => new SparseRegression({ penlaty: 'mcp' } as never) },
  badStep: (est) => est.fit([[Number.NaN, ...new Array(29).fill(0)]], [1]),
  leakRepeats: 0,
});

describe('SparseRegression', () => {
  const { X, y } = gaussianProblem('est', 80, 40);

  it('EBIC selection equals the path selection; predictions equal β₀ + Xβ', () => {
    const est = new SparseRegression({ penalty: 'scad', nLambda: 10 }).fit(X, y);
    const path = fitPath(X, y, { penalty: 'scad', nLambda: 10 });
    const sel = path.select();
    expect(est.model!.lambda).toBe(sel.lambda);
    expect(Array.from(est.model!.coef)).toEqual(Array.from(path.coefs[sel.index]!));
    const pred = est.predict(X);
    let eta = est.model!.intercept;
    for (let j = 0; j < 40; j++) eta += X[0]![j]! * est.model!.coef[j]!;
    expect(pred[0]).toBeCloseTo(eta, 12);
    expect(est.summary()).toContain('non-zero');
  });

  it('screening keeps only the screened columns; fitAsync equals fit', async () => {
    const o = { nLambda: 8, screen: { method: 'mi-kde' as const, keep: 12 } };
    const a = new SparseRegression(o).fit(X, y);
    expect(a.model!.columns.length).toBe(12);
    for (let j = 0; j < 40; j++) if (!a.model!.columns.includes(j)) expect(a.model!.coef[j]).toBe(0);
    const b = await new SparseRegression(o).fitAsync(X, y);
    expect(Array.from(b.model!.coef)).toEqual(Array.from(a.model!.coef));
    const ctl = new AbortController();
    ctl.abort();
    await expectDroErrorAsync(new SparseRegression(o).fitAsync(X, y, { signal: ctl.signal }), 'E_ABORTED');
  });

  it('errors: predict before fit, wrong columns, bad screen option, tampered state', () => {
    expectDroError(() => new SparseRegression().predict(X), 'E_SPEC', 'fit');
    const est = new SparseRegression({ nLambda: 5 }).fit(X, y);
    expectDroError(() => est.predict([[1, 2]]), 'E_SHAPE', 'X');
    expectDroError(() => new SparseRegression({ screen: { kep: 3 } as never }), 'E_SPEC', 'kep');
    const s = est.getState();
    expectDroError(
      () => SparseRegression.fromState({ ...s, model: { ...s.model!, intercept: Number.NaN } }),
      'E_STATE_VERSION',
    );
    expectDroError(
      () => SparseRegression.fromState({ ...s, model: { ...s.model!, columns: [99] } }),
      'E_STATE_VERSION',
    );
  });
});
