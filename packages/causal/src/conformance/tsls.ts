import { andersonRubin, type IvArgs, isAvailable, kClass, liml, ols, tsls } from '../index.js';
import { type Case, CLOSED, EXACT, type Json, keyNum, mat, memo, type Outcomes, PVAL, vec } from './outcomes.js';

// Test statistics: the p-value is compared relatively and the degrees of freedom exactly.
const TEST_TOL = { pvalue: PVAL, df: EXACT };
const FIRST_STAGE_TOL = { partial_f_pvalue: PVAL, robust_wald_chi2_pvalue: PVAL, partial_f_df: EXACT };

const test = (t: { stat: number; df: number | [number, number]; pValue: number }) => ({
  stat: t.stat,
  df: t.df,
  pvalue: t.pValue,
});

/** `tsls_*` cases: 2SLS with its covariances, tests and first stages; LIML, k-class and OLS alongside. */
export function evaluateTsls(name: string, c: Case, out: Outcomes): void {
  const I = c.inputs;
  const base = {
    y: vec(I.y),
    exog: I.exog === undefined ? undefined : mat(I.exog),
    endog: mat(I.endog),
    instruments: mat(I.instr ?? I.instruments),
    intercept: false,
  };
  const fit = memo(() => tsls(base));
  const robust = memo(() => fit().covariance({ covType: 'robust', debiased: false }));
  const robustDeb = memo(() => fit().covariance({ covType: 'robust', debiased: true }));
  const unadj = memo(() => fit().covariance({ covType: 'unadjusted', debiased: false }));
  const beta0 = (k: string): number[] => {
    if (k.endsWith('_zero')) return [0];
    if (k.endsWith('_true')) {
      const names = vec(I.param_names ?? []) as unknown as string[];
      const endogName = names[names.length - 1];
      const t = c.truth?.[endogName ?? 'x'] ?? c.truth?.x;
      if (typeof t !== 'number') throw new Error('truth value of the endogenous coefficient missing');
      return [t];
    }
    throw new Error(`unknown Anderson–Rubin hypothesis ${k}`);
  };
  const closed: Record<string, () => unknown> = {
    params: () => fit().params,
    cov_unadjusted: () => unadj().cov,
    cov_unadjusted_debiased: () => fit().cov,
    cov_robust: () => robust().cov,
    cov_robust_debiased: () => robustDeb().cov,
    se_unadjusted: () => unadj().stdErrors,
    se_unadjusted_debiased: () => fit().stdErrors,
    se_robust: () => robust().stdErrors,
    se_robust_debiased: () => robustDeb().stdErrors,
    tstat_unadjusted_debiased: () => fit().tStats,
    tstat_unadjusted: () => unadj().tStats,
    tstat_robust: () => robust().tStats,
    tstat_robust_debiased: () => robustDeb().tStats,
    ssr: () => fit().ssr,
    sigma2_n: () => fit().ssr / fit().nobs,
    sigma2_df: () => fit().sigma2,
    rsquared: () => fit().rsquared,
    ols_params: () => {
      const X = base.endog.map((r, i) => [...(base.exog?.[i] ?? []), ...r]);
      return ols({ X, y: base.y, intercept: false }).params;
    },
    liml_kappa: () => liml(base).kappa,
    liml_params: () => liml(base).params,
  };
  const pvalues: Record<string, () => unknown> = {
    pvalue_unadjusted_debiased: () => fit().pValues,
    pvalue_unadjusted: () => unadj().pValues,
    pvalue_robust: () => robust().pValues,
    pvalue_robust_debiased: () => robustDeb().pValues,
  };
  const tests: Record<string, () => unknown> = {
    sargan: () => test(fit().sargan as never),
    wu_hausman: () => test(fit().wuHausman as never),
  };
  const firstStage = () =>
    (fit().firstStage ?? []).map((s) => ({
      coef: s.coef,
      rsquared: s.rsquared,
      partial_rsquared: s.partialRsquared,
      partial_f: s.partialF.stat,
      partial_f_df: s.partialF.df,
      partial_f_pvalue: s.partialF.pValue,
      partial_f_linearmodels_unadjusted: s.partialFNoDof,
      // An unavailable statistic compares as null (a mismatch against any number).
      robust_wald_over_q: isAvailable(s.robustWald) ? s.robustWald.stat / (s.robustWald.df as number) : null,
      robust_wald: isAvailable(s.robustWald) ? s.robustWald.stat : null,
      robust_wald_chi2_pvalue: isAvailable(s.robustWald) ? s.robustWald.pValue : null,
      effective_f: s.effectiveF,
      shea_rsquared: s.sheaPartialRsquared,
    }));
  for (const [k, e] of Object.entries(c.outputs)) {
    const closedForm = closed[k];
    const pvalue = pvalues[k];
    const t = tests[k];
    if (k.startsWith('anderson_rubin'))
      out.check(name, k, e, () => test(andersonRubin({ ...base, beta0: beta0(k) })), CLOSED, TEST_TOL);
    else if (Object.hasOwn(closed, k) && closedForm) out.check(name, k, e, closedForm, CLOSED);
    else if (Object.hasOwn(pvalues, k) && pvalue) out.check(name, k, e, pvalue, PVAL);
    else if (Object.hasOwn(tests, k) && t) out.check(name, k, e, t, CLOSED, TEST_TOL);
    else if (k === 'first_stage') out.check(name, k, e, firstStage, CLOSED, FIRST_STAGE_TOL);
    else if (k === 'kclass') evaluateKClass(name, k, e, base, out);
    else out.fail(name, k, 'no evaluator for this output key');
  }
  for (const [k, e] of Object.entries(c.crosscheck ?? {})) {
    const field = `crosscheck.${k}`;
    if (k.endsWith('_params')) out.check(name, field, e, () => fit().params, CLOSED);
    else if (k.endsWith('_bse')) out.check(name, field, e, () => fit().stdErrors, CLOSED);
    else if (k.endsWith('first_stage_F')) out.check(name, field, e, () => fit().firstStage?.[0]?.partialF.stat, CLOSED);
    else out.fail(name, field, 'no evaluator for this crosscheck key');
  }
}

function evaluateKClass(name: string, k: string, e: Json, base: IvArgs, out: Outcomes): void {
  const m = out.map(e, name, k);
  if (!m) return;
  for (const [kk, v] of Object.entries(m))
    out.check(name, `${k}[${kk}]`, v, () => kClass({ ...base, kappa: keyNum(kk) }).params, CLOSED);
}
