import { opt, type Rule } from './options.js';
import { checkPenaltyParams } from './penalty.js';
import type { Family, PenaltyName } from './types.js';

/** Model options (spec §11). */
export interface ModelOptions {
  /** 'gaussian' (default) or 'binomial'. */
  family?: Family;
  /** 'mcp' (default), 'scad' or 'lasso'. */
  penalty?: PenaltyName;
  /** SCAD's a > 2 (default 3.7). */
  a?: number;
  /** MCP's γ > 1 (default 3). */
  gamma?: number;
  /** Fit an unpenalised intercept (default true). */
  intercept?: boolean;
  /** Scale columns to unit 1/n variance (default true). */
  standardize?: boolean;
}

/** Solver options (spec §11). */
export interface SolverOptions {
  /** 'ag' (accelerated, default) or 'ista'. */
  solver?: 'ag' | 'ista';
  /** Speed restart of the accelerated method (default true). */
  restart?: boolean;
  /** Stopping rule (default 'gradient-mapping'). */
  stop?: 'gradient-mapping' | 'iterate';
  /** Tolerance ≥ 0 (default 1e-7; 0 runs exactly maxIter iterations). */
  tol?: number;
  /** Iteration cap (default 10000); reaching it is `converged: false`, not an error. */
  maxIter?: number;
  /** Step = stepScale / L, in (0, 1] (default 0.99). */
  stepScale?: number;
  /** Overrides L_loss (the loss part of L only). */
  lipschitz?: number;
  /** Record per-iteration α, step length and objective (default false). */
  trace?: boolean;
}

export const MODEL_SCHEMA: Record<string, Rule> = {
  family: opt.oneOf(['gaussian', 'binomial']),
  penalty: opt.oneOf(['lasso', 'scad', 'mcp']),
  a: opt.number({ min: 2, minExclusive: true }),
  gamma: opt.number({ min: 1, minExclusive: true }),
  intercept: opt.boolean(),
  standardize: opt.boolean(),
};

export const SOLVER_SCHEMA: Record<string, Rule> = {
  solver: opt.oneOf(['ag', 'ista']),
  restart: opt.boolean(),
  stop: opt.oneOf(['gradient-mapping', 'iterate']),
  tol: opt.number({ min: 0 }),
  maxIter: opt.integer({ min: 1 }),
  stepScale: opt.number({ min: 0, minExclusive: true, max: 1 }),
  lipschitz: opt.number({ min: 0, minExclusive: true }),
  trace: opt.boolean(),
};

/** Model options with defaults applied. @internal */
export interface ResolvedModel {
  family: Family;
  penalty: PenaltyName;
  a: number;
  gamma: number;
  kappa: number;
  intercept: boolean;
  standardize: boolean;
}

/** Solver options with defaults applied (step not yet known). @internal */
export interface ResolvedSolver {
  solver: 'ag' | 'ista';
  restart: boolean;
  stop: 'gradient-mapping' | 'iterate';
  tol: number;
  maxIter: number;
  stepScale: number;
  lipschitz: number | undefined;
  trace: boolean;
}

export function resolveModel(o: ModelOptions): ResolvedModel {
  const p = checkPenaltyParams(o.penalty ?? 'mcp', o.a, o.gamma);
  return {
    family: o.family ?? 'gaussian',
    penalty: p.name,
    a: p.a,
    gamma: p.gamma,
    kappa: p.kappa,
    intercept: o.intercept ?? true,
    standardize: o.standardize ?? true,
  };
}

export function resolveSolver(o: SolverOptions): ResolvedSolver {
  return {
    solver: o.solver ?? 'ag',
    restart: o.restart ?? true,
    stop: o.stop ?? 'gradient-mapping',
    tol: o.tol ?? 1e-7,
    maxIter: o.maxIter ?? 10000,
    stepScale: o.stepScale ?? 0.99,
    lipschitz: o.lipschitz,
    trace: o.trace ?? false,
  };
}
