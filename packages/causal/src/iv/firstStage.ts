import { chi2Sf, fSf } from '@drojs/dro-core/host';
import { checkArgs, IV_KEYS } from '../args.js';
import { lstsq, residualize } from '../linalg/lstsq.js';
import { column, type Mat, matvec, selectRows, sumSq, zeros } from '../linalg/matrix.js';
import { columnScales, defaultRankTol, pivotedQr } from '../linalg/qr.js';
import { inverseQuadForm, pinvFactor } from '../linalg/triangular.js';
import { type IvDesign, prepareIv } from './design.js';
import { excludedBasis, minPencilRoot } from './liml.js';
import type { Diagnostic, FirstStage, IvArgs } from './types.js';

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

/** Diagonal of T Tᵀ: the squared row norms of T. */
function rowNormsSq(T: Mat): Float64Array {
  const out = new Float64Array(T.rows);
  for (let i = 0; i < T.rows; i++) for (let k = 0; k < T.cols; k++) out[i]! += T.data[i * T.cols + k]! ** 2;
  return out;
}

/** A = diag(u) Q T_exᵀ (n × q), the square root of the HC0 covariance of the excluded block: V_ex = AᵀA. */
function hc0Root(Q: Mat, Tex: Mat, u: Float64Array, eMax: number): Mat {
  const n = Q.rows;
  const kz = Q.cols;
  const q = Tex.rows;
  // Residual entries below n·ε·max|E_j| are rounding noise (M_Z E is only known to that absolute
  // accuracy); left in, they make an exactly singular covariance look regular with a 1e30 statistic.
  const floor = n * 2 ** -52 * eMax;
  const A = zeros(n, q);
  for (let i = 0; i < n; i++) {
    if (Math.abs(u[i]!) <= floor) continue;
    for (let a = 0; a < q; a++) {
      let s = 0;
      for (let k = 0; k < kz; k++) s += Q.data[i * kz + k]! * Tex.data[a * kz + k]!;
      A.data[i * q + a] = u[i]! * s;
    }
  }
  return A;
}

/**
 * HC0 Wald statistic gᵀV_ex⁻¹g of the excluded-instrument block. With Z P = Q R and T = P R⁻¹,
 * V = T Qᵀdiag(u²)Q Tᵀ, so V_ex = AᵀA for A = diag(u) Q T_exᵀ (n × q) and the statistic is
 * ‖R_A⁻ᵀ P_Aᵀ g‖² from the QR of A: accurate like the coefficients, no normal equations. When A is
 * rank deficient the statistic does not exist and the reason is returned instead of a throw.
 */
function robustWaldOf(A: Mat, g: Float64Array, tol: number | undefined): Diagnostic {
  const n = A.rows;
  const q = A.cols;
  const qr = pivotedQr(A, tol ?? defaultRankTol(n, q));
  if (qr.rank < q) {
    return {
      available: false,
      reason: `the robust covariance of the excluded-instrument coefficients is singular (rank ${qr.rank} of ${q})`,
    };
  }
  const stat = inverseQuadForm(qr, g);
  if (!Number.isFinite(stat)) return { available: false, reason: `the Wald statistic is not finite (${stat})` };
  return { stat, df: q, pValue: chi2Sf(stat, q), distribution: 'chi2' };
}

/** First-stage diagnostics of every endogenous regressor and the Cragg–Donald statistic. */
export function firstStageOf(d: IvDesign): { stages: FirstStage[]; craggDonald: number } {
  const { n, Z, E, QZ, QW } = d;
  const kZ = Z.cols;
  const pW = d.W.cols;
  const q = d.Zex.cols;
  const m = E.cols;
  const qrZ = pivotedQr(Z, d.rankTol ?? defaultRankTol(n, kZ));
  const coef = lstsq(Z, E, { argument: 'instruments', names: d.zNames, rankTol: d.rankTol });
  const U = residualize(QZ, E); // first-stage residuals M_Z E
  const R = residualize(QW, E); // M_W E
  const Tz = pinvFactor(qrZ); // (Z'Z)⁻¹ = Tz Tzᵀ, Z Tz = Q
  const exIdx = Array.from({ length: q }, (_, j) => pW + j);
  const Tex = selectRows(Tz, exIdx);
  const Ztil = residualize(QW, d.Zex); // M_W Z_ex
  const qrTil = pivotedQr(Ztil, defaultRankTol(n, q), columnScales(d.Zex));
  // Shea: [(X'X)⁻¹]_jj / [(X̂'X̂)⁻¹]_jj from row norms of P R⁻¹ of X and of X̂ = Q_Zᵀ X.
  const p = d.X.cols;
  const XtXinvDiag = rowNormsSq(pinvFactor(pivotedQr(d.X, d.rankTol ?? defaultRankTol(n, p))));
  const qrXh = pivotedQr(d.QX, d.rankTol ?? defaultRankTol(d.QX.rows, p), columnScales(d.X));
  const XhXhinvDiag = qrXh.rank < p ? null : rowNormsSq(pinvFactor(qrXh));
  const stages: FirstStage[] = [];
  for (let j = 0; j < m; j++) {
    const u = column(U, j);
    const rssU = sumSq(u);
    const rssR = sumSq(column(R, j));
    const c = column(coef, j);
    const tss = centredTss(column(E, j), d.hasConst);
    const partialF = (rssR - rssU) / q / (rssU / (n - kZ));
    const g = Float64Array.from(exIdx, (k) => c[k]!);
    const eMax = column(E, j).reduce((mx, v) => Math.max(mx, Math.abs(v)), 0);
    const A = hc0Root(qrZ.Q, Tex, u, eMax);
    const robustWald = robustWaldOf(A, g, d.rankTol);
    let effectiveF: number | undefined;
    if (m === 1) {
      // Montiel Olea–Pflueger: ‖Z̃g‖² / tr(V_ex Z̃ᵀZ̃), the trace as ‖A P Rᵀ‖²_F with Z̃ P = Q R: no cross product.
      const num = sumSq(matvec(Ztil, g));
      const Rt = qrTil.R;
      let tr = 0;
      for (let i = 0; i < n; i++)
        for (let l = 0; l < qrTil.rank; l++) {
          let s = 0;
          for (let k = l; k < q; k++) s += A.data[i * q + qrTil.perm[k]!]! * Rt.data[l * q + k]!;
          tr += s * s;
        }
      effectiveF = num / tr;
    }
    const col = pW + j;
    const shea = XhXhinvDiag === null ? 0 : XtXinvDiag[col]! / XhXhinvDiag[col]!;
    stages.push({
      endog: d.endogNames[j]!,
      coef: Array.from(c),
      rsquared: 1 - rssU / tss,
      partialRsquared: 1 - rssU / rssR,
      partialF: { stat: partialF, df: [q, n - kZ], pValue: fSf(partialF, q, n - kZ), distribution: 'F' },
      partialFNoDof: (partialF * (n - kZ)) / n,
      robustWald,
      ...(effectiveF === undefined ? {} : { effectiveF }),
      sheaPartialRsquared: shea,
    });
  }
  // Cragg–Donald: λ_min(Σ_VV^{-1/2} Π'Z̃'Z̃Π Σ_VV^{-1/2}) / q with Z̃Π = P_ex E and Σ_VV = U'U/(n − k_Z),
  // i.e. (n − k_Z)/q · σ_min(Q_exᵀE R_U⁻¹)² from orthogonal factors (NaN when U is rank deficient).
  const root = minPencilRoot(d, excludedBasis(d), E);
  const craggDonald = root === null ? Number.NaN : (root * (n - kZ)) / q;
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
