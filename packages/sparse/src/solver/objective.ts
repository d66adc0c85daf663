import { residual } from '../loss.js';
import type { Problem } from '../problem.js';

/**
 * F(θ) = ℓ(θ) + Σ_j p_λ(|b_j|) on the standardised problem.
 * @internal
 */
export function objective(prob: Problem, theta: Float64Array, value: (t: number) => number, w: Float64Array): number {
  let f = residual(prob, theta, null, w);
  for (let j = 0; j < prob.p; j++) {
    const b = theta[prob.off + j]!;
    if (b !== 0) f += value(b);
  }
  return f;
}
