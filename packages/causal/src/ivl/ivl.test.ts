import { createRng } from '@drojs/dro-core';
import { expectClose } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { anchorRegression } from '../anchor.js';
import { kClass } from '../iv/kclass.js';
import { ols } from '../iv/ols.js';
import { tsls } from '../iv/tsls.js';
import { ivlLimit, ivlPath, ivlProjected, ivlRegression } from './ivlRegression.js';
import { selectIvlAlpha } from './selectAlpha.js';
import { discretizeUniform, linearConfoundedScm, ncer, nullSpaceBasis, nullSpaceTranslation } from './simulation.js';

function daProblem(seed: number, d = 8, n = 256) {
  const rng = createRng(seed);
  const scm = linearConfoundedScm({ d, rng: rng.fork('scm') });
  const s = scm.sample(n, rng.fork('sample'));
  const B = nullSpaceBasis(scm.f);
  const { GX, G } = nullSpaceTranslation({ X: s.X, basis: B, rng: rng.fork('da') });
  return { f: scm.f, X: s.X, y: s.y, GX, G, B };
}

const REL = { rel: 1e-9, abs: 1e-12 };

describe('IVL equivalences (spec §4.4, §15.6)', () => {
  const p = daProblem(1);
  it('IVL_α = k-class κ = 1/(1+α) = anchor γ = 1 + 1/α = K-transform', () => {
    for (const alpha of [1e-3, 0.1, 1, 10]) {
      const h = ivlRegression({ GX: p.GX, y: p.y, G: p.G, alpha, intercept: false });
      const k = kClass({ y: p.y, endog: p.GX, instruments: p.G, kappa: 1 / (1 + alpha), intercept: false });
      const a = anchorRegression({ X: p.GX, y: p.y, anchors: p.G, gamma: 1 + 1 / alpha, intercept: false });
      const t = ivlRegression({ GX: p.GX, y: p.y, G: p.G, alpha, intercept: false, solver: 'transform' });
      expectClose(h.coef, k.params, REL);
      expectClose(h.coef, a.coef, REL);
      expectClose(h.coef, t.coef, REL);
      expect(h.kappa).toBeCloseTo(1 / (1 + alpha), 15);
      const hi = ivlRegression({ GX: p.GX, y: p.y, G: p.G, alpha });
      const ki = kClass({ y: p.y, endog: p.GX, instruments: p.G, kappa: 1 / (1 + alpha) });
      expectClose([hi.intercept, ...hi.coef], ki.params, REL);
    }
  });
  it('α = ∞ is DA+ERM; α → ∞ approaches it; α → 0⁺ approaches ivlLimit', () => {
    const erm = ols({ X: p.GX, y: p.y, intercept: false }).params;
    expectClose(
      ivlRegression({ GX: p.GX, y: p.y, G: p.G, alpha: Number.POSITIVE_INFINITY, intercept: false }).coef,
      erm,
      REL,
    );
    const big = ivlRegression({ GX: p.GX, y: p.y, G: p.G, alpha: 1e6, intercept: false }).coef;
    for (let j = 0; j < erm.length; j++) expect(Math.abs(big[j]! - erm[j]!)).toBeLessThan(1e-5);
    const lim = ivlLimit({ GX: p.GX, y: p.y, G: p.G, intercept: false });
    const tiny = ivlRegression({ GX: p.GX, y: p.y, G: p.G, alpha: 1e-9, intercept: false });
    expectClose(tiny.coef, lim.coef, { rel: 1e-4, abs: 1e-8 });
    expect(lim.identified).toBe(false);
  });
  it('α = 0 under-identified: minimum norm, identified: false, differs from the 0⁺ limit', () => {
    const z = ivlRegression({ GX: p.GX, y: p.y, G: p.G, alpha: 0, intercept: false });
    expect(z.identified).toBe(false);
    expect(z.instrumentRank).toBe(7);
    const lim = ivlLimit({ GX: p.GX, y: p.y, G: p.G, intercept: false });
    const nz = Math.hypot(...z.coef);
    expect(nz).toBeLessThan(Math.hypot(...lim.coef));
  });
  it('identified: ivlLimit = 2SLS, and IVL_Π satisfies the 2SLS normal equations closest to ĥ_ERM', () => {
    const rng = createRng(5);
    const n = 200;
    const Z = Array.from({ length: n }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const X = Z.map((z) => [z[0]! + 0.5 * rng.normal(), z[1]! - z[2]! + 0.5 * rng.normal()]);
    const y = X.map((x) => x[0]! - 2 * x[1]! + rng.normal());
    expectClose(
      ivlLimit({ GX: X, y, G: Z, intercept: false }).coef,
      tsls({ y, endog: X, instruments: Z, intercept: false }).params,
      REL,
    );
    const pi = ivlProjected({ GX: p.GX, y: p.y, G: p.G, intercept: false });
    const lim = ivlLimit({ GX: p.GX, y: p.y, G: p.G, intercept: false });
    const erm = ols({ X: p.GX, y: p.y, intercept: false }).params;
    const d = (a: number[], b: number[]) => Math.hypot(...a.map((v, j) => v - b[j]!));
    expect(d(pi.coef, erm)).toBeLessThanOrEqual(d(lim.coef, erm) + 1e-12);
    // Both satisfy the 2SLS normal equations GX'P_G(y − GX h) = 0 (P_G r from an OLS fit on G).
    for (const h of [pi.coef, lim.coef]) {
      const r = p.y.map((v, i) => v - p.GX[i]!.reduce((s, x, j) => s + x * h[j]!, 0));
      const res = ols({ X: p.G, y: r, intercept: false }).residuals;
      const Pr = r.map((v, i) => v - res[i]!);
      for (let j = 0; j < h.length; j++) {
        const g = p.GX.reduce((s, row, i) => s + row[j]! * Pr[i]!, 0);
        expect(Math.abs(g)).toBeLessThan(1e-8);
      }
    }
  });
  it('along the path the IV risk is non-decreasing and the ERM risk non-increasing', () => {
    const alphas = [1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100];
    const path = ivlPath({ GX: p.GX, y: p.y, G: p.G, alphas, intercept: false });
    const Gm = p.G;
    // Risks computed independently: ERM from residuals, IV by regressing residuals on G.
    const risks = path.map((fit) => {
      const r = p.y.map((v, i) => v - p.GX[i]!.reduce((s, x, j) => s + x * fit.coef[j]!, 0));
      const erm = r.reduce((s, v) => s + v * v, 0);
      const proj = ols({ X: Gm, y: r, intercept: false }).residuals;
      const iv = erm - proj.reduce((s, v) => s + v * v, 0);
      return { erm, iv };
    });
    for (let k = 1; k < risks.length; k++) {
      expect(risks[k]!.iv).toBeGreaterThanOrEqual(risks[k - 1]!.iv - 1e-9);
      expect(risks[k]!.erm).toBeLessThanOrEqual(risks[k - 1]!.erm + 1e-9);
    }
  });
  it('nCER is 0 at the truth and 0.5 at zero; discretisation gives standardised two-level columns', () => {
    expect(ncer(p.f, p.f)).toBe(0);
    expect(
      ncer(
        p.f,
        p.f.map(() => 0),
      ),
    ).toBe(0.5);
    const D = discretizeUniform(p.G);
    const col = D.map((r) => r[0]!);
    expect(new Set(col).size).toBe(2);
    expect(Math.abs(col.reduce((s, v) => s + v, 0) / col.length)).toBeLessThan(0.01);
  });
});

describe('IVL simulation ordering (quick protocol: 8 SCMs, n = 1024, d = 32)', () => {
  it('DA+IVL-CV < DA+ERM < 2SLS-on-DA (both) < ERM in mean nCER; IVL-CV beats DA+ERM in ≥ 75% of SCMs', () => {
    const root = createRng('ivl-quick');
    const res = {
      erm: [] as number[],
      daerm: [] as number[],
      disc: [] as number[],
      cont: [] as number[],
      cv: [] as number[],
    };
    for (let s = 0; s < 8; s++) {
      const rng = root.fork(`scm${s}`);
      const scm = linearConfoundedScm({ d: 32, rng: rng.fork('scm') });
      const { X, y } = scm.sample(1024, rng.fork('sample'));
      const B = nullSpaceBasis(scm.f);
      const { GX, G } = nullSpaceTranslation({ X, basis: B, rng: rng.fork('da') });
      res.erm.push(ncer(scm.f, ols({ X, y, intercept: false }).params));
      res.daerm.push(ncer(scm.f, ols({ X: GX, y, intercept: false }).params));
      res.disc.push(ncer(scm.f, ivlRegression({ GX, y, G: discretizeUniform(G), alpha: 0, intercept: false }).coef));
      res.cont.push(ncer(scm.f, ivlRegression({ GX, y, G, alpha: 0, intercept: false }).coef));
      res.cv.push(ncer(scm.f, selectIvlAlpha({ GX, y, G, X, intercept: false, rng: rng.fork('cv') }).fit.coef));
    }
    const m = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    expect(m(res.cv)).toBeLessThan(m(res.daerm));
    expect(m(res.daerm)).toBeLessThan(m(res.disc));
    expect(m(res.daerm)).toBeLessThan(m(res.cont));
    expect(m(res.disc)).toBeLessThan(m(res.erm));
    expect(m(res.cont)).toBeLessThan(m(res.erm));
    const wins = res.cv.filter((v, i) => v < res.daerm[i]!).length;
    expect(wins).toBeGreaterThanOrEqual(6);
  });
});
