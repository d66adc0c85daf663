import { checkNumber, DroError } from '@drojs/dro-core';
import { checkRows, type Matrix, toMat, toVec, type Vector } from '../hostData.js';
import { centerForIntercept } from '../interceptCentering.js';
import { fullRankQr } from '../linalg/lstsq.js';
import { centerCols, crossprod, type Mat } from '../linalg/matrix.js';
import { defaultRankTol, pivotedQr } from '../linalg/qr.js';

/** Arguments shared by the IVL estimators: augmented treatments GX, outcome y, DA parameters G. */
export interface IvlArgs {
  /** Augmented regressors g·x, n × p. */
  GX: Matrix;
  y: Vector;
  /** DA parameters (the IV-like instruments), n × k; may be rank deficient. */
  G: Matrix;
  /** Centre GX, y and G and report an intercept (default true). */
  intercept?: boolean;
  rankTol?: number;
}

/** Validated, centred IVL data with the small matrices every α needs. */
export interface IvlDesign {
  n: number;
  p: number;
  intercept: boolean;
  xMean: Float64Array;
  yMean: number;
  GX: Mat;
  y: Float64Array;
  /** Orthonormal basis of the (centred) instruments, n × r. */
  Q: Mat;
  instrumentRank: number;
  QX: Mat; // Q'GX, r × p
  Qy: Mat; // Q'y
  /** Q_x'y and R_x from GX = Q_x R_x, so ‖y − GX h‖² = ‖Q_x'y − R_x h‖² + const. */
  Rx: Mat;
  Qxy: Mat;
  rankTol?: number;
}

export function prepareIvl(a: IvlArgs): IvlDesign {
  if (a === null || typeof a !== 'object') throw new DroError('E_SPEC', 'arguments must be an object');
  const intercept = a.intercept ?? true;
  if (a.rankTol !== undefined) checkNumber(a.rankTol, 'rankTol', { min: 0 });
  const y0 = toVec(a.y, 'y', 'ivlRegression');
  const n = y0.length;
  const GX0 = toMat(a.GX, 'GX', 'ivlRegression');
  checkRows(GX0.rows, n, 'GX', 'y');
  const G0 = toMat(a.G, 'G', 'ivlRegression');
  checkRows(G0.rows, n, 'G', 'y');
  if (G0.cols === 0) throw new DroError('E_EMPTY', 'G has no columns', { argument: 'G' });
  if (n <= GX0.cols) throw new DroError('E_SHAPE', `n = ${n} rows for ${GX0.cols} regressors`, { argument: 'GX' });
  const { X: GX, y, xMean, yMean } = centerForIntercept(GX0, y0, intercept);
  // The instruments are centred with the data (their mean is not needed afterwards).
  const G = intercept ? centerCols(G0).centered : G0;
  const names = Array.from({ length: GX.cols }, (_, j) => `GX column ${j}`);
  const qx = fullRankQr(GX, { argument: 'GX', names, rankTol: a.rankTol });
  const qg = pivotedQr(G, a.rankTol ?? defaultRankTol(G.rows, G.cols));
  const yM: Mat = { rows: n, cols: 1, data: y };
  // R_x in the original column order: R_x[:, perm[k]] = R[:, k].
  const p = GX.cols;
  const Rx: Mat = { rows: p, cols: p, data: new Float64Array(p * p) };
  for (let i = 0; i < p; i++) for (let k = 0; k < p; k++) Rx.data[i * p + qx.perm[k]!] = qx.R.data[i * p + k]!;
  return {
    n,
    p,
    intercept,
    xMean,
    yMean,
    GX,
    y,
    Q: qg.Q,
    instrumentRank: qg.rank,
    QX: crossprod(qg.Q, GX),
    Qy: crossprod(qg.Q, yM),
    Rx,
    Qxy: crossprod(qx.Q, yM),
    rankTol: a.rankTol,
  };
}

export function checkAlpha(alpha: unknown, argument = 'alpha'): number {
  if (typeof alpha !== 'number' || Number.isNaN(alpha) || alpha < 0 || alpha === Number.NEGATIVE_INFINITY) {
    throw new DroError('E_SPEC', `${argument} must be a number ≥ 0 (Infinity allowed)`, {
      argument,
      received: String(alpha),
    });
  }
  return alpha;
}
