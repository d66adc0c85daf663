import { expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { loadMroz, mrozArgs } from '../test/mroz.js';
import { prepareIv } from './design.js';
import { kClass } from './kclass.js';
import { kclassBread } from './linearFit.js';
import { tsls } from './tsls.js';
import { wald } from './wald.js';

describe('regression traps (spec §9)', () => {
  const a = mrozArgs();
  it('1. missing intercept: the default fits one and says so; without it the effect differs', () => {
    const f = tsls(a);
    expect(f.intercept).toBe(true);
    expect(f.params[3]).toBeCloseTo(0.0613966, 7);
    const g = tsls({ ...a, intercept: false });
    expect(g.intercept).toBe(false);
    expect(g.names).not.toContain('const');
    expect(g.params[2]).toBeCloseTo(0.0642125, 7);
    expectDroError(
      () =>
        tsls({ ...a, exog: a.exog.map((r) => [1, ...r]), names: { ...a.names, exog: ['one', 'exper', 'expersq'] } }),
      'E_RANK',
      'intercept',
    );
  });
  it('2. binary instrument coded {1, 2} (or any coding) gives the same Wald / 2SLS estimate', () => {
    const m = loadMroz();
    const z = m.motheduc.map((v) => v >= 12);
    const codes: (number[] | boolean[])[] = [
      z.map((b) => (b ? 1 : 0)),
      z.map((b) => (b ? 2 : 1)),
      z.map((b) => (b ? 5 : -3)),
      z,
    ];
    const est = codes.map((c) => wald({ y: m.lwage, x: m.educ, z: c }).estimate);
    for (const e of est) expect(Math.abs(e / 0.0649015 - 1)).toBeLessThan(1e-6);
    for (const e of est) expect(Math.abs(e / est[0]! - 1)).toBeLessThan(1e-12);
    for (const c of codes.slice(0, 3)) {
      const f = tsls({ y: m.lwage, endog: m.educ.map((v) => [v]), instruments: (c as number[]).map((v) => [v]) });
      expect(Math.abs(f.params[1]! / est[0]! - 1)).toBeLessThan(1e-12);
    }
    // Without the intercept the (wrong) IV slope depends on the coding.
    const noint = (c: number[]) =>
      tsls({ y: m.lwage, endog: m.educ.map((v) => [v]), instruments: c.map((v) => [v]), intercept: false }).params[0];
    expect(noint(codes[0] as number[])).toBeCloseTo(0.0918, 4);
    expect(noint(codes[1] as number[])).toBeCloseTo(0.0934, 4);
    expectDroError(
      () => wald({ y: m.lwage, x: m.educ, z: m.motheduc.map((v) => (v >= 12 ? 2 : v >= 8 ? 1 : 0)) }),
      'E_SPEC',
      'z',
    );
  });
  it('3. robust covariance uses the projected regressors, residuals the original X', () => {
    const f = tsls(a);
    expect(f.covariance({ covType: 'robust', debiased: false }).stdErrors[3]).toBeCloseTo(0.0331824, 7);
    // The two wrong recipes, computed explicitly, differ from the package's numbers.
    const d = prepareIv(a);
    const { Binv } = kclassBread(d, 1);
    const e = f.residuals;
    const p = 4;
    const meat = new Float64Array(p * p);
    for (let i = 0; i < d.n; i++)
      for (let r = 0; r < p; r++)
        for (let c = 0; c < p; c++) meat[r * p + c]! += e[i]! ** 2 * d.X.data[i * p + r]! * d.X.data[i * p + c]!;
    let v = 0;
    for (let r = 0; r < p; r++)
      for (let c = 0; c < p; c++) v += Binv.data[3 * p + r]! * meat[r * p + c]! * Binv.data[c * p + 3]!;
    expect(Math.sqrt(v)).toBeCloseTo(0.067, 3);
    // Residuals from X̂: the unadjusted SE would be ≈ 0.0330 instead of 0.0314.
    const Xhat = d.QX;
    let ssr = 0;
    for (let i = 0; i < d.n; i++) {
      let xh = 0;
      for (let j = 0; j < p; j++) {
        let t = 0;
        for (let k = 0; k < d.QZ.cols; k++) t += d.QZ.data[i * d.QZ.cols + k]! * Xhat.data[k * p + j]!;
        xh += t * f.params[j]!;
      }
      ssr += (d.y[i]! - xh) ** 2;
    }
    const wrongSe = Math.sqrt((ssr / (d.n - p)) * Binv.data[3 * p + 3]!);
    expect(wrongSe).toBeCloseTo(0.033, 3);
    expect(f.stdErrors[3]).toBeCloseTo(0.0314367, 7);
  });
  it('4. k-class failures are clear errors', () => {
    expectDroError(() => kClass({ ...a, kappa: -0.5 }), 'E_SPEC', 'kappa');
    expectDroError(() => kClass({ ...a, kappa: Number.NaN }), 'E_SPEC', 'kappa');
    expectDroError(() => kClass({ ...a, kappa: 3 }), 'E_RANK', 'κ_LIML');
  });
  it('5. every fit states its convention and gives the others without refitting', () => {
    const f = tsls(a);
    expect([f.covType, f.debiased, f.distribution]).toEqual(['unadjusted', true, 't']);
    const r = f.covariance({ covType: 'robust', debiased: false });
    expect(r.distribution).toBe('normal');
    expect(r.stdErrors[3]).not.toBe(f.stdErrors[3]);
  });
});
