import { lossGradient, residual } from '../loss.js';
import type { Problem } from '../problem.js';

/**
 * ∇f(θ) = ∇ℓ(θ) + q'_λ(b_j) on penalised coordinates, for the listed columns (all when null).
 * @internal
 */
export function smoothGradient(
  prob: Problem,
  theta: Float64Array,
  cols: Int32Array | null,
  qgrad: (t: number) => number,
  w: Float64Array,
  g: Float64Array,
): void {
  residual(prob, theta, cols, w);
  lossGradient(prob, w, cols, g);
  const { off } = prob;
  const count = cols === null ? prob.p : cols.length;
  for (let k = 0; k < count; k++) {
    const c = off + (cols === null ? k : cols[k]!);
    g[c] = g[c]! + qgrad(theta[c]!);
  }
}
