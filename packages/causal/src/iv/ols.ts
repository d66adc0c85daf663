import { DroError } from '@drojs/dro-core';
import { COMMON_KEYS, checkArgs } from '../args.js';
import { checkRows, type Matrix, toMat, toVec, type Vector } from '../hostData.js';
import { fullRankQr, lstsq } from '../linalg/lstsq.js';
import { crossprod, hcat, zeros } from '../linalg/matrix.js';
import { hasConstantColumn, type IvDesign, ones, rankCtx } from './design.js';
import { buildFit } from './linearFit.js';
import type { CommonArgs, LinearFit } from './types.js';

/** Ordinary least squares by pivoted QR, with the same covariance conventions as `tsls`. */
export function ols(a: CommonArgs & { X: Matrix; y: Vector; names?: string[] }): LinearFit {
  checkArgs(a, ['X', 'y', 'names', ...COMMON_KEYS], 'ols');
  if (a === null || typeof a !== 'object') throw new DroError('E_SPEC', 'arguments must be an object');
  const intercept = a.intercept ?? true;
  const y = toVec(a.y, 'y', 'ols');
  const n = y.length;
  let X = toMat(a.X, 'X', 'ols');
  checkRows(X.rows, n, 'X', 'y');
  let names = a.names?.slice() ?? Array.from({ length: X.cols }, (_, j) => `x${j}`);
  if (names.length !== X.cols)
    throw new DroError('E_SHAPE', `names has ${names.length} entries for ${X.cols} columns`, { argument: 'names' });
  if (intercept) {
    X = hcat(ones(n), X);
    names = ['const', ...names];
  }
  if (X.cols === 0) throw new DroError('E_EMPTY', 'X has no columns and intercept is false', { argument: 'X' });
  if (n <= X.cols)
    throw new DroError('E_SHAPE', `n = ${n} rows leave no residual degrees of freedom for ${X.cols} columns`, {
      argument: 'X',
    });
  const qr = fullRankQr(X, rankCtx('X', names, X, intercept, a.rankTol));
  const params = lstsq(X, { rows: n, cols: 1, data: y }, { argument: 'X', names, rankTol: a.rankTol }).data;
  // OLS is the k-class member κ = 0 with Z = X.
  const d: IvDesign = {
    n,
    y,
    W: X,
    E: zeros(n, 0),
    Zex: zeros(n, 0),
    X,
    Z: X,
    xNames: names,
    zNames: names,
    endogNames: [],
    intercept,
    hasConst: intercept || hasConstantColumn(X),
    rankTol: a.rankTol,
    QZ: qr.Q,
    QW: qr.Q,
    QX: crossprod(qr.Q, X),
    identified: true,
  };
  return buildFit({
    method: 'ols',
    d,
    kappa: 0,
    params,
    covType: a.covType ?? 'unadjusted',
    debiased: a.debiased ?? true,
  });
}
