import { DroError, describeValue } from '@drojs/dro-core/host';
import { toColumns, toVector } from './input.js';
import { kktViolation } from './kkt.js';
import { lipschitzOf } from './lambda.js';
import { lossGradient, residual } from './loss.js';
import {
  MODEL_SCHEMA,
  type ModelOptions,
  type ResolvedModel,
  type ResolvedSolver,
  resolveModel,
  resolveSolver,
  SOLVER_SCHEMA,
  type SolverOptions,
} from './modelOptions.js';
import { checkOptions, opt } from './options.js';
import { checkLambda, penaltyValueFn } from './penalty.js';
import { backTransform, buildProblem, nullTheta, type Problem, standardizedIntercept } from './problem.js';
import { solveAg } from './solver/ag.js';
import { solveIsta } from './solver/ista.js';
import { objective } from './solver/objective.js';
import type { SolveOutput, SolveSettings } from './solver/settings.js';
import { SparseFit } from './sparseFit.js';
import type { Matrix, Vector } from './types.js';

/** Options of {@link fitPenalized}. */
export interface FitOptions extends ModelOptions, SolverOptions {
  /** The penalty level λ ≥ 0 (required). */
  lambda: number;
  /** Start on the standardised scale (default the null model θ₀). */
  init?: { intercept?: number; coef: Vector };
}

const FIT_SCHEMA = { ...MODEL_SCHEMA, ...SOLVER_SCHEMA, lambda: opt.any(), init: opt.object() };

/** Validates X and y and builds the standardised problem. @internal */
export function prepare(X: Matrix, y: Vector, m: ResolvedModel): Problem {
  const cols = toColumns(X, 'X');
  const yy = toVector(y, 'y', cols.n);
  return buildProblem(cols, yy, m.family, m.intercept, m.standardize);
}

/** Step and Lipschitz constants of a problem (spec §5). @internal */
export interface StepInfo {
  lipschitzLoss: number;
  lipschitz: number;
  step: number;
}

export function stepInfo(prob: Problem, m: ResolvedModel, s: ResolvedSolver): StepInfo {
  const lipschitzLoss = s.lipschitz ?? lipschitzOf(prob);
  const lipschitz = Math.max(lipschitzLoss, m.kappa);
  return { lipschitzLoss, lipschitz, step: s.stepScale / lipschitz };
}

export function solveSettings(m: ResolvedModel, s: ResolvedSolver, lambda: number, step: number): SolveSettings {
  return {
    penalty: m.penalty,
    lambda,
    a: m.a,
    gamma: m.gamma,
    solver: s.solver,
    restart: s.restart,
    stop: s.stop,
    tol: s.tol,
    maxIter: s.maxIter,
    step,
    trace: s.trace,
  };
}

/** Runs the chosen solver. @internal */
export function runSolver(
  prob: Problem,
  theta0: Float64Array,
  cols: Int32Array | null,
  st: SolveSettings,
): SolveOutput {
  return st.solver === 'ag' ? solveAg(prob, theta0, cols, st) : solveIsta(prob, theta0, cols, st);
}

/** Full loss gradient at θ (all coordinates). @internal */
export function fullLossGradient(prob: Problem, theta: Float64Array): Float64Array {
  const w = new Float64Array(prob.n);
  const g = new Float64Array(prob.d);
  residual(prob, theta, null, w);
  lossGradient(prob, w, null, g);
  return g;
}

/** Builds the fit value from a solution θ. @internal */
export function makeFit(
  prob: Problem,
  m: ResolvedModel,
  lambda: number,
  out: SolveOutput,
  info: StepInfo,
  gradient?: Float64Array,
): SparseFit {
  const theta = out.theta;
  const g = gradient ?? fullLossGradient(prob, theta);
  const { intercept, coef } = backTransform(prob, theta);
  const w = new Float64Array(prob.n);
  return new SparseFit({
    family: prob.family,
    penalty: m.penalty,
    lambda,
    ...(m.penalty === 'scad' ? { a: m.a } : {}),
    ...(m.penalty === 'mcp' ? { gamma: m.gamma } : {}),
    intercept,
    coef,
    interceptStandardized: standardizedIntercept(prob, theta),
    coefStandardized: theta.slice(prob.off),
    center: prob.center,
    scale: prob.scale,
    objective: objective(prob, theta, penaltyValueFn(m.penalty, lambda, m.a, m.gamma), w),
    kktMax: kktViolation(prob, theta, g, m.penalty, lambda, m.a, m.gamma),
    iterations: out.iterations,
    converged: out.converged,
    restarts: out.restarts,
    ...info,
    ...(out.trace ? { trace: out.trace } : {}),
  });
}

function initTheta(prob: Problem, init: FitOptions['init']): Float64Array {
  const t = nullTheta(prob);
  if (init === undefined) return t;
  if (init.coef === undefined) {
    throw new DroError('E_SPEC', 'init.coef is required when init is given', {
      argument: 'init.coef',
      received: 'undefined',
    });
  }
  const c = toVector(init.coef, 'init.coef', prob.p);
  t.set(c, prob.off);
  if (init.intercept !== undefined) {
    if (typeof init.intercept !== 'number') {
      throw new DroError('E_SPEC', 'init.intercept must be a number', {
        argument: 'init.intercept',
        received: describeValue(init.intercept),
      });
    }
    if (!Number.isFinite(init.intercept)) {
      throw new DroError('E_NONFINITE', 'init.intercept is not finite', { argument: 'init.intercept' });
    }
    if (prob.off === 1) t[0] = init.intercept;
  }
  return t;
}

/**
 * Fits a penalised Gaussian or logistic model at one λ by the accelerated nonconvex proximal gradient
 * (or ISTA) on the standardised problem, from the null model unless `init` is given.
 *
 * @example
 * ```ts
 * const fit = fitPenalized(X, y, { penalty: 'mcp', lambda: 0.1 });
 * fit.coef; fit.kktMax; fit.predict(Xnew);
 * ```
 * @throws DroError E_SHAPE, E_NONFINITE, E_EMPTY, E_LABEL_RANGE, E_RANK (constant column), E_SPEC.
 */
export function fitPenalized(X: Matrix, y: Vector, o: FitOptions): SparseFit {
  if (o === undefined || o === null) {
    throw new DroError('E_SPEC', 'fitPenalized: options with lambda are required', { argument: 'lambda' });
  }
  checkOptions(o, FIT_SCHEMA, 'fitPenalized');
  const lambda = checkLambda(o.lambda);
  const m = resolveModel(o);
  const s = resolveSolver(o);
  const prob = prepare(X, y, m);
  const theta0 = initTheta(prob, o.init);
  const info = stepInfo(prob, m, s);
  const out = runSolver(prob, theta0, null, solveSettings(m, s, lambda, info.step));
  return makeFit(prob, m, lambda, out, info);
}
