// Host float64 pair losses of Crome (spec crome.md §3.1–3.2): ℓ(Δ; t) = t·softplus(−Δ) + (1−t)·softplus(Δ).

/**
 * `softplus(z) = log(1 + e^z)` as `max(z, 0) + log1p(exp(−|z|))`: exact for large |z| (no overflow, no
 * cancellation), float64.
 */
export function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** The logistic `σ(z)`, in the branch that never forms `e^{large}`: `1/(1+e^{−z})` for z ≥ 0, `e^z/(1+e^z)` below. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Pair loss with a soft target: `ℓ(Δ; t) = −t·log σ(Δ) − (1−t)·log σ(−Δ)`, where `Δ = r(chosen) − r(rejected)`
 * and `t = P(chosen ≻ rejected)`. Computed in the symmetric form `t·softplus(−Δ) + (1−t)·softplus(Δ)`:
 * the algebraically equal `softplus(−Δ) + (1−t)·Δ` cancels to 0 at `t = 0, Δ = −40` (true value 4.2e−18).
 */
export function pairLoss(delta: number, target: number): number {
  // Skip a zero-weighted term so that 0·softplus(±800) stays 0 (it is finite anyway, but exact zeros keep t ∈ {0, 1} exact).
  const a = target === 0 ? 0 : target * softplus(-delta);
  const b = target === 1 ? 0 : (1 - target) * softplus(delta);
  return a + b;
}

/** `∂ℓ(Δ; t)/∂Δ = σ(Δ) − t`. */
export function pairLossGrad(delta: number, target: number): number {
  return sigmoid(delta) - target;
}

/** Bradley–Terry negative log-likelihood `ℓ(Δ; 1) = softplus(−Δ)` (`chosen` preferred). */
export function bradleyTerryLoss(delta: number): number {
  return pairLoss(delta, 1);
}

/**
 * Tie loss of a neutral pair `ℓ(Δ; ½) = log(2·cosh(Δ/2))`: even in Δ, minimum `log 2` at Δ = 0, gradient
 * `½·tanh(Δ/2)` (bounded by ½). ⚠ Reconstructed form (spec §3.2): binary cross-entropy with target ½.
 */
export function tieLoss(delta: number): number {
  return pairLoss(delta, 0.5);
}
