import { checkNumber, DroError } from '@drojs/dro-core';
import { checkArgs, IV_KEYS } from '../args.js';
import { cholesky, solveLower } from '../linalg/cholesky.js';
import { symEigen } from '../linalg/eigen.js';
import { residualize } from '../linalg/lstsq.js';
import { colVector, crossprod, hcat, transpose } from '../linalg/matrix.js';
import { type IvDesign, prepareIv } from './design.js';
import { ivFit } from './kclass.js';
import type { IvArgs, LinearFit } from './types.js';

/**
 * κ_LIML: the smallest root of the pencil (Y'M_W Y) v = λ (Y'M_Z Y) v with Y = [y, E], via the
 * Cholesky factor L of Y'M_Z Y and the symmetric eigenproblem of L⁻¹(Y'M_W Y)L⁻ᵀ.
 */
export function limlKappaOf(d: IvDesign): number {
  const Y = hcat(colVector(d.y), d.E);
  const Rz = residualize(d.QZ, Y);
  const Rw = residualize(d.QW, Y);
  const Bz = crossprod(Rz, Rz);
  const Aw = crossprod(Rw, Rw);
  const L = cholesky(Bz);
  if (L === null)
    throw new DroError('E_RANK', "Y'M_Z Y is singular: y is explained exactly by the instruments", { argument: 'y' });
  const C = solveLower(L, transpose(solveLower(L, Aw)));
  return symEigen(C).values[0]!; // C is at least 1×1
}

/** κ_LIML of an IV problem. */
export function limlKappa(a: IvArgs): number {
  checkArgs(a, IV_KEYS, 'limlKappa');
  return limlKappaOf(prepareIv(a, { caller: 'limlKappa' }));
}

/** LIML (or Fuller(a) with κ = κ_LIML − a/(n − k_Z)), with the 2SLS diagnostics. */
export function liml(a: IvArgs & { fuller?: number }): LinearFit {
  checkArgs(a, [...IV_KEYS, 'fuller'], 'liml');
  if (a?.fuller !== undefined) checkNumber(a.fuller, 'fuller', { min: 0, minExclusive: true });
  const d = prepareIv(a, { caller: 'liml' });
  const kl = limlKappaOf(d);
  const kappa = a.fuller === undefined ? kl : kl - a.fuller / (d.n - d.Z.cols);
  return ivFit(d, kappa, a.fuller === undefined ? 'liml' : 'fuller', a, [`κ_LIML = ${kl}`]);
}
