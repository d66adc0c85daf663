import type { Matrix, Vector } from '../hostData.js';
import type { InstrumentScreening } from './screenInstruments.js';

/** Covariance convention. Cluster covariance takes one group label per row. */
export type CovType = 'unadjusted' | 'robust' | { type: 'cluster'; groups: ArrayLike<number | string> };

/** A test statistic with its reference distribution. */
export interface TestResult {
  stat: number;
  df: number | [number, number];
  pValue: number;
  distribution: 'normal' | 't' | 'F' | 'chi2';
}

/** An auxiliary statistic that does not exist on this input, with the reason; a fit never throws for it. */
export interface Unavailable {
  available: false;
  reason: string;
}

/** A diagnostic test: its result, or why it is unavailable (check `'available' in d`). */
export type Diagnostic = TestResult | Unavailable;

/** Whether a diagnostic was computed. */
export function isAvailable(d: Diagnostic): d is TestResult {
  return !('available' in d);
}

/** First-stage diagnostics for one endogenous regressor. */
export interface FirstStage {
  endog: string;
  /** Coefficients on [exog (incl. const)…, excluded instruments…]. */
  coef: number[];
  rsquared: number;
  /** 1 − RSS_u/RSS_r with the controls partialled out. */
  partialRsquared: number;
  /** F(q, n − k_Z), q = number of excluded instruments. */
  partialF: TestResult;
  /** partialF·(n − k_Z)/n (linearmodels' unadjusted, non-debiased value). */
  partialFNoDof: number;
  /**
   * HC0 Wald statistic of the excluded-instrument block, χ²(q); stat/q is the "robust F". Unavailable
   * (with the reason) when its covariance is singular: a diagnostic never takes the fit down.
   */
  robustWald: Diagnostic;
  /** Montiel Olea–Pflueger effective F (one endogenous regressor only). */
  effectiveF?: number;
  sheaPartialRsquared: number;
}

export interface CovarianceResult {
  cov: number[][];
  stdErrors: number[];
  tStats: number[];
  pValues: number[];
  distribution: 'normal' | 't';
}

/** A fitted linear (IV) model. Standard errors follow the stated `covType` / `debiased` convention. */
export interface LinearFit {
  method: 'ols' | 'tsls' | 'kclass' | 'liml' | 'fuller';
  /** Parameter names, 'const' first when `intercept: true`. */
  names: string[];
  params: number[];
  cov: number[][];
  stdErrors: number[];
  tStats: number[];
  pValues: number[];
  covType: 'unadjusted' | 'robust' | 'cluster';
  debiased: boolean;
  distribution: 'normal' | 't';
  dfResid: number;
  kappa: number;
  nobs: number;
  /** Whether a constant was added by the estimator. */
  intercept: boolean;
  residuals: Float64Array;
  ssr: number;
  /** e'e/(n − p) when debiased, e'e/n otherwise. */
  sigma2: number;
  rsquared: number;
  firstStage?: FirstStage[];
  craggDonald?: number;
  sargan?: TestResult;
  wuHausman?: TestResult;
  /** With the `screen` option: which candidate instruments the screen kept. */
  screening?: InstrumentScreening;
  /** Confidence intervals from the inference distribution. */
  confInt(level?: number): [number, number][];
  /** Any other covariance convention, without refitting. */
  covariance(o: { covType: CovType; debiased: boolean }): CovarianceResult;
  /** Predictions; a plain Matrix means the regressors [exog…, endog…] without the constant. */
  predict(a: { exog?: Matrix; endog?: Matrix } | Matrix): Float64Array;
  /** Plain-text table: parameters, standard errors, statistics, p-values, intervals, diagnostics. */
  summary(): string;
  toJSON(): object;
}

export interface CommonArgs {
  /** Add a constant column named 'const' (default true). */
  intercept?: boolean;
  /** Covariance convention (default 'unadjusted'). */
  covType?: CovType;
  /** n − p divisor and t/F inference (default true). */
  debiased?: boolean;
  /**
   * Relative tolerance for rank decisions (default max(rows, cols)·2⁻⁵²), applied by a pivoted QR to the
   * columns divided by their magnitudes (powers of two), so the decision does not depend on column scaling.
   */
  rankTol?: number;
}

export interface IvArgs extends CommonArgs {
  y: Vector;
  /** Exogenous controls (without the constant when `intercept: true`). */
  exog?: Matrix;
  /** Endogenous regressors. */
  endog: Matrix;
  /** Excluded instruments. */
  instruments: Matrix;
  names?: { exog?: string[]; endog?: string[]; instruments?: string[] };
}
