import { DroError } from '@drojs/dro-core';
import { checkArgs, IVL_KEYS } from '../args.js';
import { type Matrix, toMat } from '../hostData.js';
import { interceptFromMeans } from '../interceptCentering.js';
import { lstsq, lstsqMinNorm } from '../linalg/lstsq.js';
import { axpby, crossprod, type Mat, matmul, matvec, sub, vcat } from '../linalg/matrix.js';
import { svd, svdRank } from '../linalg/svd.js';
import { checkAlpha, type IvlArgs, type IvlDesign, prepareIvl } from './ivlDesign.js';

export type { IvlArgs } from './ivlDesign.js';

/** An IVL_α fit: coefficients on GX (applied to un-augmented X at prediction time). */
export interface IvlFit {
  coef: number[];
  /** 0 when `intercept: false`. */
  intercept: number;
  alpha: number;
  /** k-class parameter 1/(1 + α). */
  kappa: number;
  /** Anchor-regression parameter 1 + 1/α (Infinity at α = 0). */
  anchorGamma: number;
  /** False when the IV part alone does not identify h (α = 0 with rank(P_G GX) < p). */
  identified: boolean;
  instrumentRank: number;
  predict(X: Matrix): Float64Array;
  toJSON(): object;
}

export function makeIvlFit(d: IvlDesign, h: ArrayLike<number>, alpha: number, identified: boolean): IvlFit {
  const coef = Array.from(h);
  const intercept = interceptFromMeans(d, coef);
  const kappa = alpha === Number.POSITIVE_INFINITY ? 0 : 1 / (1 + alpha);
  const anchorGamma = alpha === 0 ? Number.POSITIVE_INFINITY : 1 + 1 / alpha;
  return {
    coef,
    intercept,
    alpha,
    kappa,
    anchorGamma,
    identified,
    instrumentRank: d.instrumentRank,
    predict(X: Matrix) {
      const M = toMat(X, 'X', 'ivlRegression');
      if (M.cols !== d.p)
        throw new DroError('E_SHAPE', `X has ${M.cols} columns, the fit has ${d.p}`, { argument: 'X' });
      const out = matvec(M, coef);
      for (let i = 0; i < out.length; i++) out[i]! += intercept;
      return out;
    },
    toJSON() {
      return { coef, intercept, alpha, kappa, anchorGamma, identified, instrumentRank: d.instrumentRank };
    },
  };
}

/** Rank of Q'GX (whether the IV part identifies h). */
function ivRank(d: IvlDesign): number {
  if (d.QX.rows === 0) return 0;
  return svdRank(svd(d.QX).s, d.rankTol ?? Math.max(d.QX.rows, d.QX.cols) * 2 ** -52);
}

/** Solves IVL_α on a prepared design. */
export function solveIvl(d: IvlDesign, alpha: number, solver: 'stacked' | 'transform' = 'stacked'): IvlFit {
  const ctx = { argument: 'GX', rankTol: d.rankTol };
  if (alpha === Number.POSITIVE_INFINITY) {
    return makeIvlFit(d, lstsq(d.Rx, d.Qxy, ctx).data, alpha, true);
  }
  if (alpha === 0) {
    const r = lstsqMinNorm(d.QX, d.Qy.data, d.rankTol ?? Math.max(d.QX.rows, d.QX.cols) * 2 ** -52);
    return makeIvlFit(d, r.x, 0, r.rank === d.p);
  }
  const identified = true; // α > 0: the ERM term identifies h whenever GX has full rank
  if (solver === 'transform') {
    // K = (√(1+α) − √α)P_G + √α I, K'K = P_G + αI: OLS of Ky on K·GX.
    const c = Math.sqrt(1 + alpha) - Math.sqrt(alpha);
    const sa = Math.sqrt(alpha);
    const K = (A: Mat) => axpby(c, d.Q.cols > 0 ? matmul(d.Q, crossprod(d.Q, A)) : axpby(0, A, 0, A), sa, A);
    const yM: Mat = { rows: d.n, cols: 1, data: d.y };
    return makeIvlFit(d, lstsq(K(d.GX), K(yM), ctx).data, alpha, identified);
  }
  // Stacked small problem: [Q'GX; √α R_x] h ≈ [Q'y; √α Q_x'y].
  const sa = Math.sqrt(alpha);
  const A = vcat(d.QX, axpby(sa, d.Rx, 0, d.Rx));
  const b = vcat(d.Qy, axpby(sa, d.Qxy, 0, d.Qxy));
  return makeIvlFit(d, lstsq(A, b, ctx).data, alpha, identified);
}

/**
 * IVL_α regression (Akbar et al. 2025): argmin_h ‖P_G(y − GX h)‖² + α‖y − GX h‖², α ≥ 0 required
 * (no default). α = ∞ is DA+ERM (OLS on GX); α = 0 is 2SLS with instruments G, returned as the
 * minimum-norm solution with `identified: false` when under-identified (never an error).
 * Equals k-class κ = 1/(1 + α) and anchor regression γ = 1 + 1/α. `solver: 'transform'` uses the
 * authors' K-transform (a cross-check; same estimator).
 */
export function ivlRegression(a: IvlArgs & { alpha: number; solver?: 'stacked' | 'transform' }): IvlFit {
  checkArgs(a, [...IVL_KEYS, 'alpha', 'solver'], 'ivlRegression');
  const alpha = checkAlpha(a?.alpha);
  const d = prepareIvl(a);
  return solveIvl(d, alpha, a.solver ?? 'stacked');
}

/** IVL along a list of α, sharing the projections (one small solve per α). */
export function ivlPath(a: IvlArgs & { alphas: number[] }): IvlFit[] {
  checkArgs(a, [...IVL_KEYS, 'alphas'], 'ivlPath');
  if (!Array.isArray(a?.alphas) || a.alphas.length === 0)
    throw new DroError('E_SPEC', 'alphas must be a non-empty array', { argument: 'alphas' });
  for (const [i, al] of a.alphas.entries()) checkAlpha(al, `alphas[${i}]`);
  const d = prepareIvl(a);
  return a.alphas.map((al) => solveIvl(d, al));
}

/**
 * α → 0⁺ limit ("DA+IVL"): ERM restricted to the 2SLS solution set. h₀ = minimum-norm 2SLS, N a
 * basis of null(Q'GX), h = h₀ + N·argmin‖(y − GX h₀) − GX N z‖. Equals 2SLS when identified.
 */
export function ivlLimit(a: IvlArgs): IvlFit {
  checkArgs(a, IVL_KEYS, 'ivlLimit');
  const d = prepareIvl(a);
  const r = lstsqMinNorm(d.QX, d.Qy.data, d.rankTol ?? Math.max(d.QX.rows, d.QX.cols) * 2 ** -52);
  const h = Float64Array.from(r.x);
  if (r.nullBasis.cols > 0) {
    // ‖y − GX h‖² = ‖Q_x'y − R_x h‖² + const: work on the p × p factor.
    const resid = sub(d.Qxy.data, matvec(d.Rx, h));
    const RN = matmul(d.Rx, r.nullBasis);
    const z = lstsq(RN, { rows: resid.length, cols: 1, data: resid }, { argument: 'GX', rankTol: d.rankTol }).data;
    const Nz = matvec(r.nullBasis, z);
    for (let j = 0; j < h.length; j++) h[j]! += Nz[j]!;
  }
  return makeIvlFit(d, h, 0, r.rank === d.p);
}

/** IVL_Π: the point of the 2SLS solution set closest to ĥ_ERM, ĥ_ERM − A⁺(Aĥ_ERM − b). */
export function ivlProjected(a: IvlArgs): IvlFit {
  checkArgs(a, IVL_KEYS, 'ivlProjected');
  const d = prepareIvl(a);
  const hErm = lstsq(d.Rx, d.Qxy, { argument: 'GX', rankTol: d.rankTol }).data;
  // A = (Q'GX)'(Q'GX), b = (Q'GX)'Q'y; A⁺(A h − b) = (Q'GX)⁺(Q'GX h − Q'y).
  const r = sub(matvec(d.QX, hErm), d.Qy.data);
  const corr = lstsqMinNorm(d.QX, r, d.rankTol ?? Math.max(d.QX.rows, d.QX.cols) * 2 ** -52);
  const h = hErm.map((v, j) => v - corr.x[j]!);
  return makeIvlFit(d, h, 0, ivRank(d) === d.p);
}
