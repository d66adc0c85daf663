import { checkNumber, DroError } from '@drojs/dro-core';
import { checkArgs, IV_KEYS } from '../args.js';
import { residualize } from '../linalg/lstsq.js';
import { colVector, crossprod, hcat, type Mat, matmul } from '../linalg/matrix.js';
import { columnScales, defaultRankTol, pivotedQr } from '../linalg/qr.js';
import { svd } from '../linalg/svd.js';
import { pinvFactor } from '../linalg/triangular.js';
import { applyScreen, type ScreenableArgs, withScreening } from './applyScreen.js';
import { type IvDesign, prepareIv } from './design.js';
import { ivFit } from './kclass.js';
import type { IvArgs, LinearFit } from './types.js';

/**
 * An orthonormal basis of the span of M_W Z_ex, the part of the instrument space P_Z − P_W that the
 * controls do not reach (shared by κ_LIML and Cragg–Donald).
 */
export function excludedBasis(d: IvDesign): Mat {
  const Zt = residualize(d.QW, d.Zex);
  return pivotedQr(Zt, d.rankTol ?? defaultRankTol(Zt.rows, Zt.cols), columnScales(d.Zex)).Q;
}

/**
 * σ_min(Q_exᵀM_W Y · P R⁻¹)² for M_Z Y P = Q R: the smallest root of the pencil
 * (Y'P_ex Y) v = λ (Y'M_Z Y) v from orthogonal factors only. Null when M_Z Y is rank deficient.
 */
export function minPencilRoot(d: IvDesign, Qex: Mat, Y: Mat): number | null {
  const Ry = residualize(d.QZ, Y);
  const qr = pivotedQr(Ry, defaultRankTol(Ry.rows, Ry.cols), columnScales(Y));
  if (qr.rank < Y.cols) return null;
  // Q_exᵀ(M_W Y), not Q_exᵀY: equal in exact arithmetic, but when the instruments lie close to the
  // controls Q_ex carries a rounding tilt of ε/dist towards span(W), which would leak the (large)
  // P_W Y part into the pencil.
  const F = matmul(crossprod(Qex, residualize(d.QW, Y)), pinvFactor(qr));
  // With fewer rows than columns the pencil has a zero root.
  if (F.rows < F.cols) return 0;
  const { s } = svd(F);
  return s[s.length - 1]! ** 2;
}

/**
 * κ_LIML, the smallest root of (Y'M_W Y) v = λ (Y'M_Z Y) v with Y = [y, E]. Since
 * M_W = M_Z + P_ex, κ = 1 + σ_min(Q_exᵀY R⁻¹)² with M_Z Y = Q R: no cross product is formed, so κ − 1
 * is accurate to working precision relative to itself even when the instruments are nearly collinear.
 */
export function limlKappaOf(d: IvDesign): number {
  const Y = hcat(colVector(d.y), d.E);
  const r = minPencilRoot(d, excludedBasis(d), Y);
  if (r === null)
    throw new DroError('E_RANK', "Y'M_Z Y is singular: y is explained exactly by the instruments", { argument: 'y' });
  return 1 + r;
}

/** κ_LIML of an IV problem. */
export function limlKappa(a: IvArgs): number {
  checkArgs(a, IV_KEYS, 'limlKappa');
  return limlKappaOf(prepareIv(a, { caller: 'limlKappa' }));
}

/** LIML (or Fuller(a) with κ = κ_LIML − a/(n − k_Z)), with the 2SLS diagnostics. */
export function liml(a0: ScreenableArgs & { fuller?: number }): LinearFit {
  checkArgs(a0, [...IV_KEYS, 'fuller', 'screen'], 'liml');
  if (a0?.fuller !== undefined) checkNumber(a0.fuller, 'fuller', { min: 0, minExclusive: true });
  const { args: a, screening, notes } = applyScreen(a0, 'liml');
  const d = prepareIv(a, { caller: 'liml' });
  const kl = limlKappaOf(d);
  const kappa = a.fuller === undefined ? kl : kl - a.fuller / (d.n - d.Z.cols);
  const method = a.fuller === undefined ? 'liml' : 'fuller';
  return withScreening(ivFit(d, kappa, method, a, [`κ_LIML = ${kl}`, ...notes]), screening);
}
