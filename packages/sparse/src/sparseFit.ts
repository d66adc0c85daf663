import { DroError } from '@drojs/dro-core/host';
import { toColumns } from './input.js';
import { sigmoid } from './loss.js';
import { checkOptions, opt } from './options.js';
import type { Family, Matrix, PenaltyName } from './types.js';

/** The plain-number form of a fit (`SparseFit.toJSON()`). */
export interface SparseFitJson {
  family: Family;
  penalty: PenaltyName;
  lambda: number;
  a?: number;
  gamma?: number;
  intercept: number;
  coef: number[];
  interceptStandardized: number;
  coefStandardized: number[];
  center: number[];
  scale: number[];
  df: number;
  active: number[];
  objective: number;
  kktMax: number;
  iterations: number;
  converged: boolean;
  restarts: number[];
  lipschitzLoss: number;
  lipschitz: number;
  step: number;
}

/** Everything a fit holds (constructor argument). @internal */
export interface SparseFitParts {
  family: Family;
  penalty: PenaltyName;
  lambda: number;
  a?: number;
  gamma?: number;
  intercept: number;
  coef: Float64Array;
  interceptStandardized: number;
  coefStandardized: Float64Array;
  center: Float64Array;
  scale: Float64Array;
  objective: number;
  kktMax: number;
  iterations: number;
  converged: boolean;
  restarts: number[];
  lipschitzLoss: number;
  lipschitz: number;
  step: number;
  trace?: { alpha?: Float64Array; speed?: Float64Array; objective: Float64Array };
}

/** Linear predictor β₀ + Xβ of a column-major design. @internal */
export function linearPredictor(data: Float64Array, n: number, intercept: number, coef: Float64Array): Float64Array {
  const eta = new Float64Array(n).fill(intercept);
  for (let j = 0; j < coef.length; j++) {
    const b = coef[j]!;
    if (b === 0) continue;
    const o = j * n;
    for (let i = 0; i < n; i++) eta[i] = eta[i]! + b * data[o + i]!;
  }
  return eta;
}

/**
 * A penalised fit at one λ: a value (no state). Coefficients on the original scale (`coef`, `intercept`)
 * and on the solver's standardised scale, with diagnostics (objective F on the standardised problem, KKT
 * violation, iterations, restarts, Lipschitz constants and step).
 */
export class SparseFit {
  readonly family: Family;
  readonly penalty: PenaltyName;
  readonly lambda: number;
  readonly a?: number;
  readonly gamma?: number;
  readonly intercept: number;
  readonly coef: Float64Array;
  readonly interceptStandardized: number;
  readonly coefStandardized: Float64Array;
  readonly center: Float64Array;
  readonly scale: Float64Array;
  /** Number of non-zero coefficients (intercept not counted). */
  readonly df: number;
  /** Indices of the non-zero coefficients. */
  readonly active: Int32Array;
  readonly objective: number;
  readonly kktMax: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly restarts: number[];
  readonly lipschitzLoss: number;
  readonly lipschitz: number;
  readonly step: number;
  readonly trace?: { alpha?: Float64Array; speed?: Float64Array; objective: Float64Array };

  /** @internal */
  constructor(parts: SparseFitParts) {
    this.family = parts.family;
    this.penalty = parts.penalty;
    this.lambda = parts.lambda;
    if (parts.a !== undefined) this.a = parts.a;
    if (parts.gamma !== undefined) this.gamma = parts.gamma;
    this.intercept = parts.intercept;
    this.coef = parts.coef;
    this.interceptStandardized = parts.interceptStandardized;
    this.coefStandardized = parts.coefStandardized;
    this.center = parts.center;
    this.scale = parts.scale;
    const act: number[] = [];
    for (let j = 0; j < parts.coef.length; j++) if (parts.coefStandardized[j] !== 0) act.push(j);
    this.active = Int32Array.from(act);
    this.df = act.length;
    this.objective = parts.objective;
    this.kktMax = parts.kktMax;
    this.iterations = parts.iterations;
    this.converged = parts.converged;
    this.restarts = parts.restarts;
    this.lipschitzLoss = parts.lipschitzLoss;
    this.lipschitz = parts.lipschitz;
    this.step = parts.step;
    if (parts.trace !== undefined) this.trace = parts.trace;
  }

  /**
   * Predictions for new rows: the linear predictor (`'link'`, default) or, for a binomial fit, σ(η)
   * (`'response'`; equal to the link for Gaussian fits).
   * @throws DroError E_SHAPE (wrong number of columns), E_NONFINITE, E_EMPTY, E_SPEC (unknown option).
   */
  predict(X: Matrix, o?: { type?: 'link' | 'response' }): Float64Array {
    checkOptions(o, { type: opt.oneOf(['link', 'response']) }, 'SparseFit.predict');
    const c = toColumns(X, 'X');
    if (c.p !== this.coef.length) {
      throw new DroError('E_SHAPE', 'X has the wrong number of columns', {
        argument: 'X',
        expected: `${this.coef.length} columns`,
        received: String(c.p),
      });
    }
    const eta = linearPredictor(c.data, c.n, this.intercept, this.coef);
    if (o?.type === 'response' && this.family === 'binomial')
      for (let i = 0; i < eta.length; i++) eta[i] = sigmoid(eta[i]!);
    return eta;
  }

  /** Plain numbers, enough to predict and to report. */
  toJSON(): SparseFitJson {
    return {
      family: this.family,
      penalty: this.penalty,
      lambda: this.lambda,
      ...(this.a !== undefined ? { a: this.a } : {}),
      ...(this.gamma !== undefined ? { gamma: this.gamma } : {}),
      intercept: this.intercept,
      coef: Array.from(this.coef),
      interceptStandardized: this.interceptStandardized,
      coefStandardized: Array.from(this.coefStandardized),
      center: Array.from(this.center),
      scale: Array.from(this.scale),
      df: this.df,
      active: Array.from(this.active),
      objective: this.objective,
      kktMax: this.kktMax,
      iterations: this.iterations,
      converged: this.converged,
      restarts: [...this.restarts],
      lipschitzLoss: this.lipschitzLoss,
      lipschitz: this.lipschitz,
      step: this.step,
    };
  }
}
