import { expectClose } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { mrozArgs } from '../test/mroz.js';
import { vectors } from '../test/vectors.js';
import { firstStage } from './firstStage.js';
import { kClass } from './kclass.js';
import { liml, limlKappa } from './liml.js';
import { ols } from './ols.js';
import { andersonRubin, andersonRubinSet, sargan } from './tests.js';
import { tsls } from './tsls.js';
import { type FirstStage, isAvailable, type TestResult } from './types.js';

/** The robust Wald statistic, which these well-conditioned cases must have. */
function wald(s: FirstStage): TestResult {
  if (!isAvailable(s.robustWald)) throw new Error(`robust Wald unavailable: ${s.robustWald.reason}`);
  return s.robustWald;
}

const C = vectors.cases.tsls_small;
const I = C.inputs;
const O = C.outputs;
const base = { y: I.y, exog: I.exog, endog: I.endog, instruments: I.instr, intercept: false };
const CL = { rel: 1e-8, abs: 1e-10 };
const PV = { rel: 1e-6, abs: 0 };

describe('tsls_small vectors', () => {
  const fit = tsls(base);
  it('params, covariances and standard errors in all four conventions', () => {
    expectClose(fit.params, O.params, CL);
    expectClose(fit.cov, O.cov_unadjusted_debiased, CL);
    expectClose(fit.covariance({ covType: 'unadjusted', debiased: false }).cov, O.cov_unadjusted, CL);
    expectClose(fit.covariance({ covType: 'robust', debiased: false }).cov, O.cov_robust, CL);
    expectClose(fit.covariance({ covType: 'robust', debiased: true }).cov, O.cov_robust_debiased, CL);
    expectClose(fit.stdErrors, O.se_unadjusted_debiased, CL);
    expectClose(fit.tStats, O.tstat_unadjusted_debiased, CL);
    expectClose(fit.pValues, O.pvalue_unadjusted_debiased, PV);
    const r = fit.covariance({ covType: 'robust', debiased: false });
    expectClose(r.tStats, O.tstat_robust, CL);
    expectClose(r.pValues, O.pvalue_robust, PV);
    expect(r.distribution).toBe('normal');
    expect(fit.distribution).toBe('t');
  });
  it('fit statistics and diagnostics', () => {
    expectClose(fit.ssr, O.ssr, CL);
    expectClose(fit.sigma2, O.sigma2_df, CL);
    expectClose(fit.rsquared, O.rsquared, CL);
    const s = fit.firstStage![0]!;
    const e = O.first_stage[0];
    expectClose(s.coef, e.coef, CL);
    expectClose(s.partialF.stat, e.partial_f, CL);
    expect(s.partialF.df).toEqual(e.partial_f_df);
    expectClose(s.partialF.pValue, e.partial_f_pvalue, PV);
    expectClose(s.partialFNoDof, e.partial_f_linearmodels_unadjusted, CL);
    expectClose(wald(s).stat / 2, e.robust_wald_over_q, CL);
    expectClose(wald(s).pValue, e.robust_wald_chi2_pvalue, PV);
    expectClose(s.sheaPartialRsquared, e.shea_rsquared, CL);
    expectClose(s.partialRsquared, e.partial_rsquared, CL);
    expectClose(fit.sargan!.stat, O.sargan.stat, CL);
    expectClose(fit.sargan!.pValue, O.sargan.pvalue, PV);
    expectClose(fit.wuHausman!.stat, O.wu_hausman.stat, CL);
    expectClose(fit.wuHausman!.pValue, O.wu_hausman.pvalue, PV);
    const ar = andersonRubin({ ...base, beta0: [C.truth.x] });
    expectClose(ar.stat, O.anderson_rubin_beta_true.stat, CL);
    expectClose(ar.pValue, O.anderson_rubin_beta_true.pvalue, PV);
  });
  it('OLS, LIML and k-class', () => {
    const X = I.endog.map((r: number[], i: number) => [...I.exog[i], ...r]);
    expectClose(ols({ X, y: I.y, intercept: false }).params, O.ols_params, CL);
    expectClose(limlKappa(base), O.liml_kappa, CL);
    expectClose(liml(base).params, O.liml_params, CL);
    for (const k of Object.keys(O.kclass)) expectClose(kClass({ ...base, kappa: Number(k) }).params, O.kclass[k], CL);
  });
});

describe('Mroz (Wooldridge Example 15.5)', () => {
  const a = mrozArgs();
  const fit = tsls(a);
  // Half a unit in the last printed digit of the spec's table.
  const near = (x: number, printed: number, digits: number) =>
    expect(Math.abs(x - printed)).toBeLessThanOrEqual(0.5 * 10 ** -digits);
  it('coefficients, default standard errors, R² and interval', () => {
    expect(fit.names).toEqual(['const', 'exper', 'expersq', 'educ']);
    near(fit.params[0]!, 0.0481003, 7);
    near(fit.params[1]!, 0.0441704, 7);
    near(fit.params[2]!, -0.00089897, 8);
    near(fit.params[3]!, 0.0613966, 7);
    near(fit.stdErrors[0]!, 0.400328, 6);
    near(fit.stdErrors[3]!, 0.0314367, 7);
    near(fit.rsquared, 0.135708, 6);
    const ci = fit.confInt()[3]!;
    near(ci[0], -0.000395, 6);
    near(ci[1], 0.123188, 6);
    const n = fit.covariance({ covType: 'unadjusted', debiased: false }).stdErrors;
    near(n[3]!, 0.0312895, 7);
    near(fit.covariance({ covType: 'robust', debiased: false }).stdErrors[3]!, 0.0331824, 7);
    near(fit.covariance({ covType: 'robust', debiased: true }).stdErrors[3]!, 0.0333386, 7);
  });
  it('diagnostics', () => {
    const s = fit.firstStage![0]!;
    near(s.coef[3]!, 0.189548, 6);
    near(s.coef[4]!, 0.157597, 6);
    near(s.rsquared, 0.211471, 6);
    near(s.partialRsquared, 0.207569, 6);
    near(s.partialF.stat, 55.4003, 4);
    near(s.partialF.pValue, 4.27e-22, 24);
    near(wald(s).stat / 2, 50.112, 4);
    near(s.effectiveF!, 55.3978, 4);
    near(sargan(fit).stat, 0.378071, 6);
    near(fit.sargan!.pValue, 0.5386, 4);
    near(fit.wuHausman!.stat, 2.79259, 5);
    near(fit.wuHausman!.pValue, 0.0954, 4);
    const l = liml(a);
    near(l.kappa, 1.000884, 6);
    near(l.params[3]!, 0.0611997, 7);
    const set = andersonRubinSet(a);
    expect(set.kind).toBe('interval');
    near(set.bounds[0]![0], -0.018998, 6);
    near(set.bounds[0]![1], 0.135091, 6);
    expect(set.bounds[0]![0] < fit.params[3]! && fit.params[3]! < set.bounds[0]![1]).toBe(true);
    near(ols({ X: a.exog.map((r, i) => [...r, a.endog[i]![0]!]), y: a.y }).params[3]!, 0.10749, 5);
    expect(fit.summary()).toContain('educ');
  });
  it('AR set endpoints satisfy AR(β) = F_crit', () => {
    const set = andersonRubinSet(a);
    const p0 = andersonRubin({ ...a, beta0: [set.bounds[0]![0]] }).pValue;
    const p1 = andersonRubin({ ...a, beta0: [set.bounds[0]![1]] }).pValue;
    expect(Math.abs(p0 - 0.05)).toBeLessThan(1e-9);
    expect(Math.abs(p1 - 0.05)).toBeLessThan(1e-9);
  });
});

describe('IV properties', () => {
  const a = mrozArgs();
  it('adding a constant to y changes only the intercept', () => {
    const f0 = tsls(a);
    const f1 = tsls({ ...a, y: a.y.map((v) => v + 3) });
    expect(f1.params[0]).toBeCloseTo(f0.params[0]! + 3, 10);
    expectClose(f1.params.slice(1), f0.params.slice(1), { rel: 1e-9, abs: 1e-12 });
  });
  it('2SLS is invariant to a non-singular recombination of the instruments', () => {
    const Z2 = a.instruments.map((r) => {
      const [f, m] = [r[0]!, r[1]!];
      return [f + 2 * m, 3 * f - m];
    });
    expectClose(tsls({ ...a, instruments: Z2 }).params, tsls(a).params, { rel: 1e-10, abs: 1e-13 });
  });
  it('LIML = 2SLS at exact identification; Fuller(a → 0) → LIML', () => {
    const ex = {
      ...a,
      instruments: a.instruments.map((r) => [r[1]!]),
      names: { ...a.names, instruments: ['motheduc'] },
    };
    expect(limlKappa(ex)).toBeCloseTo(1, 12);
    expectClose(liml(ex).params, tsls(ex).params, { rel: 1e-8, abs: 1e-12 });
    expectClose(liml({ ...a, fuller: 1e-9 }).params, liml(a).params, { rel: 1e-8, abs: 1e-12 });
  });
  it('effective F = robust Wald with one instrument; Cragg–Donald = partial F and Shea = partial R² with one endogenous regressor', () => {
    const fs = firstStage(a);
    const s = fs.stages[0]!;
    expectClose(fs.craggDonald, s.partialF.stat, { rel: 1e-10 });
    expectClose(s.sheaPartialRsquared, s.partialRsquared, { rel: 1e-10 });
    const one = firstStage({
      ...a,
      instruments: a.instruments.map((r) => [r[1]!]),
      names: { ...a.names, instruments: ['motheduc'] },
    }).stages[0]!;
    expectClose(one.effectiveF, wald(one).stat, { rel: 1e-10 });
  });
  it('cluster covariance with one row per cluster equals HC0', () => {
    const f = tsls(a);
    const groups = a.y.map((_, i) => i);
    expectClose(
      f.covariance({ covType: { type: 'cluster', groups }, debiased: false }).cov,
      f.covariance({ covType: 'robust', debiased: false }).cov,
      { rel: 1e-12, abs: 1e-18 },
    );
  });
  it('inputs as number[][], Float64Array row-major and {data, rows, cols} give identical fits', () => {
    const flat = (m: number[][]) => ({ data: Float64Array.from(m.flat()), rows: m.length, cols: m[0]!.length });
    const f1 = tsls(a);
    const f2 = tsls({
      ...a,
      y: Float64Array.from(a.y),
      exog: flat(a.exog),
      endog: flat(a.endog),
      instruments: flat(a.instruments),
    });
    expect(f2.params).toEqual(f1.params);
  });
});
