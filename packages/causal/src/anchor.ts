import { createRng, DroError, type Rng } from '@drojs/dro-core';
import { checkArgs, RNG_KEYS } from './args.js';
import { groupIndex } from './groupIndex.js';
import { checkRngSeed, checkRows, type Matrix, toMat, toVec, type Vector } from './hostData.js';
import { centerForIntercept, interceptFromMeans } from './interceptCentering.js';
import { fullRankQr, lstsq } from './linalg/lstsq.js';
import { centerCols, crossprod, type Mat, matmul, matvec, selectRows, sub } from './linalg/matrix.js';
import { defaultRankTol, pivotedQr } from './linalg/qr.js';

/** Anchors: a matrix, or categorical environment ids (projection = group means, no dummy matrix). */
export type Anchors = Matrix | { groups: ArrayLike<number | string> };

export interface AnchorFit {
  coef: number[];
  intercept: number;
  gamma: number;
  /** Equivalent k-class parameter (γ − 1)/γ. */
  kappa: number;
  predict(X: Matrix): Float64Array;
  toJSON(): object;
}

/** A projector onto the anchor space: P(B) = Q(Q'B), or group means for categorical anchors. */
type Projector = (B: Mat) => Mat;

function groupMeanProjector(gi: Int32Array, G: number): Projector {
  return (B) => {
    const sums = new Float64Array(G * B.cols);
    const cnt = new Float64Array(G);
    for (let i = 0; i < B.rows; i++) {
      cnt[gi[i]!]!++;
      for (let j = 0; j < B.cols; j++) sums[gi[i]! * B.cols + j]! += B.data[i * B.cols + j]!;
    }
    const out: Mat = { rows: B.rows, cols: B.cols, data: new Float64Array(B.rows * B.cols) };
    for (let i = 0; i < B.rows; i++)
      for (let j = 0; j < B.cols; j++) out.data[i * B.cols + j] = sums[gi[i]! * B.cols + j]! / cnt[gi[i]!]!;
    return out;
  };
}

/**
 * Anchor regression (Rothenhäusler et al. 2021): argmin ‖(I − P_A)(y − Xb)‖² + γ‖P_A(y − Xb)‖².
 * γ = 1 is OLS, γ = ∞ is 2SLS with the anchors as instruments, γ = 0 partials the anchors out.
 * With `intercept: true` (default) X, y and A are centred and the intercept is unpenalised. Solved as
 * OLS on (W X, W y), W = I − (1 − √γ)P_A (W'W = I + (γ − 1)P_A).
 */
export function anchorRegression(a: {
  X: Matrix;
  y: Vector;
  anchors: Anchors;
  gamma: number;
  intercept?: boolean;
  rankTol?: number;
}): AnchorFit {
  checkArgs(a, ['X', 'y', 'anchors', 'gamma', 'intercept', 'rankTol'], 'anchorRegression');
  const gamma = a.gamma;
  if (typeof gamma !== 'number' || Number.isNaN(gamma) || gamma < 0)
    throw new DroError('E_SPEC', 'gamma must be a number ≥ 0 (Infinity allowed)', {
      argument: 'gamma',
      received: String(gamma),
    });
  const intercept = a.intercept ?? true;
  const y0 = toVec(a.y, 'y', 'anchorRegression');
  const n = y0.length;
  const X0 = toMat(a.X, 'X', 'anchorRegression');
  checkRows(X0.rows, n, 'X', 'y');
  const centering = centerForIntercept(X0, y0, intercept);
  const { X, y } = centering;
  const names = Array.from({ length: X.cols }, (_, j) => `X column ${j}`);
  fullRankQr(X, { argument: 'X', names, rankTol: a.rankTol });
  let P: Projector;
  let anchorRank: number;
  const anc = a.anchors as unknown;
  if (typeof anc === 'object' && anc !== null && 'groups' in anc) {
    const groups = (anc as { groups: ArrayLike<number | string> }).groups;
    if (groups === undefined || groups.length !== n)
      throw new DroError('E_SHAPE', `anchors.groups has ${groups?.length ?? 0} labels for ${n} rows`, {
        argument: 'anchors.groups',
      });
    const { gi, G } = groupIndex(groups, 'anchors.groups');
    // Centred data already have zero overall mean, so group means are the centred-anchor projection.
    P = groupMeanProjector(gi, G);
    anchorRank = intercept ? G - 1 : G;
  } else {
    let A = toMat(anc, 'anchors', 'anchorRegression');
    checkRows(A.rows, n, 'anchors', 'y');
    if (intercept) A = centerCols(A).centered;
    const qr = pivotedQr(A, a.rankTol ?? defaultRankTol(A.rows, A.cols));
    const Q = qr.Q;
    anchorRank = qr.rank;
    P = (B) =>
      Q.cols === 0 ? { rows: B.rows, cols: B.cols, data: new Float64Array(B.data.length) } : matmul(Q, crossprod(Q, B));
  }
  const yM: Mat = { rows: n, cols: 1, data: y };
  const PX = P(X);
  const Py = P(yM);
  let coef: Float64Array;
  if (gamma === Number.POSITIVE_INFINITY) {
    if (anchorRank < X.cols)
      throw new DroError('E_RANK', `γ = ∞ is 2SLS and needs at least ${X.cols} anchor directions, got ${anchorRank}`, {
        argument: 'anchors',
      });
    coef = lstsq(PX, Py, { argument: 'anchors', names, rankTol: a.rankTol }).data;
  } else {
    const c = 1 - Math.sqrt(gamma);
    const WX: Mat = {
      rows: n,
      cols: X.cols,
      data: sub(
        X.data,
        PX.data.map((v) => c * v),
      ),
    };
    const Wy: Mat = {
      rows: n,
      cols: 1,
      data: sub(
        y,
        Py.data.map((v) => c * v),
      ),
    };
    coef = lstsq(WX, Wy, { argument: 'X', names, rankTol: a.rankTol }).data;
  }
  const coefArr = Array.from(coef);
  const b0 = interceptFromMeans(centering, coefArr);
  const kappa = gamma === Number.POSITIVE_INFINITY ? 1 : gamma === 0 ? Number.NEGATIVE_INFINITY : (gamma - 1) / gamma;
  return {
    coef: coefArr,
    intercept: b0,
    gamma,
    kappa,
    predict(Xn: Matrix) {
      const M = toMat(Xn, 'X', 'anchorRegression');
      if (M.cols !== coefArr.length)
        throw new DroError('E_SHAPE', `X has ${M.cols} columns, the fit has ${coefArr.length}`, { argument: 'X' });
      return matvec(M, coefArr).map((v) => v + b0);
    },
    toJSON() {
      return { coef: coefArr, intercept: b0, gamma, kappa };
    },
  };
}

/**
 * Chooses γ by K-fold cross-validation over groups (environments), scoring the mean (or worst)
 * per-environment MSE on held-out environments; refits on all data with categorical anchors.
 */
export function anchorCV(a: {
  X: Matrix;
  y: Vector;
  groups: ArrayLike<number | string>;
  gammas: number[];
  folds?: number;
  score?: 'mean' | 'worst';
  rng?: Rng;
  seed?: number | string;
}): { gamma: number; fit: AnchorFit; scores: { gamma: number; score: number }[] } {
  checkArgs(a, ['X', 'y', 'groups', 'gammas', 'folds', 'score', ...RNG_KEYS], 'anchorCV');
  checkRngSeed(a);
  const rng = a.rng ?? createRng(a.seed as number | string);
  const y = toVec(a.y, 'y', 'anchorCV');
  const n = y.length;
  const X = toMat(a.X, 'X', 'anchorCV');
  checkRows(X.rows, n, 'X', 'y');
  if (a.groups === undefined || a.groups.length !== n)
    throw new DroError('E_SHAPE', `groups has ${a.groups?.length ?? 0} labels for ${n} rows`, { argument: 'groups' });
  if (!Array.isArray(a.gammas) || a.gammas.length === 0)
    throw new DroError('E_SPEC', 'gammas must be a non-empty array', { argument: 'gammas' });
  const { gi, G } = groupIndex(a.groups, 'groups');
  const K = a.folds ?? 3;
  if (!Number.isInteger(K) || K < 2 || K > G)
    throw new DroError('E_SPEC', `folds must be an integer in [2, ${G}]`, { argument: 'folds', received: String(K) });
  const worst = (a.score ?? 'mean') === 'worst';
  const order = rng.fork('anchor/folds').shuffle(Int32Array.from({ length: G }, (_, g) => g));
  const foldOf = new Int32Array(G);
  order.forEach((g, k) => {
    foldOf[g] = k % K;
  });
  const scores = a.gammas.map((gamma) => {
    let total = 0;
    let count = 0;
    let worstV = 0;
    for (let f = 0; f < K; f++) {
      const tr: number[] = [];
      const te: number[] = [];
      for (let i = 0; i < n; i++) (foldOf[gi[i]!] === f ? te : tr).push(i);
      const fit = anchorRegression({
        X: selectRows(X, tr),
        y: Float64Array.from(tr, (i) => y[i]!),
        anchors: { groups: Int32Array.from(tr, (i) => gi[i]!) },
        gamma,
      });
      const pred = fit.predict(selectRows(X, te));
      const se = new Map<number, { s: number; c: number }>();
      te.forEach((i, k) => {
        const e = se.get(gi[i]!) ?? { s: 0, c: 0 };
        e.s += (y[i]! - pred[k]!) ** 2;
        e.c++;
        se.set(gi[i]!, e);
      });
      for (const { s, c } of se.values()) {
        total += s / c;
        count++;
        worstV = Math.max(worstV, s / c);
      }
    }
    return { gamma, score: worst ? worstV : total / count };
  });
  let best = 0;
  for (let k = 1; k < scores.length; k++) if (scores[k]!.score < scores[best]!.score) best = k;
  const gamma = scores[best]!.gamma;
  return { gamma, fit: anchorRegression({ X, y, anchors: { groups: gi }, gamma }), scores };
}
