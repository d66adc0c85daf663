/** `KL(p‖u) = Σ p_i log(n p_i)` (zero terms contribute 0). */
export function klToUniform(p: ArrayLike<number>): number {
  const n = p.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = p[i]!;
    if (v > 0) s += v * Math.log(n * v);
  }
  return Math.max(0, s);
}

/** `χ²(p‖u) = (1/(2n)) Σ (n p_i − 1)²` — the generator `(t − 1)²/2` of Levy et al. 2020. */
export function chi2ToUniform(p: ArrayLike<number>): number {
  const n = p.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = n * p[i]! - 1;
    s += d * d;
  }
  return s / (2 * n);
}

/** `TV(p, u) = ½ Σ |p_i − 1/n|`. */
export function tvToUniform(p: ArrayLike<number>): number {
  const n = p.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(p[i]! - 1 / n);
  return s / 2;
}
