import { centerCols, type Mat, mean } from './linalg/matrix.js';

/** Regressors and outcome prepared for an unpenalised intercept, with the means that recover it. */
export interface InterceptCentering {
  intercept: boolean;
  /** Centred columns when `intercept`, else the input. */
  X: Mat;
  /** Centred outcome when `intercept`, else the input. */
  y: Float64Array;
  /** Column means of the input X (zeros without an intercept). */
  xMean: Float64Array;
  /** Mean of the input y (0 without an intercept). */
  yMean: number;
}

/**
 * Centres X and y when `intercept` is true, so that the fit needs no constant column and leaves the
 * intercept unpenalised (anchor regression and IVL fit this way); otherwise returns them unchanged.
 */
export function centerForIntercept(X: Mat, y: Float64Array, intercept: boolean): InterceptCentering {
  if (!intercept) return { intercept, X, y, xMean: new Float64Array(X.cols), yMean: 0 };
  const c = centerCols(X);
  const yMean = mean(y);
  return { intercept, X: c.centered, y: y.map((v) => v - yMean), xMean: c.means, yMean };
}

/** The intercept ȳ − x̄'b of coefficients `coef` fitted on centred data; exactly 0 without an intercept. */
export function interceptFromMeans(
  c: Pick<InterceptCentering, 'intercept' | 'xMean' | 'yMean'>,
  coef: ArrayLike<number>,
): number {
  if (!c.intercept) return 0;
  let b0 = c.yMean;
  for (let j = 0; j < coef.length; j++) b0 -= c.xMean[j]! * coef[j]!;
  return b0;
}
