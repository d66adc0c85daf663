import type { Problem } from '../problem.js';
import { objective } from './objective.js';
import { coordinates, penaltyFns, type SolveOutput, type SolveSettings } from './settings.js';
import { smoothGradient } from './smoothGradient.js';

/**
 * The accelerated gradient method for nonconvex composite problems with speed restart (spec §6.1): three
 * sequences (md, x, ag), α_k = 2/(1 + √(1 + 4/α²)), long step s/α, restart when the ℓ2 length of the md step
 * shrank (at least 3 iterations after the last restart). Returns `ag`, the output of a proximal step (exactly
 * sparse). Coordinates outside `cols` stay at 0.
 * @internal
 */
export function solveAg(prob: Problem, theta0: Float64Array, cols: Int32Array | null, s: SolveSettings): SolveOutput {
  const { d, off, n } = prob;
  const { qgrad, value } = penaltyFns(s);
  const coords = coordinates(off, prob.p, cols);
  const x = new Float64Array(d);
  for (const c of coords) x[c] = theta0[c]!;
  const ag = Float64Array.from(x);
  const md = Float64Array.from(x);
  const g = new Float64Array(d);
  const w = new Float64Array(n);
  const step = s.step;
  const lam = s.lambda;
  const restarts: number[] = [];
  const tA = s.trace ? new Float64Array(s.maxIter) : undefined;
  const tS = s.trace ? new Float64Array(s.maxIter) : undefined;
  const tF = s.trace ? new Float64Array(s.maxIter) : undefined;
  let alpha = 1;
  let kr = 0;
  let dPrev2 = Number.NaN;
  let dPrev = Number.NaN;
  let k = 0;
  let converged = false;
  for (k = 1; k <= s.maxIter; k++) {
    if (s.restart && k - kr >= 3 && dPrev2 > dPrev) {
      alpha = 1;
      kr = k;
      restarts.push(k);
    } else alpha = 2 / (1 + Math.sqrt(1 + 4 / (alpha * alpha)));
    const eta = step / alpha;
    let dist2 = 0;
    let mdStepInf = 0;
    for (const c of coords) {
      const v = (1 - alpha) * ag[c]! + alpha * x[c]!;
      const dv = v - md[c]!;
      dist2 += dv * dv;
      if (Math.abs(dv) > mdStepInf) mdStepInf = Math.abs(dv);
      md[c] = v;
    }
    const dist = Math.sqrt(dist2);
    dPrev2 = dPrev;
    dPrev = dist;
    smoothGradient(prob, md, cols, qgrad, w, g);
    let gapInf = 0;
    for (const c of coords) {
      const gc = g[c]!;
      const vx = x[c]! - eta * gc;
      const va = md[c]! - step * gc;
      if (c < off) {
        x[c] = vx;
        ag[c] = va;
      } else {
        const tx = eta * lam;
        const ta = step * lam;
        x[c] = vx > tx ? vx - tx : vx < -tx ? vx + tx : 0;
        ag[c] = va > ta ? va - ta : va < -ta ? va + ta : 0;
      }
      const gap = Math.abs(md[c]! - ag[c]!);
      if (gap > gapInf) gapInf = gap;
    }
    if (s.trace) {
      tA![k - 1] = alpha;
      tS![k - 1] = dist;
      tF![k - 1] = objective(prob, ag, value, w);
    }
    const pass = s.stop === 'gradient-mapping' ? gapInf / step < s.tol : k >= 3 && mdStepInf < s.tol;
    if (pass) {
      converged = true;
      break;
    }
  }
  const iterations = converged ? k : s.maxIter;
  const out: SolveOutput = { theta: ag, iterations, converged, restarts };
  if (s.trace) {
    out.trace = {
      alpha: tA!.slice(0, iterations),
      speed: tS!.slice(0, iterations),
      objective: tF!.slice(0, iterations),
    };
  }
  return out;
}
