import { checkNumber, DroError } from '@drojs/dro-core/host';
import { argminFirst, pathCriteria } from './criteria.js';
import { makeFit, type StepInfo } from './fit.js';
import type { ResolvedModel } from './modelOptions.js';
import { checkOptions, opt } from './options.js';
import { backTransform, type Problem } from './problem.js';
import type { SparseFit } from './sparseFit.js';

/** What the path algorithm produced, on the standardised scale. @internal */
export interface PathCore {
  lambdaMax: number;
  lambdas: Float64Array;
  saturatedAt: number | null;
  thetas: Float64Array[];
  iterations: Int32Array;
  converged: boolean[];
  kktAdded: Int32Array;
  deviance: Float64Array;
}

/**
 * A fitted λ path (only the fitted λ are listed; `saturatedAt` is the index in the requested grid where the
 * saturation stop ended it). Coefficients on the original scale.
 */
export class SparsePath {
  readonly lambdaMax: number;
  readonly lambdas: Float64Array;
  readonly saturatedAt: number | null;
  readonly intercepts: Float64Array;
  readonly coefs: Float64Array[];
  readonly df: Int32Array;
  readonly deviance: Float64Array;
  readonly iterations: Int32Array;
  readonly converged: boolean[];
  readonly kktAdded: Int32Array;
  readonly #prob: Problem;
  readonly #model: ResolvedModel;
  readonly #info: StepInfo;
  readonly #core: PathCore;

  /** @internal */
  constructor(prob: Problem, model: ResolvedModel, info: StepInfo, core: PathCore) {
    this.#prob = prob;
    this.#model = model;
    this.#info = info;
    this.#core = core;
    this.lambdaMax = core.lambdaMax;
    this.lambdas = core.lambdas;
    this.saturatedAt = core.saturatedAt;
    const K = core.lambdas.length;
    this.intercepts = new Float64Array(K);
    this.coefs = [];
    this.df = new Int32Array(K);
    for (let k = 0; k < K; k++) {
      const theta = core.thetas[k]!;
      const bt = backTransform(prob, theta);
      this.intercepts[k] = bt.intercept;
      this.coefs.push(bt.coef);
      let df = 0;
      for (let j = 0; j < prob.p; j++) if (theta[prob.off + j] !== 0) df++;
      this.df[k] = df;
    }
    this.deviance = core.deviance;
    this.iterations = core.iterations;
    this.converged = core.converged;
    this.kktAdded = core.kktAdded;
  }

  /** EBIC (γ_e default 1), BIC and AIC at every fitted λ (spec §7.4). */
  criteria(o?: { ebicGamma?: number }): { ebic: Float64Array; bic: Float64Array; aic: Float64Array } {
    checkOptions(o, { ebicGamma: opt.number({ min: 0 }) }, 'SparsePath.criteria');
    const { n, p, intercept, family } = this.#prob;
    return pathCriteria(family, n, p, intercept, this.deviance, this.df, o?.ebicGamma ?? 1);
  }

  /** The first index minimising a criterion (default EBIC with γ_e = 1) and its fit. */
  select(o?: { criterion?: 'ebic' | 'bic' | 'aic'; ebicGamma?: number }): {
    index: number;
    lambda: number;
    fit: SparseFit;
  } {
    checkOptions(
      o,
      { criterion: opt.oneOf(['ebic', 'bic', 'aic']), ebicGamma: opt.number({ min: 0 }) },
      'SparsePath.select',
    );
    const c = this.criteria(o?.ebicGamma === undefined ? undefined : { ebicGamma: o.ebicGamma });
    const index = argminFirst(c[o?.criterion ?? 'ebic']);
    return { index, lambda: this.lambdas[index]!, fit: this.fitAt(index) };
  }

  /** The full fit value at a fitted λ index. @throws DroError E_INDEX_RANGE. */
  fitAt(index: number): SparseFit {
    checkNumber(index, 'index', { min: 0, max: this.lambdas.length - 1, integer: true }, 'E_INDEX_RANGE');
    const c = this.#core;
    return makeFit(
      this.#prob,
      this.#model,
      c.lambdas[index]!,
      { theta: c.thetas[index]!, iterations: c.iterations[index]!, converged: c.converged[index]!, restarts: [] },
      this.#info,
    );
  }

  /** The path cut to its first m λ values (cross-validation scores only those). @internal */
  truncate(m: number): SparsePath {
    if (m >= this.lambdas.length) return this;
    if (m < 1) throw new DroError('E_INTERNAL', 'a path keeps at least one λ', { argument: 'm' });
    const c = this.#core;
    return new SparsePath(this.#prob, this.#model, this.#info, {
      lambdaMax: c.lambdaMax,
      lambdas: c.lambdas.slice(0, m),
      saturatedAt: c.saturatedAt,
      thetas: c.thetas.slice(0, m),
      iterations: c.iterations.slice(0, m),
      converged: c.converged.slice(0, m),
      kktAdded: c.kktAdded.slice(0, m),
      deviance: c.deviance.slice(0, m),
    });
  }

  /** Plain numbers (original-scale coefficients, centring and scaling). */
  toJSON(): object {
    return {
      family: this.#prob.family,
      penalty: this.#model.penalty,
      lambdaMax: this.lambdaMax,
      lambdas: Array.from(this.lambdas),
      saturatedAt: this.saturatedAt,
      intercepts: Array.from(this.intercepts),
      coefs: this.coefs.map((c) => Array.from(c)),
      df: Array.from(this.df),
      deviance: Array.from(this.deviance),
      iterations: Array.from(this.iterations),
      converged: [...this.converged],
      kktAdded: Array.from(this.kktAdded),
      center: Array.from(this.#prob.center),
      scale: Array.from(this.#prob.scale),
    };
  }
}
