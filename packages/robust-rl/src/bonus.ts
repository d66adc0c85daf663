/** Form of the pessimism bonus Γ_h(φ) (robust-rl spec §3.4). */
export type BonusForm = 'diag' | 'dsum' | 'full';

/**
 * The pessimism bonus `Γ_h(φ)` for `Λ_h⁻¹` (d × d, row-major):
 * `'diag'`: β·sqrt(Σ_i φ_i² (Λ⁻¹)_ii) (the R2PVI/DRPVI code); `'dsum'`: β·Σ_i φ_i sqrt((Λ⁻¹)_ii) (d-rectangular
 * theory); `'full'`: β·sqrt(φᵀΛ⁻¹φ) = β‖φ‖_{Λ⁻¹} (PEVI).
 */
export function bonus(form: BonusForm, beta: number, lambdaInv: ArrayLike<number>, phi: ArrayLike<number>): number {
  if (beta === 0) return 0;
  const d = phi.length;
  let s = 0;
  if (form === 'diag') {
    for (let i = 0; i < d; i++) s += phi[i]! * phi[i]! * lambdaInv[i * d + i]!;
    return beta * Math.sqrt(Math.max(s, 0));
  }
  if (form === 'dsum') {
    for (let i = 0; i < d; i++) if (phi[i] !== 0) s += phi[i]! * Math.sqrt(Math.max(lambdaInv[i * d + i]!, 0));
    return beta * s;
  }
  for (let i = 0; i < d; i++) {
    if (phi[i] === 0) continue;
    let t = 0;
    for (let j = 0; j < d; j++) t += lambdaInv[i * d + j]! * phi[j]!;
    s += phi[i]! * t;
  }
  return beta * Math.sqrt(Math.max(s, 0));
}
