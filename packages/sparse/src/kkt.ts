import { penaltyDerivativeFn } from './penalty.js';
import type { Problem } from './problem.js';
import type { PenaltyName } from './types.js';

/**
 * The KKT violation of θ (spec §6.4) given the full loss gradient `g` at θ: |∇ℓ| for the intercept,
 * |∇ℓ + sign(b)·p'(|b|)| on non-zero coefficients and max(|∇ℓ| − λ, 0) on zero ones.
 * @internal
 */
export function kktViolation(
  prob: Problem,
  theta: Float64Array,
  g: Float64Array,
  penalty: PenaltyName,
  lambda: number,
  a: number,
  gamma: number,
): number {
  const dp = penaltyDerivativeFn(penalty, lambda, a, gamma);
  let worst = 0;
  if (prob.off === 1) worst = Math.abs(g[0]!);
  for (let j = 0; j < prob.p; j++) {
    const c = prob.off + j;
    const b = theta[c]!;
    const v = b === 0 ? Math.max(Math.abs(g[c]!) - lambda, 0) : Math.abs(g[c]! + Math.sign(b) * dp(b));
    if (v > worst) worst = v;
  }
  return worst;
}
