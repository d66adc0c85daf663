import { DroError } from '@drojs/dro-core';
import { checkArgs, IV_KEYS } from '../args.js';
import { lstsq } from '../linalg/lstsq.js';
import { axpby, crossprod, type Mat, matvec, vcat } from '../linalg/matrix.js';
import { type IvDesign, prepareIv } from './design.js';
import { firstStageOf } from './firstStage.js';
import { type KclassFactor, kclassCoefFrom, kclassFactor } from './kclassFactor.js';
import { limlKappaOf } from './liml.js';
import { buildFit, type FitParts } from './linearFit.js';
import { sarganOf, wuHausmanOf } from './tests.js';
import type { IvArgs, LinearFit } from './types.js';

/**
 * k-class coefficients. κ ≤ 1: stacked least squares [√κ Q'y; √(1−κ) y] on [√κ Q'X; √(1−κ) X]
 * (no normal equations); κ > 1: T Kᵀy from the hyperbolic square-root factor of
 * X'P_Z X − (κ − 1) X'M_Z X (see `kclassFactor`), again without forming either cross product.
 */
export function kclassCoef(d: IvDesign, kappa: number, factor?: KclassFactor): Float64Array {
  if (kappa <= 1) {
    const Qy = crossprod(d.QZ, { rows: d.n, cols: 1, data: d.y });
    const yM: Mat = { rows: d.n, cols: 1, data: d.y };
    const sk = Math.sqrt(kappa);
    const s1 = Math.sqrt(1 - kappa);
    const parts: Mat[] = [];
    const rhs: Mat[] = [];
    if (kappa > 0) {
      parts.push(axpby(sk, d.QX, 0, d.QX));
      rhs.push(axpby(sk, Qy, 0, Qy));
    }
    if (kappa < 1) {
      parts.push(axpby(s1, d.X, 0, d.X));
      rhs.push(axpby(s1, yM, 0, yM));
    }
    const b = lstsq(vcat(...parts), vcat(...rhs), { argument: 'instruments', names: d.xNames, rankTol: d.rankTol });
    return b.data;
  }
  return kclassCoefFrom(factor ?? kclassFactor(d, kappa, limlKappaOf(d)), d.y);
}

function checkKappa(kappa: unknown): number {
  if (typeof kappa !== 'number' || !Number.isFinite(kappa) || kappa < 0) {
    throw new DroError('E_SPEC', 'kappa must be a finite number ≥ 0', {
      argument: 'kappa',
      received: String(kappa),
    });
  }
  return kappa;
}

/** The common path of tsls / kClass / liml with all diagnostics. */
export function ivFit(
  d: IvDesign,
  kappa: number,
  method: LinearFit['method'],
  a: IvArgs,
  notes: string[] = [],
): LinearFit {
  // κ > 1 needs the factor for the coefficients; build it once, with κ_LIML for the error message.
  const factor = kappa > 1 ? kclassFactor(d, kappa, limlKappaOf(d)) : undefined;
  const params = kclassCoef(d, kappa, factor);
  const fit: FitParts = {
    ...(factor ? { factor } : {}),
    method,
    d,
    kappa,
    params,
    covType: a.covType ?? 'unadjusted',
    debiased: a.debiased ?? true,
    notes,
  };
  // κ < 1 on an under-identified system: the estimate exists (the ERM part identifies it) but the
  // IV diagnostics do not.
  if (!d.identified) return buildFit(fit);
  const fs = firstStageOf(d);
  const fitted = matvec(d.X, params);
  const e = d.y.map((v, i) => v - fitted[i]!);
  const over = d.Zex.cols > d.E.cols;
  return buildFit({
    ...fit,
    firstStage: fs.stages,
    craggDonald: fs.craggDonald,
    ...(over && (method === 'tsls' || method === 'liml' || method === 'fuller') ? { sargan: sarganOf(d, e) } : {}),
    wuHausman: wuHausmanOf(d),
  });
}

/**
 * k-class estimator b(κ) = (X'(I − κM_Z)X)⁻¹X'(I − κM_Z)y: κ = 0 is OLS, κ = 1 is 2SLS.
 * κ must be finite and ≥ 0 (E_SPEC); a non-positive-definite k-class matrix raises E_RANK. κ ≥ 1
 * requires identification (E_RANK otherwise); for κ < 1 an under-identified system is fitted without
 * the IV diagnostics.
 */
export function kClass(a: IvArgs & { kappa: number }): LinearFit {
  checkArgs(a, [...IV_KEYS, 'kappa'], 'kClass');
  const kappa = checkKappa(a?.kappa);
  // κ < 1 keeps X'(I − κM_Z)X positive definite without identification (e.g. IVL's k-class form).
  const d = prepareIv(a, { requireIdentified: kappa >= 1, caller: 'kClass' });
  return ivFit(d, kappa, 'kclass', a);
}
