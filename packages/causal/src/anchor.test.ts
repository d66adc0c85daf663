import { createRng } from '@drojs/dro-core';
import { expectClose } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { anchorCV, anchorRegression } from './anchor.js';
import { kClass } from './iv/kclass.js';
import { ols } from './iv/ols.js';
import { tsls } from './iv/tsls.js';
import { vectors } from './test/vectors.js';

const C = vectors.cases.anchor_small;
const { X, y, A, gammas } = C.inputs;
const CL = { rel: 1e-8, abs: 1e-10 };
const groups = A.map((r: number[]) => r.indexOf(1));

describe('anchor regression', () => {
  it('matches the anchor_small vectors (centred and uncentred)', () => {
    for (const g of gammas as number[]) {
      const k = g.toFixed(1);
      const c = anchorRegression({ X, y, anchors: A, gamma: g });
      expectClose(c.coef, C.outputs.centered[k].coef, CL);
      expectClose(c.intercept, C.outputs.centered[k].intercept, CL);
      const u = anchorRegression({ X, y, anchors: A, gamma: g, intercept: false });
      expectClose(u.coef, C.outputs.uncentered_no_intercept[k].coef, CL);
      const gr = anchorRegression({ X, y, anchors: { groups }, gamma: g });
      expectClose(gr.coef, C.outputs.centered[k].coef, CL);
      expectClose(gr.intercept, C.outputs.centered[k].intercept, CL);
    }
    expectClose(ols({ X, y }).params, C.outputs.ols_with_intercept, CL);
    const inf = anchorRegression({ X, y, anchors: A, gamma: Number.POSITIVE_INFINITY });
    expectClose([inf.intercept, ...inf.coef], C.outputs.tsls_with_intercept_gamma_inf, CL);
  });
  it('γ = 1 is OLS, γ = ∞ is 2SLS, anchor(γ) = k-class κ = (γ − 1)/γ', () => {
    const o = ols({ X, y });
    const a1 = anchorRegression({ X, y, anchors: A, gamma: 1 });
    expectClose([a1.intercept, ...a1.coef], o.params, { rel: 1e-10, abs: 1e-13 });
    const t = tsls({ y, endog: X, instruments: A.map((r: number[]) => r.slice(1)) });
    const ai = anchorRegression({ X, y, anchors: { groups }, gamma: Number.POSITIVE_INFINITY });
    expectClose([ai.intercept, ...ai.coef], t.params, { rel: 1e-10, abs: 1e-13 });
    for (const g of [2, 5, 100]) {
      const a = anchorRegression({ X, y, anchors: A, gamma: g });
      const k = kClass({ y, endog: X, instruments: A.map((r: number[]) => r.slice(1)), kappa: (g - 1) / g });
      expectClose([a.intercept, ...a.coef], k.params, { rel: 1e-9, abs: 1e-12 });
    }
  });
  it('anchorCV picks a γ from the grid and refits', () => {
    const r = anchorCV({ X, y, groups, gammas: [0.25, 1, 4], folds: 3, seed: 1 });
    expect([0.25, 1, 4]).toContain(r.gamma);
    expect(r.scores).toHaveLength(3);
    expect(r.scores.find((s) => s.gamma === r.gamma)!.score).toBe(Math.min(...r.scores.map((s) => s.score)));
    const r2 = anchorCV({ X, y, groups, gammas: [0.25, 1, 4], folds: 3, rng: createRng(1) });
    expect(r2.gamma).toBe(r.gamma);
  });
});
