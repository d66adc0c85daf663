/**
 * Divergences between a distribution `p` and a nominal distribution `q` over the same outcomes, in dro-core's
 * conventions (Round 2, R2.4). Entries with `q_k = 0` and `p_k > 0` make KL and χ² infinite (`p` is not
 * absolutely continuous with respect to `q`); TV is always finite.
 */

/** `KL(p‖q) = Σ p_k log(p_k / q_k)` (terms with `p_k = 0` contribute 0). */
export function klTo(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < p.length; k++) {
    const pk = p[k]!;
    if (pk <= 0) continue;
    const qk = q[k]!;
    if (qk <= 0) return Number.POSITIVE_INFINITY;
    s += pk * Math.log(pk / qk);
  }
  return Math.max(0, s);
}

/** `χ²(p‖q) = ½ Σ (p_k − q_k)² / q_k` — half the Pearson χ² (the generator `(t − 1)²/2`). */
export function chi2To(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < p.length; k++) {
    const qk = q[k]!;
    const d = p[k]! - qk;
    if (qk <= 0) {
      if (p[k]! > 0) return Number.POSITIVE_INFINITY;
      continue;
    }
    s += (d * d) / qk;
  }
  return s / 2;
}

/** `TV(p, q) = ½ Σ |p_k − q_k|`. */
export function tvTo(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < p.length; k++) s += Math.abs(p[k]! - q[k]!);
  return s / 2;
}
