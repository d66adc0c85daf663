// Where the Clopper–Pearson lower bound stands against ½, decided without rounding. The bound exceeds ½
// exactly when P(Bin(n, ½) ≥ k) < α (the tail increases in p), so the question is a comparison of the
// dyadic rational S/2ⁿ (S = Σ_{j≥k} C(n, j)) with the double α — no root is needed. A float64 log-space
// evaluation decides it unless the two agree to 10⁻⁹ relative; then the sum is done in BigInt.

import { logBinomGe, probFromSmall } from './binomialTail.js';

/** Relative margin on the tail within which the float64 evaluation (good to ~10⁻¹³) defers to exact arithmetic. */
const LOG_TIE_MARGIN = 1e-9;

/** The largest n for which a near-tie is settled by the exact BigInt sum (about 10 ms at this size). */
export const EXACT_TIE_MAX_N = 2 ** 15;

/** α as m·2^e with a whole m (exact for every double). */
function dyadic(alpha: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, alpha);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const rawExp = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (rawExp === 0) return { m: frac, e: -1074 };
  return { m: frac | (1n << 52n), e: rawExp - 1075 };
}

/** Sign of Σ_{j≥k} C(n, j) − α·2ⁿ in exact integer arithmetic. */
function exactSign(k: number, n: number, alpha: number): -1 | 0 | 1 {
  // Sum the shorter side: S = Σ_{j≥k} directly, or 2ⁿ − Σ_{j<k}.
  let s = 0n;
  let c = 1n; // C(n, 0)
  if (2 * k > n) {
    for (let j = 0; j < n - k + 1; j++) {
      s += c; // C(n, n − j) = C(n, j)
      c = (c * BigInt(n - j)) / BigInt(j + 1);
    }
  } else {
    let low = 0n;
    for (let j = 0; j < k; j++) {
      low += c;
      c = (c * BigInt(n - j)) / BigInt(j + 1);
    }
    s = (1n << BigInt(n)) - low;
  }
  const { m, e } = dyadic(alpha);
  const shift = e + n;
  const lhs = shift >= 0 ? s : s << BigInt(-shift);
  const rhs = shift >= 0 ? m << BigInt(shift) : m;
  return lhs === rhs ? 0 : lhs > rhs ? 1 : -1;
}

/**
 * Compares the one-sided Clopper–Pearson lower bound for k of n at level alpha with ½: 1 if it is
 * above, 0 if it equals ½ exactly, −1 if below. Exact for n ≤ {@link EXACT_TIE_MAX_N}; above that a
 * near-tie the float64 evaluation cannot settle (|ln G(½) − ln α| ≤ 10⁻⁹) returns −1, the side on which
 * a certificate abstains (sound: it never certifies a bound that might not exceed ½). Inputs are
 * assumed valid (0 ≤ k ≤ n, 0 < alpha < 1).
 */
export function compareLowerToHalf(k: number, n: number, alpha: number): -1 | 0 | 1 {
  if (k === 0) return -1;
  // Symmetry gives the one tie that occurs at every odd n: P(Bin(n, ½) ≥ (n + 1)/2) = ½ exactly.
  if (alpha === 0.5 && 2 * k === n + 1) return 0;
  const diff = logBinomGe(k, n, probFromSmall(0.5, -Math.LN2, false)) - Math.log(alpha);
  if (diff < -LOG_TIE_MARGIN) return 1;
  if (diff > LOG_TIE_MARGIN) return -1;
  if (n > EXACT_TIE_MAX_N) return -1;
  const sign = exactSign(k, n, alpha);
  return sign === 0 ? 0 : sign > 0 ? -1 : 1;
}
