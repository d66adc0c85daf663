import { checkNumber, DroError } from '@drojs/dro-core';
import { checkArgs } from '../args.js';
import { toMat } from '../hostData.js';
import { hcat, type Mat, matmul, matvec, transpose } from '../linalg/matrix.js';
import { criticalValue, kclassCovariance } from './covariance.js';
import { type IvDesign, ones } from './design.js';
import { type KclassFactor, kclassFactor } from './kclassFactor.js';
import { formatSummary } from './summary.js';
import type { CovType, FirstStage, LinearFit, TestResult } from './types.js';

export interface FitParts {
  method: LinearFit['method'];
  d: IvDesign;
  kappa: number;
  params: Float64Array;
  /** Square-root factors of the bread, when the coefficients already needed them. */
  factor?: KclassFactor;
  covType: CovType;
  debiased: boolean;
  firstStage?: FirstStage[];
  craggDonald?: number;
  sargan?: TestResult;
  wuHausman?: TestResult;
  /** Extra lines for the summary. */
  notes?: string[];
}

/** Bread B = X'(I − κM_Z)X and its inverse, from the square-root factor (B⁻¹ = T Tᵀ). */
export function kclassBread(d: IvDesign, kappa: number, kappaLiml?: number): { Binv: Mat } {
  const { T } = kclassFactor(d, kappa, kappaLiml);
  return { Binv: matmul(T, transpose(T)) };
}

/** Assembles the LinearFit of a k-class estimate (κ = 0 OLS, 1 2SLS). */
export function buildFit(f: FitParts): LinearFit {
  const { d, kappa, params } = f;
  const { n } = d;
  const p = d.X.cols;
  const factor = f.factor ?? kclassFactor(d, kappa);
  const fitted = matvec(d.X, params);
  const e = new Float64Array(n);
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    e[i] = d.y[i]! - fitted[i]!;
    ssr += e[i]! * e[i]!;
  }
  let ym = 0;
  if (d.hasConst) {
    for (let i = 0; i < n; i++) ym += d.y[i]!;
    ym /= n;
  }
  let tss = 0;
  for (let i = 0; i < n; i++) tss += (d.y[i]! - ym) ** 2;
  const covFor = (o: { covType: CovType; debiased: boolean }) => {
    if (typeof o?.debiased !== 'boolean')
      throw new DroError('E_SPEC', 'debiased must be a boolean', { argument: 'debiased' });
    return kclassCovariance(factor, e, params, o);
  };
  const c = covFor({ covType: f.covType, debiased: f.debiased });
  const paramArr = Array.from(params);
  const fit: LinearFit = {
    method: f.method,
    names: d.xNames.slice(),
    params: paramArr,
    cov: c.cov,
    stdErrors: c.stdErrors,
    tStats: c.tStats,
    pValues: c.pValues,
    covType: c.kind,
    debiased: f.debiased,
    distribution: c.distribution,
    dfResid: c.df,
    kappa,
    nobs: n,
    intercept: d.intercept,
    residuals: e,
    ssr,
    sigma2: ssr / (f.debiased ? n - p : n),
    rsquared: 1 - ssr / tss,
    ...(f.firstStage ? { firstStage: f.firstStage, craggDonald: f.craggDonald } : {}),
    ...(f.sargan ? { sargan: f.sargan } : {}),
    ...(f.wuHausman ? { wuHausman: f.wuHausman } : {}),
    confInt(level = 0.95) {
      checkNumber(level, 'level', { min: 0, max: 1, minExclusive: true, maxExclusive: true });
      const q = criticalValue(level, c.distribution, c.df);
      return paramArr.map((b, j) => [b - q * c.stdErrors[j]!, b + q * c.stdErrors[j]!] as [number, number]);
    },
    covariance(o) {
      checkArgs(o, ['covType', 'debiased'], 'covariance');
      const r = covFor(o);
      return { cov: r.cov, stdErrors: r.stdErrors, tStats: r.tStats, pValues: r.pValues, distribution: r.distribution };
    },
    predict(a) {
      let Xn: Mat;
      const isParts =
        typeof a === 'object' && a !== null && !Array.isArray(a) && ('endog' in a || 'exog' in a) && !('rows' in a);
      if (isParts) {
        const parts = a as { exog?: unknown; endog?: unknown };
        const En = toMat(parts.endog, 'endog', 'predict');
        const Wn = parts.exog === undefined ? null : toMat(parts.exog, 'exog', 'predict');
        Xn = Wn === null ? En : hcat(Wn, En);
      } else Xn = toMat(a, 'X', 'predict');
      if (d.intercept) Xn = hcat(ones(Xn.rows), Xn);
      if (Xn.cols !== p)
        throw new DroError('E_SHAPE', `X has ${Xn.cols} columns (with the constant), the fit has ${p}`, {
          argument: 'X',
        });
      return matvec(Xn, params);
    },
    summary() {
      return formatSummary(fit, f.notes ?? []);
    },
    toJSON() {
      return {
        method: fit.method,
        names: fit.names,
        params: fit.params,
        cov: fit.cov,
        stdErrors: fit.stdErrors,
        tStats: fit.tStats,
        pValues: fit.pValues,
        covType: fit.covType,
        debiased: fit.debiased,
        distribution: fit.distribution,
        dfResid: fit.dfResid,
        kappa: fit.kappa,
        nobs: fit.nobs,
        intercept: fit.intercept,
        ssr: fit.ssr,
        sigma2: fit.sigma2,
        rsquared: fit.rsquared,
        firstStage: fit.firstStage,
        craggDonald: fit.craggDonald,
        sargan: fit.sargan,
        wuHausman: fit.wuHausman,
      };
    },
  };
  return fit;
}
