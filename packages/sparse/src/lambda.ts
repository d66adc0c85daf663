import { checkNumber, DroError } from '@drojs/dro-core/host';
import { toColumns, toVector } from './input.js';
import { lossLipschitz } from './lipschitz.js';
import { lossGradient, residual } from './loss.js';
import { MODEL_SCHEMA, type ModelOptions, resolveModel } from './modelOptions.js';
import { checkOptions } from './options.js';
import { buildProblem, nullTheta, type Problem } from './problem.js';
import type { Matrix, Vector } from './types.js';

/** L_loss of a problem (spec §5). @internal */
export function lipschitzOf(prob: Problem): number {
  return lossLipschitz(prob);
}

/**
 * λ_max of a prepared problem: max_j |∇_jℓ(θ₀)| by the solver's own gradient routine, so that the fit at
 * λ_max is exactly the null model. Also returns that gradient. @internal
 */
export function lambdaMaxOf(prob: Problem): { lambdaMax: number; gradient: Float64Array; theta0: Float64Array } {
  const theta0 = nullTheta(prob);
  const w = new Float64Array(prob.n);
  const g = new Float64Array(prob.d);
  residual(prob, theta0, null, w);
  lossGradient(prob, w, null, g);
  let lm = 0;
  for (let j = 0; j < prob.p; j++) lm = Math.max(lm, Math.abs(g[prob.off + j]!));
  return { lambdaMax: lm, gradient: g, theta0 };
}

/**
 * The smallest λ at which the null model is stationary for every penalty (spec §7.1).
 * @throws DroError as {@link fitPenalized} for the data and model options.
 */
export function lambdaMax(X: Matrix, y: Vector, o?: ModelOptions): number {
  checkOptions(o, MODEL_SCHEMA, 'lambdaMax');
  const m = resolveModel(o ?? {});
  const c = toColumns(X, 'X');
  const prob = buildProblem(c, toVector(y, 'y', c.n), m.family, m.intercept, m.standardize);
  return lambdaMaxOf(prob).lambdaMax;
}

/**
 * The default log grid λ_k = λ_max·r^{k/(K−1)}, k = 0…K−1 (first value exactly λ_max); r defaults to
 * 0.001 when n > p, else 0.05 (ncvreg's defaults).
 * @throws DroError E_SPEC (nLambda < 1, lambdaMinRatio ∉ (0, 1), bad n or p), E_NONFINITE (λ_max).
 */
export function lambdaGrid(
  lambdaMax: number,
  o: { n: number; p: number; nLambda?: number; lambdaMinRatio?: number },
): Float64Array {
  if (typeof lambdaMax === 'number' && !Number.isFinite(lambdaMax)) {
    throw new DroError('E_NONFINITE', 'lambdaMax is not finite', { argument: 'lambdaMax' });
  }
  checkNumber(lambdaMax, 'lambdaMax', { min: 0 });
  if (o === undefined || o === null)
    throw new DroError('E_SPEC', 'lambdaGrid: options n and p are required', { argument: 'n' });
  checkNumber(o.n, 'n', { min: 1, integer: true });
  checkNumber(o.p, 'p', { min: 1, integer: true });
  const K = o.nLambda === undefined ? 50 : checkNumber(o.nLambda, 'nLambda', { min: 1, integer: true });
  const r =
    o.lambdaMinRatio === undefined
      ? o.n > o.p
        ? 0.001
        : 0.05
      : checkNumber(o.lambdaMinRatio, 'lambdaMinRatio', { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const out = new Float64Array(K);
  out[0] = lambdaMax;
  const lr = Math.log(r);
  for (let k = 1; k < K; k++) out[k] = lambdaMax * Math.exp((k / (K - 1)) * lr);
  return out;
}
