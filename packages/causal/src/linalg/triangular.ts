import { type Mat, zeros } from './matrix.js';
import type { PivotedQr } from './qr.js';

/**
 * T = P R⁻¹ (p × p) of a full-rank pivoted QR A P = Q R, so that (AᵀA)⁻¹ = T Tᵀ and A T = Q.
 * Built by back substitution on the identity, never through AᵀA: its error grows like cond(A)·ε,
 * not cond(A)²·ε. `right` (p × k, optional) is applied first: T = P R⁻¹ · right.
 */
export function pinvFactor(qr: PivotedQr, right?: Mat): Mat {
  const p = qr.R.cols;
  const R = qr.R;
  const k = right?.cols ?? p;
  const out = zeros(p, k);
  const z = new Float64Array(p);
  for (let c = 0; c < k; c++) {
    for (let i = p - 1; i >= 0; i--) {
      let s = right === undefined ? (i === c ? 1 : 0) : right.data[i * k + c]!;
      for (let j = i + 1; j < p; j++) s -= R.data[i * R.cols + j]! * z[j]!;
      z[i] = s / R.data[i * R.cols + i]!;
    }
    for (let i = 0; i < p; i++) out.data[qr.perm[i]! * k + c] = z[i]!;
  }
  return out;
}

/**
 * gᵀ(AᵀA)⁻¹g = ‖R⁻ᵀ Pᵀ g‖² for a full-rank pivoted QR A P = Q R (forward substitution with Rᵀ).
 */
export function inverseQuadForm(qr: PivotedQr, g: ArrayLike<number>): number {
  const p = qr.R.cols;
  const R = qr.R;
  const z = new Float64Array(p);
  let s2 = 0;
  for (let i = 0; i < p; i++) {
    let s = g[qr.perm[i]!]!;
    for (let j = 0; j < i; j++) s -= R.data[j * R.cols + i]! * z[j]!;
    z[i] = s / R.data[i * R.cols + i]!;
    s2 += z[i]! * z[i]!;
  }
  return s2;
}
