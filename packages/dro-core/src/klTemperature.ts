/** What the KL-constrained temperature search needs from an exponential tilt at temperature λ. */
export interface KlTiltAt {
  /** KL(p_λ‖q) of the tilted weights. */
  kl: number;
  /** Var_{p_λ}(l), so that dKL/d(log λ) = −Var/λ². */
  variance: number;
}

/**
 * The temperature λ* with `KL(p_λ‖q) = ρ` for an exponential tilt `p_λ ∝ q·exp(l/λ)`, shared by the uniform
 * (`solveWeights`' `kl-constrained`) and the nominal (`worstCaseExpectation`) solvers: bracket from `hi0` (the
 * loss range, doubled until KL < ρ) and halved until KL > ρ, then a safeguarded Newton step on t = log λ
 * (bisection when the step leaves the bracket, or with `solver: 'bisection'`). KL decreases in λ.
 */
export function klTemperatureRoot<E extends KlTiltAt>(
  evalAt: (lambda: number) => E,
  rho: number,
  hi0: number,
  tol: number,
  maxIter: number,
  solver: 'newton' | 'bisection',
): { lambda: number; ev: E; iterations: number; converged: boolean } {
  const g = (lam: number) => evalAt(lam).kl - rho;
  let hi = hi0;
  while (g(hi) >= 0) hi *= 2;
  let lo = hi / 2;
  while (g(lo) <= 0) lo /= 2;
  let tLo = Math.log(lo);
  let tHi = Math.log(hi);
  let t = (tLo + tHi) / 2;
  let ev = evalAt(Math.exp(t));
  let iterations = 0;
  let converged = false;
  while (iterations < maxIter) {
    iterations++;
    const f = ev.kl - rho;
    if (Math.abs(f) <= tol) {
      converged = true;
      break;
    }
    // KL decreases in λ: f > 0 means λ is too small.
    if (f > 0) tLo = t;
    else tHi = t;
    if (Math.exp(tHi - tLo) <= 1 + 1e-15) {
      converged = true;
      break;
    }
    let next = (tLo + tHi) / 2;
    if (solver === 'newton' && ev.variance > 0) {
      const lam = Math.exp(t);
      const slope = -ev.variance / (lam * lam); // dKL/dt
      const cand = t - f / slope;
      if (cand > tLo && cand < tHi) next = cand;
    }
    t = next;
    ev = evalAt(Math.exp(t));
  }
  return { lambda: Math.exp(t), ev, iterations, converged };
}
