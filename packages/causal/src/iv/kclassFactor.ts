import { DroError } from '@drojs/dro-core';
import { residualize } from '../linalg/lstsq.js';
import { axpby, type Mat, matmul, vcat, zeros } from '../linalg/matrix.js';
import { columnScales, defaultRankTol, pivotedQr } from '../linalg/qr.js';
import { svd } from '../linalg/svd.js';
import { pinvFactor } from '../linalg/triangular.js';
import type { IvDesign } from './design.js';

/**
 * Square-root factors of the k-class bread B = X'(I − κM_Z)X, from orthogonal factorisations only:
 * B⁻¹ = T Tᵀ and X̃ T = K with X̃ = (1 − κ)X + κP_Z X. Every covariance is T (Kᵀ Ω K) Tᵀ and the
 * coefficients are T Kᵀ y, so nothing is ever squared into normal equations: the error of every
 * reported quantity grows like cond(X̂)·ε, as that of the coefficients does.
 */
export interface KclassFactor {
  T: Mat; // p × p
  K: Mat; // n × p
}

function notPd(kappa: number, kappaLiml: number | undefined, why: string): DroError {
  return new DroError(
    'E_RANK',
    `the k-class matrix X'(I − κM_Z)X is not positive definite at κ = ${kappa}${kappaLiml === undefined ? '' : ` (κ_LIML = ${kappaLiml})`}: ${why}`,
    { argument: 'kappa', received: String(kappa) },
  );
}

/**
 * κ ≤ 1: B = AᵀA with A = [√κ QᵀX; √(1 − κ) X] stacked, so T = P R⁻¹ from the QR of A and
 * K = √(1 − κ)Q_bottom + √κ Q_Z Q_top.
 * κ > 1: QᵀX P = Q₁R₁, G = M_Z X P R₁⁻¹ = U S Vᵀ gives B = R₁ᵀ(I − (κ − 1)GᵀG)R₁, so
 * T = P R₁⁻¹ V diag(1/√(1 − (κ − 1)s²)) and K = (Q_Z Q₁ + (1 − κ)G) V diag(·); B is positive
 * definite exactly when (κ − 1)s²_max < 1 (E_RANK otherwise).
 */
export function kclassFactor(d: IvDesign, kappa: number, kappaLiml?: number): KclassFactor {
  const n = d.n;
  const p = d.X.cols;
  const scales = columnScales(d.X);
  const tol = d.rankTol;
  if (kappa <= 1) {
    const sk = Math.sqrt(kappa);
    const s1 = Math.sqrt(1 - kappa);
    const parts: Mat[] = [];
    if (kappa > 0) parts.push(axpby(sk, d.QX, 0, d.QX));
    if (kappa < 1) parts.push(axpby(s1, d.X, 0, d.X));
    const A = vcat(...parts);
    const qr = pivotedQr(A, tol ?? defaultRankTol(A.rows, A.cols), scales);
    if (qr.rank < p) throw notPd(kappa, kappaLiml, `rank ${qr.rank} of ${p}`);
    const T = pinvFactor(qr);
    const K = zeros(n, p);
    const kz = kappa > 0 ? d.QX.rows : 0;
    if (kappa > 0) {
      const top: Mat = { rows: kz, cols: p, data: qr.Q.data.subarray(0, kz * p) };
      const PQ = matmul(d.QZ, top);
      for (let i = 0; i < n * p; i++) K.data[i] = sk * PQ.data[i]!;
    }
    if (kappa < 1) for (let i = 0; i < n * p; i++) K.data[i]! += s1 * qr.Q.data[kz * p + i]!;
    return { T, K };
  }
  const qr1 = pivotedQr(d.QX, tol ?? defaultRankTol(d.QX.rows, p), scales);
  if (qr1.rank < p) throw notPd(kappa, kappaLiml, `rank(P_Z X) = ${qr1.rank} < ${p}`);
  const T1 = pinvFactor(qr1);
  const G = matmul(residualize(d.QZ, d.X), T1);
  const { s, V } = svd(G);
  const w = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    const c = 1 - (kappa - 1) * s[k]! ** 2;
    if (!(c > 0)) throw notPd(kappa, kappaLiml, `1 − (κ − 1)σ² = ${c} for a singular value σ = ${s[k]}`);
    w[k] = 1 / Math.sqrt(c);
  }
  const Vw = zeros(p, p);
  for (let i = 0; i < p; i++) for (let k = 0; k < p; k++) Vw.data[i * p + k] = V.data[i * p + k]! * w[k]!;
  const T = matmul(T1, Vw);
  const base = matmul(d.QZ, qr1.Q);
  for (let i = 0; i < n * p; i++) base.data[i]! += (1 - kappa) * G.data[i]!;
  return { T, K: matmul(base, Vw) };
}

/** The coefficients T (Kᵀ y). */
export function kclassCoefFrom(f: KclassFactor, y: ArrayLike<number>): Float64Array {
  const { T, K } = f;
  const p = T.rows;
  const Kty = new Float64Array(p);
  for (let i = 0; i < K.rows; i++) for (let k = 0; k < p; k++) Kty[k]! += K.data[i * p + k]! * y[i]!;
  const b = new Float64Array(p);
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) b[j]! += T.data[j * p + k]! * Kty[k]!;
  return b;
}
