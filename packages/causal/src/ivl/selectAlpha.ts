import { checkNumber, createRng, DroError, type Rng } from '@drojs/dro-core';
import { checkArgs, IVL_KEYS, RNG_KEYS } from '../args.js';
import { checkRngSeed, checkRows, type Matrix, toMat, toVec } from '../hostData.js';
import { type Mat, matvec, selectRows } from '../linalg/matrix.js';
import { prepareIvl } from './ivlDesign.js';
import { type IvlArgs, type IvlFit, solveIvl } from './ivlRegression.js';

function centredR2(y: Float64Array, yhat: Float64Array): number {
  let m = 0;
  for (let i = 0; i < y.length; i++) m += y[i]!;
  m /= y.length;
  let ss = 0;
  let tss = 0;
  for (let i = 0; i < y.length; i++) {
    ss += (y[i]! - yhat[i]!) ** 2;
    tss += (y[i]! - m) ** 2;
  }
  return 1 - ss / tss;
}

/**
 * Chooses α for IVL by validation ("DA+IVL-CV"): candidates log-uniform on [1e−4, 1] (10 by
 * default), one 20% hold-out (or K folds, or whole levels held out), scored by the centred R² of the
 * **original** X of the held-out rows (`score: 'original'`); the best α is refitted on all rows.
 */
export function selectIvlAlpha(
  a: IvlArgs & {
    X: Matrix;
    strategy?: 'holdout' | 'kfold' | 'level';
    candidates?: number[] | { count: number; min: number; max: number };
    holdoutFraction?: number;
    folds?: number;
    levels?: ArrayLike<number>;
    score?: 'original' | 'augmented';
    rng?: Rng;
    seed?: number | string;
  },
): { alpha: number; fit: IvlFit; scores: { alpha: number; score: number }[] } {
  checkArgs(
    a,
    [...IVL_KEYS, 'X', 'strategy', 'candidates', 'holdoutFraction', 'folds', 'levels', 'score', ...RNG_KEYS],
    'selectIvlAlpha',
  );
  checkRngSeed(a);
  const rng = a.rng ?? createRng(a.seed as number | string);
  const strategy = a.strategy ?? 'holdout';
  if (!['holdout', 'kfold', 'level'].includes(strategy))
    throw new DroError('E_SPEC', 'strategy must be holdout, kfold or level', { argument: 'strategy' });
  const score = a.score ?? 'original';
  const y = toVec(a.y, 'y', 'selectIvlAlpha');
  const n = y.length;
  const X = toMat(a.X, 'X', 'selectIvlAlpha');
  checkRows(X.rows, n, 'X', 'y');
  const GX = toMat(a.GX, 'GX', 'selectIvlAlpha');
  checkRows(GX.rows, n, 'GX', 'y');
  const G = toMat(a.G, 'G', 'selectIvlAlpha');
  checkRows(G.rows, n, 'G', 'y');
  let cands: number[];
  if (Array.isArray(a.candidates)) {
    if (a.candidates.length === 0) throw new DroError('E_SPEC', 'candidates is empty', { argument: 'candidates' });
    cands = a.candidates.map((c, i) => checkNumber(c, `candidates[${i}]`, { min: 0, allowInfinity: true }));
  } else {
    const c = a.candidates ?? { count: 10, min: 1e-4, max: 1 };
    checkNumber(c.count, 'candidates.count', { min: 1, integer: true });
    checkNumber(c.min, 'candidates.min', { min: 0, minExclusive: true });
    checkNumber(c.max, 'candidates.max', { min: c.min });
    const r = rng.fork('ivl/candidates');
    const lo = Math.log(c.min);
    const hi = Math.log(c.max);
    cands = Array.from({ length: c.count }, () => Math.exp(lo + (hi - lo) * r.uniform()));
  }
  // Validation splits: lists of held-out row indices.
  const splits: Int32Array[] = [];
  if (strategy === 'holdout') {
    const frac = a.holdoutFraction ?? 0.2;
    checkNumber(frac, 'holdoutFraction', { min: 0, max: 1, minExclusive: true, maxExclusive: true });
    const perm = rng.fork('ivl/holdout').shuffle(Int32Array.from({ length: n }, (_, i) => i));
    splits.push(perm.slice(0, Math.max(1, Math.round(frac * n))));
  } else if (strategy === 'kfold') {
    const k = a.folds ?? 5;
    checkNumber(k, 'folds', { min: 2, max: n, integer: true });
    const perm = rng.fork('ivl/kfold').shuffle(Int32Array.from({ length: n }, (_, i) => i));
    for (let f = 0; f < k; f++) splits.push(perm.filter((_, i) => i % k === f));
  } else {
    if (a.levels === undefined) throw new DroError('E_SPEC', "strategy 'level' needs levels", { argument: 'levels' });
    const lv = toVec(Array.from(a.levels), 'levels', 'selectIvlAlpha');
    checkRows(lv.length, n, 'levels', 'y');
    const distinct = Array.from(new Set(lv)).sort((p, q) => p - q);
    if (distinct.length < 2)
      throw new DroError('E_SPEC', 'levels needs at least 2 distinct values', { argument: 'levels' });
    const frac = a.holdoutFraction ?? 0.2;
    const held = rng
      .fork('ivl/levels')
      .shuffle(distinct.slice())
      .slice(0, Math.max(1, Math.round(frac * distinct.length)));
    const hs = new Set(held);
    splits.push(Int32Array.from(Array.from({ length: n }, (_, i) => i).filter((i) => hs.has(lv[i]!))));
  }
  const Xval: Mat = score === 'original' ? X : GX;
  const total = new Float64Array(cands.length);
  for (const val of splits) {
    const isVal = new Uint8Array(n);
    for (const i of val) isVal[i] = 1;
    const tr = Int32Array.from(Array.from({ length: n }, (_, i) => i).filter((i) => !isVal[i]));
    const d = prepareIvl({
      GX: selectRows(GX, tr),
      y: Float64Array.from(tr, (i) => y[i]!),
      G: selectRows(G, tr),
      intercept: a.intercept,
      rankTol: a.rankTol,
    });
    const yv = Float64Array.from(val, (i) => y[i]!);
    const Xv = selectRows(Xval, val);
    cands.forEach((al, k) => {
      const fit = solveIvl(d, al);
      const pred = matvec(Xv, fit.coef).map((v) => v + fit.intercept);
      total[k]! += centredR2(yv, pred) / splits.length;
    });
  }
  let best = 0;
  for (let k = 1; k < cands.length; k++) if (total[k]! > total[best]!) best = k;
  const full = prepareIvl({ GX, y, G, intercept: a.intercept, rankTol: a.rankTol });
  return {
    alpha: cands[best]!,
    fit: solveIvl(full, cands[best]!),
    scores: cands.map((alpha, k) => ({ alpha, score: total[k]! })),
  };
}
