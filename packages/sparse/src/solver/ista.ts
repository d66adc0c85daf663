import type { Problem } from '../problem.js';
import { objective } from './objective.js';
import { coordinates, penaltyFns, type SolveOutput, type SolveSettings } from './settings.js';
import { smoothGradient } from './smoothGradient.js';

/**
 * Proximal gradient (ISTA) on the same split and step as the accelerated method (spec §6.2): the baseline.
 * @internal
 */
export function solveIsta(prob: Problem, theta0: Float64Array, cols: Int32Array | null, s: SolveSettings): SolveOutput {
  const { d, off, n } = prob;
  const { qgrad, value } = penaltyFns(s);
  const coords = coordinates(off, prob.p, cols);
  const theta = new Float64Array(d);
  for (const c of coords) theta[c] = theta0[c]!;
  const g = new Float64Array(d);
  const w = new Float64Array(n);
  const step = s.step;
  const tau = step * s.lambda;
  const tF = s.trace ? new Float64Array(s.maxIter) : undefined;
  let k = 0;
  let converged = false;
  for (k = 1; k <= s.maxIter; k++) {
    smoothGradient(prob, theta, cols, qgrad, w, g);
    let diffInf = 0;
    for (const c of coords) {
      const v = theta[c]! - step * g[c]!;
      const t = c < off ? v : v > tau ? v - tau : v < -tau ? v + tau : 0;
      const dv = Math.abs(t - theta[c]!);
      if (dv > diffInf) diffInf = dv;
      theta[c] = t;
    }
    if (s.trace) tF![k - 1] = objective(prob, theta, value, w);
    const pass = s.stop === 'gradient-mapping' ? diffInf / step < s.tol : diffInf < s.tol;
    if (pass) {
      converged = true;
      break;
    }
  }
  const iterations = converged ? k : s.maxIter;
  const out: SolveOutput = { theta, iterations, converged, restarts: [] };
  if (s.trace) out.trace = { objective: tF!.slice(0, iterations) };
  return out;
}
