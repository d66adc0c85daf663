import { DroError } from '@drojs/dro-core';
import { chi2Sf, fSf } from '@drojs/dro-core/host';
import { checkArgs, IV_KEYS } from '../args.js';
import { cholesky, cholInverse, solveLower, solveLowerT } from '../linalg/cholesky.js';
import { symEigen } from '../linalg/eigen.js';
import { lstsq, residualize } from '../linalg/lstsq.js';
import { column, crossprod, type Mat, matmul, selectCols, sumSq, transpose, zeros } from '../linalg/matrix.js';
import { type IvDesign, prepareIv } from './design.js';
import { hc0Sandwich } from './hc0Sandwich.js';
import type { FirstStage, IvArgs } from './types.js';

function centredTss(v: Float64Array, centred: boolean): number {
  let m = 0;
  if (centred) {
    for (let i = 0; i < v.length; i++) m += v[i]!;
    m /= v.length;
  }
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i]! - m) ** 2;
  return s;
}

/** Solves S x = g for a small SPD matrix S (E_RANK when it is singular). */
function spdSolve(S: Mat, g: Mat, what: string): Mat {
  const L = cholesky(S);
  if (L === null) throw new DroError('E_RANK', `${what} is not positive definite`, { argument: 'instruments' });
  return solveLowerT(L, solveLower(L, g));
}

/** First-stage diagnostics of every endogenous regressor and the Cragg–Donald statistic. */
export function firstStageOf(d: IvDesign): { stages: FirstStage[]; craggDonald: number } {
  const { n, Z, E, QZ, QW } = d;
  const kZ = Z.cols;
  const pW = d.W.cols;
  const q = d.Zex.cols;
  const m = E.cols;
  const coef = lstsq(Z, E, { argument: 'instruments', names: d.zNames, rankTol: d.rankTol });
  const U = residualize(QZ, E); // first-stage residuals M_Z E
  const R = residualize(QW, E); // M_W E
  const ZtZinv = cholInverse(cholesky(crossprod(Z, Z)) as Mat);
  const exIdx = Array.from({ length: q }, (_, j) => pW + j);
  const Ztil = residualize(QW, d.Zex); // M_W Z_ex
  const ZtZtil = crossprod(Ztil, Ztil);
  // Shea: [(X'X)⁻¹]_jj / [(X̂'X̂)⁻¹]_jj, X̂'X̂ = (Q'X)'(Q'X).
  const XtXinv = cholInverse(cholesky(crossprod(d.X, d.X)) as Mat);
  const XhXh = crossprod(d.QX, d.QX);
  const XhInvL = cholesky(XhXh);
  const XhXhinv = XhInvL === null ? null : cholInverse(XhInvL);
  const p = d.X.cols;
  const stages: FirstStage[] = [];
  for (let j = 0; j < m; j++) {
    const u = column(U, j);
    const rssU = sumSq(u);
    const rssR = sumSq(column(R, j));
    const c = column(coef, j);
    const tss = centredTss(column(E, j), d.hasConst);
    const partialF = (rssR - rssU) / q / (rssU / (n - kZ));
    // HC0 covariance of the first-stage coefficients.
    const V = hc0Sandwich(ZtZinv, Z, u);
    const Vex = selectCols(transpose(selectCols(V, exIdx)), exIdx);
    const g: Mat = { rows: q, cols: 1, data: Float64Array.from(exIdx, (k) => c[k]!) };
    const sol = spdSolve(Vex, g, 'the robust covariance of the excluded-instrument coefficients');
    let wald = 0;
    for (let k = 0; k < q; k++) wald += g.data[k]! * sol.data[k]!;
    let effectiveF: number | undefined;
    if (m === 1) {
      let num = 0;
      for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) num += g.data[a]! * ZtZtil.data[a * q + b]! * g.data[b]!;
      let tr = 0;
      for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) tr += Vex.data[a * q + b]! * ZtZtil.data[b * q + a]!;
      effectiveF = num / tr;
    }
    const col = pW + j;
    const shea = XhXhinv === null ? 0 : XtXinv.data[col * p + col]! / XhXhinv.data[col * p + col]!;
    stages.push({
      endog: d.endogNames[j]!,
      coef: Array.from(c),
      rsquared: 1 - rssU / tss,
      partialRsquared: 1 - rssU / rssR,
      partialF: { stat: partialF, df: [q, n - kZ], pValue: fSf(partialF, q, n - kZ), distribution: 'F' },
      partialFNoDof: (partialF * (n - kZ)) / n,
      robustWald: { stat: wald, df: q, pValue: chi2Sf(wald, q), distribution: 'chi2' },
      ...(effectiveF === undefined ? {} : { effectiveF }),
      sheaPartialRsquared: shea,
    });
  }
  // Cragg–Donald: λ_min(Σ_VV^{-1/2} Π'Z̃'Z̃Π Σ_VV^{-1/2}) / q.
  const Svv = crossprod(U, U);
  for (let i = 0; i < Svv.data.length; i++) Svv.data[i]! /= n - kZ;
  const Pi = zeros(q, m);
  for (let a = 0; a < q; a++) for (let j = 0; j < m; j++) Pi.data[a * m + j] = coef.data[(pW + a) * m + j]!;
  const Mq = crossprod(Pi, matmul(ZtZtil, Pi));
  const L = cholesky(Svv);
  let craggDonald = Number.NaN;
  if (L !== null) {
    const A = solveLower(L, transpose(solveLower(L, Mq)));
    craggDonald = symEigen(A).values[0]! / q;
  }
  return { stages, craggDonald };
}

/** First-stage diagnostics (per endogenous regressor) and Cragg–Donald, without fitting the outcome. */
export function firstStage(a: Omit<IvArgs, 'y'>): { stages: FirstStage[]; craggDonald: number } {
  // A y is accepted (the full IvArgs of a fit) and ignored: the first stages do not use it.
  checkArgs(a, IV_KEYS, 'firstStage');
  const E = a.endog as unknown;
  const rows = (() => {
    if (Array.isArray(E)) return E.length;
    const t = E as { shape?: number[]; rows?: number };
    return t.shape?.[0] ?? t.rows ?? 0;
  })();
  // The outcome plays no part: a zero placeholder lets the shared validation run.
  const d = prepareIv({ ...a, y: new Float64Array(rows) } as IvArgs, { caller: 'firstStage' });
  return firstStageOf(d);
}
