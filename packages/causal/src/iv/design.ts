import { checkNumber, DroError } from '@drojs/dro-core';
import { checkRows, toMat, toVec } from '../hostData.js';
import { fullRankQr, type RankContext } from '../linalg/lstsq.js';
import { crossprod, hcat, type Mat, zeros } from '../linalg/matrix.js';
import { columnScales, defaultRankTol, pivotedQr } from '../linalg/qr.js';
import type { IvArgs } from './types.js';

/** A validated IV design: X = [W, E], Z = [W, Zex], with orthonormal bases of Z and W. */
export interface IvDesign {
  n: number;
  y: Float64Array;
  W: Mat;
  E: Mat;
  Zex: Mat;
  X: Mat;
  Z: Mat;
  xNames: string[];
  zNames: string[];
  endogNames: string[];
  intercept: boolean;
  /** The model contains a constant (added, or a constant data column). */
  hasConst: boolean;
  rankTol?: number;
  QZ: Mat;
  QW: Mat;
  QX: Mat; // QZ' X
  /** q ≥ m and rank(P_Z X) = p. */
  identified: boolean;
}

function isConstantColumn(M: Mat, j: number): boolean {
  const v0 = M.data[j];
  if (v0 === 0) return false;
  for (let i = 1; i < M.rows; i++) if (M.data[i * M.cols + j] !== v0) return false;
  return true;
}

export function hasConstantColumn(M: Mat): boolean {
  for (let j = 0; j < M.cols; j++) if (isConstantColumn(M, j)) return true;
  return false;
}

export function ones(n: number): Mat {
  const m = zeros(n, 1);
  m.data.fill(1);
  return m;
}

/** Rank context whose hint names the intercept option when a constant column duplicates 'const'. */
export function rankCtx(argument: string, names: string[], M: Mat, intercept: boolean, rankTol?: number): RankContext {
  return {
    argument,
    names,
    rankTol,
    hint: () => {
      const consts = Array.from({ length: M.cols }, (_, j) => j).filter(
        (j) => isConstantColumn(M, j) && names[j] !== 'const',
      );
      if (intercept && consts.length > 0) {
        return `column '${names[consts[0]!]}' is constant and intercept: true already adds one ('const'); drop the column or pass intercept: false`;
      }
      return undefined;
    },
  };
}

function defaultNames(prefix: string, k: number, given: string[] | undefined, key: string): string[] {
  if (given !== undefined) {
    if (given.length !== k)
      throw new DroError('E_SHAPE', `names.${key} has ${given.length} names for ${k} columns`, {
        argument: `names.${key}`,
      });
    return given.slice();
  }
  return Array.from({ length: k }, (_, j) => `${prefix}${j}`);
}

/** Validates an IV problem and checks rank and identification (E_RANK otherwise). */
export function prepareIv(a: IvArgs, o: { requireIdentified?: boolean; caller?: string } = {}): IvDesign {
  const caller = o.caller ?? 'IV estimator';
  if (a === null || typeof a !== 'object') throw new DroError('E_SPEC', 'arguments must be an object');
  const intercept = a.intercept ?? true;
  if (a.rankTol !== undefined) checkNumber(a.rankTol, 'rankTol', { min: 0 });
  const y = toVec(a.y, 'y', caller);
  const n = y.length;
  const E = toMat(a.endog, 'endog', caller);
  checkRows(E.rows, n, 'endog', 'y');
  const Zin = toMat(a.instruments, 'instruments', caller);
  checkRows(Zin.rows, n, 'instruments', 'y');
  if (E.cols === 0) throw new DroError('E_EMPTY', 'endog has no columns', { argument: 'endog' });
  if (Zin.cols === 0) throw new DroError('E_EMPTY', 'instruments has no columns', { argument: 'instruments' });
  let Wd = a.exog === undefined ? zeros(n, 0) : toMat(a.exog, 'exog', caller);
  checkRows(Wd.rows, n, 'exog', 'y');
  let wNames = defaultNames('exog', Wd.cols, a.names?.exog, 'exog');
  if (intercept) {
    Wd = hcat(ones(n), Wd);
    wNames = ['const', ...wNames];
  }
  const endogNames = defaultNames('endog', E.cols, a.names?.endog, 'endog');
  const instrNames = defaultNames('instr', Zin.cols, a.names?.instruments, 'instruments');
  const X = hcat(Wd, E);
  const Z = hcat(Wd, Zin);
  const p = X.cols;
  const xNames = [...wNames, ...endogNames];
  const zNames = [...wNames, ...instrNames];
  if (n <= Math.max(p, Z.cols)) {
    throw new DroError(
      'E_SHAPE',
      `n = ${n} rows leave no residual degrees of freedom for ${Math.max(p, Z.cols)} columns`,
      {
        argument: 'y',
        expected: `more than ${Math.max(p, Z.cols)} rows`,
      },
    );
  }
  fullRankQr(X, rankCtx('exog/endog', xNames, X, intercept, a.rankTol));
  const qz = fullRankQr(Z, rankCtx('instruments', zNames, Z, intercept, a.rankTol));
  const m = E.cols;
  const q = Zin.cols;
  if ((o.requireIdentified ?? true) && q < m) {
    throw new DroError('E_RANK', `under-identified: ${q} excluded instrument(s) for ${m} endogenous regressor(s)`, {
      argument: 'instruments',
      expected: `at least ${m} excluded instruments`,
      received: String(q),
    });
  }
  const QZ = qz.Q;
  const QX = crossprod(QZ, X);
  // Scales of X, not of QX: a regressor the instruments barely move must not be inflated to look moved.
  const r = pivotedQr(QX, a.rankTol ?? defaultRankTol(QX.rows, QX.cols), columnScales(X));
  const identified = q >= m && r.rank === p;
  if (o.requireIdentified ?? true) {
    if (r.rank < p) {
      throw new DroError(
        'E_RANK',
        `under-identified: rank(P_Z X) = ${r.rank} < ${p}; the instruments do not move ${Array.from(
          r.perm.subarray(r.rank),
        )
          .map((j) => `'${xNames[j]}'`)
          .join(', ')}`,
        { argument: 'instruments' },
      );
    }
  }
  const QW = Wd.cols > 0 ? pivotedQr(Wd).Q : zeros(n, 0);
  const hasConst = intercept || hasConstantColumn(X);
  return {
    n,
    y,
    W: Wd,
    E,
    Zex: Zin,
    X,
    Z,
    xNames,
    zNames,
    endogNames,
    intercept,
    hasConst,
    rankTol: a.rankTol,
    QZ,
    QW,
    QX,
    identified,
  };
}
