import { checkNumber, DroError } from '@drojs/dro-core';
import { chi2Sf, fQuantile, fSf } from '@drojs/dro-core/host';
import { checkArgs, IV_KEYS } from '../args.js';
import { toVec } from '../hostData.js';
import { residualize } from '../linalg/lstsq.js';
import { hcat, matvec, sumSq } from '../linalg/matrix.js';
import { columnScales, defaultRankTol, pivotedQr } from '../linalg/qr.js';
import { type IvDesign, prepareIv } from './design.js';
import type { IvArgs, LinearFit, TestResult } from './types.js';

/** Sargan over-identification test, n(1 − u'u/e'e) with u = M_Z e, χ²(q − m). */
export function sarganOf(d: IvDesign, e: Float64Array): TestResult {
  const q = d.Zex.cols;
  const m = d.E.cols;
  if (q <= m) {
    throw new DroError('E_SPEC', `Sargan's test needs an over-identified model (q = ${q} instruments, m = ${m})`, {
      argument: 'fit',
    });
  }
  const u = residualize(d.QZ, { rows: d.n, cols: 1, data: e }).data;
  const stat = d.n * (1 - sumSq(u) / sumSq(e));
  return { stat, df: q - m, pValue: chi2Sf(stat, q - m), distribution: 'chi2' };
}

/** Wu–Hausman (control-function) endogeneity test, F(m, n − p − m). */
export function wuHausmanOf(d: IvDesign): TestResult {
  const { n } = d;
  const p = d.X.cols;
  const m = d.E.cols;
  const V = residualize(d.QZ, d.E);
  const yM = { rows: n, cols: 1, data: d.y };
  const rssR = sumSq(residualize(pivotedQr(d.X).Q, yM).data);
  // Scales of [X, E], not of the residual V = M_Z E: a V that is only rounding noise must not be
  // inflated into an independent column.
  const XV = hcat(d.X, V);
  const rssU = sumSq(
    residualize(pivotedQr(XV, defaultRankTol(XV.rows, XV.cols), columnScales(hcat(d.X, d.E))).Q, yM).data,
  );
  const df2 = n - p - m;
  const stat = (rssR - rssU) / m / (rssU / df2);
  return { stat, df: [m, df2], pValue: fSf(stat, m, df2), distribution: 'F' };
}

/** Anderson–Rubin statistic at β0 (vector over the endogenous regressors), F(q, n − k_Z). */
export function andersonRubinOf(d: IvDesign, beta0: ArrayLike<number>): TestResult {
  const m = d.E.cols;
  if (beta0.length !== m)
    throw new DroError('E_SHAPE', `beta0 has ${beta0.length} entries for ${m} endogenous regressors`, {
      argument: 'beta0',
    });
  const eb = matvec(d.E, beta0);
  const yt = { rows: d.n, cols: 1, data: d.y.map((v, i) => v - eb[i]!) };
  const rssU = sumSq(residualize(d.QZ, yt).data);
  const rssR = sumSq(residualize(d.QW, yt).data);
  const q = d.Zex.cols;
  const df2 = d.n - d.Z.cols;
  const stat = (rssR - rssU) / q / (rssU / df2);
  return { stat, df: [q, df2], pValue: fSf(stat, q, df2), distribution: 'F' };
}

/** Sargan's test of a fitted over-identified 2SLS model. */
export function sargan(fit: LinearFit): TestResult {
  if (fit.sargan === undefined) {
    throw new DroError('E_SPEC', "Sargan's test is defined only for an over-identified 2SLS/LIML fit", {
      argument: 'fit',
    });
  }
  return fit.sargan;
}

/** Wu–Hausman endogeneity test. */
export function wuHausman(a: IvArgs): TestResult {
  checkArgs(a, IV_KEYS, 'wuHausman');
  return wuHausmanOf(prepareIv(a, { caller: 'wuHausman' }));
}

/** Anderson–Rubin test of H0: β_E = β0 (weak-instrument robust). */
export function andersonRubin(a: IvArgs & { beta0: number[] }): TestResult {
  checkArgs(a, [...IV_KEYS, 'beta0'], 'andersonRubin');
  const d = prepareIv(a, { requireIdentified: false, caller: 'andersonRubin' });
  const b = toVec(a.beta0, 'beta0', 'andersonRubin');
  return andersonRubinOf(d, b);
}

/** Anderson–Rubin confidence set for one endogenous regressor: interval, two rays, ray, all or empty. */
export function andersonRubinSet(a: IvArgs & { level?: number }): {
  kind: 'interval' | 'two-rays' | 'ray' | 'all' | 'empty';
  bounds: [number, number][];
} {
  checkArgs(a, [...IV_KEYS, 'level'], 'andersonRubinSet');
  const level = a.level ?? 0.95;
  checkNumber(level, 'level', { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const d = prepareIv(a, { requireIdentified: false, caller: 'andersonRubinSet' });
  if (d.E.cols !== 1)
    throw new DroError('E_SPEC', 'the Anderson–Rubin set is implemented for one endogenous regressor', {
      argument: 'endog',
    });
  const q = d.Zex.cols;
  const df2 = d.n - d.Z.cols;
  const Fc = fQuantile(level, q, df2);
  const c = 1 + (Fc * q) / df2;
  const yM = { rows: d.n, cols: 1, data: d.y };
  const yd = residualize(d.QW, yM).data;
  const ed = residualize(d.QW, d.E).data;
  const ydd = residualize(d.QZ, yM).data;
  const edd = residualize(d.QZ, d.E).data;
  let A = 0;
  let B = 0;
  let C = 0;
  for (let i = 0; i < d.n; i++) {
    A += ed[i]! * ed[i]! - c * edd[i]! * edd[i]!;
    B += -2 * (yd[i]! * ed[i]! - c * ydd[i]! * edd[i]!);
    C += yd[i]! * yd[i]! - c * ydd[i]! * ydd[i]!;
  }
  const inf = Number.POSITIVE_INFINITY;
  if (A === 0) {
    if (B === 0) return C <= 0 ? { kind: 'all', bounds: [[-inf, inf]] } : { kind: 'empty', bounds: [] };
    const r = -C / B;
    return B > 0 ? { kind: 'ray', bounds: [[-inf, r]] } : { kind: 'ray', bounds: [[r, inf]] };
  }
  const disc = B * B - 4 * A * C;
  if (disc < 0) return A > 0 ? { kind: 'empty', bounds: [] } : { kind: 'all', bounds: [[-inf, inf]] };
  // Numerically stable roots.
  const sq = Math.sqrt(disc);
  const qq = -0.5 * (B + Math.sign(B || 1) * sq);
  const r1 = qq / A;
  const r2 = qq !== 0 ? C / qq : r1;
  const lo = Math.min(r1, r2);
  const hi = Math.max(r1, r2);
  if (A > 0) return { kind: 'interval', bounds: [[lo, hi]] };
  return {
    kind: 'two-rays',
    bounds: [
      [-inf, lo],
      [hi, inf],
    ],
  };
}
