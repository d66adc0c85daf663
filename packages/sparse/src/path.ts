import { DroError, describeValue } from '@drojs/dro-core/host';
import { runAsync, runSync, type Steps } from './drive.js';
import { fullLossGradient, prepare, runSolver, type StepInfo, solveSettings, stepInfo } from './fit.js';
import { lambdaGrid, lambdaMaxOf } from './lambda.js';
import { deviance } from './loss.js';
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
import type { Problem } from './problem.js';
import { type PathCore, SparsePath } from './sparsePath.js';
import type { Matrix, Progress, Vector } from './types.js';

/** Options of {@link fitPath}. */
export interface PathOptions extends ModelOptions, SolverOptions {
  /** A strictly decreasing grid of λ ≥ 0 (overrides nLambda and lambdaMinRatio). */
  lambdas?: Vector;
  /** Grid size (default 50). */
  nLambda?: number;
  /** Last grid value over λ_max (default 0.001 when n > p, else 0.05). */
  lambdaMinRatio?: number;
  /** Sequential strong rule with KKT re-checks (default true). */
  strongRule?: boolean;
  /** Stop once the deviance falls below this share of the null deviance (default 0.01; 0 disables). */
  saturation?: number;
}

export const PATH_SCHEMA = {
  ...MODEL_SCHEMA,
  ...SOLVER_SCHEMA,
  lambdas: opt.any(),
  nLambda: opt.integer({ min: 1 }),
  lambdaMinRatio: opt.number({ min: 0, max: 1, minExclusive: true, maxExclusive: true }),
  strongRule: opt.boolean(),
  saturation: opt.number({ min: 0, max: 1, maxExclusive: true }),
};

/** Validated path options. @internal */
export interface ResolvedPath {
  model: ResolvedModel;
  solver: ResolvedSolver;
  lambdas: Float64Array | undefined;
  nLambda: number;
  lambdaMinRatio: number | undefined;
  strongRule: boolean;
  saturation: number;
}

/** Checks user λ values: finite (E_NONFINITE), ≥ 0 and strictly decreasing (E_SPEC). @internal */
export function checkLambdas(v: unknown): Float64Array {
  if (v === null || typeof v !== 'object' || typeof (v as { length?: unknown }).length !== 'number') {
    throw new DroError('E_SPEC', 'lambdas must be an array of numbers', {
      argument: 'lambdas',
      received: describeValue(v),
    });
  }
  const a = v as ArrayLike<unknown>;
  if (a.length === 0) throw new DroError('E_EMPTY', 'lambdas is empty', { argument: 'lambdas' });
  const out = new Float64Array(a.length);
  for (let k = 0; k < a.length; k++) {
    const x = a[k];
    if (typeof x !== 'number') {
      throw new DroError('E_SPEC', `lambdas[${k}] is not a number`, {
        argument: 'lambdas',
        received: describeValue(x),
      });
    }
    if (!Number.isFinite(x)) throw new DroError('E_NONFINITE', `lambdas[${k}] is not finite`, { argument: 'lambdas' });
    if (x < 0) throw new DroError('E_SPEC', `lambdas[${k}] is negative`, { argument: 'lambdas', received: String(x) });
    if (k > 0 && !(x < out[k - 1]!)) {
      throw new DroError('E_SPEC', 'lambdas must be strictly decreasing', {
        argument: 'lambdas',
        received: `lambdas[${k - 1}] = ${out[k - 1]}, lambdas[${k}] = ${x}`,
      });
    }
    out[k] = x;
  }
  return out;
}

export function resolvePath(o: PathOptions): ResolvedPath {
  return {
    model: resolveModel(o),
    solver: resolveSolver(o),
    lambdas: o.lambdas === undefined ? undefined : checkLambdas(o.lambdas),
    nLambda: o.nLambda ?? 50,
    lambdaMinRatio: o.lambdaMinRatio,
    strongRule: o.strongRule ?? true,
    saturation: o.saturation ?? 0.01,
  };
}

/** The requested grid of a problem: the user's λ or the default log grid from λ_max. @internal */
export function requestedGrid(prob: Problem, lmax: number, r: ResolvedPath): Float64Array {
  if (r.lambdas !== undefined) return r.lambdas;
  return lambdaGrid(lmax, {
    n: prob.n,
    p: prob.p,
    nLambda: r.nLambda,
    ...(r.lambdaMinRatio === undefined ? {} : { lambdaMinRatio: r.lambdaMinRatio }),
  });
}

/**
 * The path algorithm (spec §7.3) on a prepared problem: warm starts from the null model, sequential strong
 * rule with KKT re-checks, saturation stop. Yields after every λ. @internal
 */
export function* pathSteps(prob: Problem, r: ResolvedPath, grid?: Float64Array): Steps<SparsePath> {
  const { model: m, solver: s } = r;
  const lm = lambdaMaxOf(prob);
  const lambdas = grid ?? requestedGrid(prob, lm.lambdaMax, r);
  const info: StepInfo = stepInfo(prob, m, s);
  const K = lambdas.length;
  const { p, off } = prob;
  let theta = lm.theta0;
  let g = lm.gradient;
  let lamPrev = Math.max(lm.lambdaMax, lambdas[0]!);
  const work = new Float64Array(prob.n);
  const d0 = deviance(prob, theta, work);
  const core: PathCore = {
    lambdaMax: lm.lambdaMax,
    lambdas,
    saturatedAt: null,
    thetas: [],
    iterations: new Int32Array(K),
    converged: [],
    kktAdded: new Int32Array(K),
    deviance: new Float64Array(K),
  };
  const inA = new Uint8Array(p);
  let fitted = 0;
  for (let k = 0; k < K; k++) {
    const lam = lambdas[k]!;
    const st = solveSettings(m, { ...s, trace: false }, lam, info.step);
    let iters = 0;
    let added = 0;
    let converged = true;
    if (r.strongRule) {
      const thr = 2 * lam - lamPrev;
      for (let j = 0; j < p; j++) inA[j] = Math.abs(g[off + j]!) >= thr || theta[off + j] !== 0 ? 1 : 0;
      for (;;) {
        const cols: number[] = [];
        for (let j = 0; j < p; j++) if (inA[j] === 1) cols.push(j);
        const out = runSolver(prob, theta, Int32Array.from(cols), st);
        theta = out.theta;
        iters += out.iterations;
        converged = out.converged;
        g = fullLossGradient(prob, theta);
        let violations = 0;
        const bound = lam * (1 + 1e-6);
        for (let j = 0; j < p; j++) {
          if (inA[j] === 0 && Math.abs(g[off + j]!) > bound) {
            inA[j] = 1;
            violations++;
          }
        }
        if (violations === 0) break;
        added += violations;
      }
    } else {
      const out = runSolver(prob, theta, null, st);
      theta = out.theta;
      iters = out.iterations;
      converged = out.converged;
      g = fullLossGradient(prob, theta);
    }
    const dev = deviance(prob, theta, work);
    if (r.saturation > 0 && dev < r.saturation * d0) {
      core.saturatedAt = k;
      break;
    }
    core.thetas.push(theta);
    core.iterations[k] = iters;
    core.converged.push(converged);
    core.kktAdded[k] = added;
    core.deviance[k] = dev;
    fitted = k + 1;
    lamPrev = lam;
    yield [k + 1, K];
  }
  core.lambdas = lambdas.slice(0, fitted);
  core.iterations = core.iterations.slice(0, fitted);
  core.kktAdded = core.kktAdded.slice(0, fitted);
  core.deviance = core.deviance.slice(0, fitted);
  return new SparsePath(prob, m, info, core);
}

function start(X: Matrix, y: Vector, o: PathOptions | undefined, caller: string): Steps<SparsePath> {
  checkOptions(o, PATH_SCHEMA, caller);
  const r = resolvePath(o ?? {});
  const prob = prepare(X, y, r.model);
  return pathSteps(prob, r);
}

/**
 * Fits a penalised model along a decreasing λ grid with warm starts (spec §7.3).
 * @throws DroError as {@link fitPenalized}; E_SPEC for bad grid options.
 */
export function fitPath(X: Matrix, y: Vector, o?: PathOptions): SparsePath {
  return runSync(start(X, y, o, 'fitPath'));
}

/**
 * {@link fitPath} yielding to the event loop between λ values, with progress and an AbortSignal.
 * @throws DroError E_ABORTED when aborted, else as {@link fitPath}.
 */
export async function fitPathAsync(X: Matrix, y: Vector, o?: PathOptions & Progress): Promise<SparsePath> {
  const { onProgress, signal, ...rest } = o ?? {};
  checkOptions({ onProgress, signal }, { onProgress: opt.function(), signal: opt.signal() }, 'fitPathAsync');
  const steps = start(X, y, rest, 'fitPathAsync');
  return runAsync(steps, { ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) }, 'fitPathAsync');
}
