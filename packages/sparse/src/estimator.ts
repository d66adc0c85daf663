import {
  checkState,
  checkStateValues,
  createRng,
  DroError,
  invalidState,
  type Rng,
  type RngState,
  type Seed,
  stateKind,
} from '@drojs/dro-core/host';
import { cvPathAsync, cvPath as cvPathSync } from './cv.js';
import { toColumns, toVector } from './input.js';
import { sigmoid } from './loss.js';
import { checkOptions, opt } from './options.js';
import { fitPathAsync, fitPath as fitPathSync, PATH_SCHEMA, type PathOptions } from './path.js';
import { SCREEN_SCHEMA, type ScreenOptions, screenAsync, screen as screenSync } from './screen/screen.js';
import { linearPredictor } from './sparseFit.js';
import type { SparsePath } from './sparsePath.js';
import type { Matrix, Progress, Vector } from './types.js';

const KIND = stateKind('sparse', 'SparseRegression');
const VERSION = 1;

/** How {@link SparseRegression} picks λ on its path. */
export type Selection = 'ebic' | 'bic' | 'aic' | 'cv-min' | 'cv-1se';

/** Options of {@link SparseRegression}: the path options plus selection, screening and the seed. */
export interface SparseRegressionOptions extends Omit<PathOptions, 'lambdas' | 'trace'> {
  /** λ selection (default 'ebic'). */
  select?: Selection;
  /** EBIC's γ_e (default 1). */
  ebicGamma?: number;
  /** Folds for 'cv-min' / 'cv-1se' (default 10). */
  folds?: number;
  /** Held-out error for cross-validation (default by family). */
  measure?: 'mse' | 'deviance' | 'class';
  /** Screen the columns first and fit on the kept ones (default: no screening). */
  screen?: Omit<ScreenOptions, 'outcome'>;
  /** Seed of the fold draws (default 0). */
  seed?: Seed;
}

/** The fitted model inside a {@link SparseRegression}. */
export interface SparseModel {
  lambda: number;
  intercept: number;
  /** One coefficient per column of X (0 for screened-out columns). */
  coef: Float64Array;
  /** The columns kept by screening (all when no screening). */
  columns: Int32Array;
  /** Index of the chosen λ on the path. */
  index: number;
}

/** Serialised state (`getState()`). */
export interface SparseRegressionState {
  kind: string;
  version: number;
  options: Record<string, unknown>;
  rng: RngState;
  model: { lambda: number; intercept: number; coef: number[]; columns: number[]; index: number } | null;
}

const SCHEMA = {
  ...Object.fromEntries(Object.entries(PATH_SCHEMA).filter(([k]) => k !== 'lambdas' && k !== 'trace')),
  select: opt.oneOf(['ebic', 'bic', 'aic', 'cv-min', 'cv-1se']),
  ebicGamma: opt.number({ min: 0 }),
  folds: opt.integer({ min: 2 }),
  measure: opt.oneOf(['mse', 'deviance', 'class']),
  screen: opt.object(),
  seed: opt.seed(),
};

const SCREEN_KEYS = Object.fromEntries(Object.entries(SCREEN_SCHEMA).filter(([k]) => k !== 'outcome'));

function zeroSign(v: number): number {
  return v === 0 ? 0 : v; // −0 is not JSON; a state must round-trip exactly
}

/**
 * A fit/predict estimator over the package: optional screening, a λ path with warm starts, λ chosen by
 * EBIC/BIC/AIC or K-fold CV (folds from the estimator's seeded RNG, which advances with every fit), and
 * predictions. Stateful under the shared contract (`getState`/`fromState`).
 *
 * @example
 * ```ts
 * const est = new SparseRegression({ penalty: 'mcp', select: 'ebic', screen: { method: 'mi-kde', keep: 100 } });
 * est.fit(X, y);
 * est.predict(Xnew);
 * ```
 */
export class SparseRegression {
  readonly options: Readonly<SparseRegressionOptions>;
  #rng: Rng;
  #model: SparseModel | null = null;

  /** @throws DroError E_SPEC for an unknown or bad option. */
  constructor(options: SparseRegressionOptions = {}) {
    checkOptions(options, SCHEMA, 'SparseRegression');
    if (options.screen !== undefined) checkOptions(options.screen, SCREEN_KEYS, 'SparseRegression screen');
    this.options = JSON.parse(JSON.stringify(options)) as SparseRegressionOptions;
    this.#rng = createRng(options.seed ?? 0);
  }

  /** The fitted model, or null before `fit`. */
  get model(): Readonly<SparseModel> | null {
    return this.#model;
  }

  #pathOptions(): PathOptions {
    const { select: _s, ebicGamma: _e, folds: _f, measure: _m, screen: _c, seed: _d, ...path } = this.options;
    return path;
  }

  #prepare(X: Matrix, y: Vector): { cols: ReturnType<typeof toColumns>; yy: Float64Array } {
    const cols = toColumns(X, 'X', 'SparseRegression.fit');
    const yy = toVector(y, 'y', cols.n, 'SparseRegression.fit');
    return { cols, yy };
  }

  #subset(cols: ReturnType<typeof toColumns>, keep: Int32Array): { data: Float64Array; rows: number; cols: number } {
    const { n } = cols;
    const data = new Float64Array(n * keep.length);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < keep.length; k++) data[i * keep.length + k] = cols.data[keep[k]! * n + i]!;
    return { data, rows: n, cols: keep.length };
  }

  #finish(path: SparsePath, index: number, p: number, keep: Int32Array): void {
    const coef = new Float64Array(p);
    const sub = path.coefs[index]!;
    for (let k = 0; k < keep.length; k++) coef[keep[k]!] = sub[k]!;
    this.#model = { lambda: path.lambdas[index]!, intercept: path.intercepts[index]!, coef, columns: keep, index };
  }

  #rowMajor(cols: ReturnType<typeof toColumns>): { data: Float64Array; rows: number; cols: number } {
    return this.#subset(
      cols,
      Int32Array.from({ length: cols.p }, (_, j) => j),
    );
  }

  /**
   * Screens (if configured), fits the path and selects λ. Inputs are validated before anything changes.
   * @throws DroError as {@link fitPath}, {@link cvPath} and {@link screen}.
   */
  fit(X: Matrix, y: Vector): this {
    const { cols, yy } = this.#prepare(X, y);
    const outcome = (this.options.family ?? 'gaussian') === 'binomial' ? 'binary' : 'continuous';
    const keep =
      this.options.screen === undefined
        ? Int32Array.from({ length: cols.p }, (_, j) => j)
        : Int32Array.from(screenSync(this.#rowMajor(cols), yy, { ...this.options.screen, outcome }).keep).sort();
    const Xs = this.#subset(cols, keep);
    const sel = this.options.select ?? 'ebic';
    if (sel === 'cv-min' || sel === 'cv-1se') {
      const rng = this.#rng.clone();
      const cv = cvPathSync(Xs, yy, { ...this.#cvOptions(), rng });
      this.#rng.u32(); // the next fit draws other folds
      this.#finish(cv.path, sel === 'cv-min' ? cv.indexMin : cv.index1se, cols.p, keep);
    } else {
      const path = fitPathSync(Xs, yy, this.#pathOptions());
      const index = path.select({ criterion: sel, ebicGamma: this.options.ebicGamma ?? 1 }).index;
      this.#finish(path, index, cols.p, keep);
    }
    return this;
  }

  #cvOptions() {
    return {
      ...this.#pathOptions(),
      ...(this.options.folds === undefined ? {} : { folds: this.options.folds }),
      ...(this.options.measure === undefined ? {} : { measure: this.options.measure }),
    };
  }

  /** {@link fit} yielding to the event loop (screening blocks, λ values or folds) with progress and an AbortSignal. */
  async fitAsync(X: Matrix, y: Vector, o?: Progress): Promise<this> {
    checkOptions(o, { onProgress: opt.function(), signal: opt.signal() }, 'SparseRegression.fitAsync');
    const { cols, yy } = this.#prepare(X, y);
    const outcome = (this.options.family ?? 'gaussian') === 'binomial' ? 'binary' : 'continuous';
    const keep =
      this.options.screen === undefined
        ? Int32Array.from({ length: cols.p }, (_, j) => j)
        : Int32Array.from(
            (await screenAsync(this.#rowMajor(cols), yy, { ...this.options.screen, outcome, ...o })).keep,
          ).sort();
    const Xs = this.#subset(cols, keep);
    const sel = this.options.select ?? 'ebic';
    if (sel === 'cv-min' || sel === 'cv-1se') {
      const rng = this.#rng.clone();
      const cv = await cvPathAsync(Xs, yy, { ...this.#cvOptions(), rng, ...o });
      this.#rng.u32();
      this.#finish(cv.path, sel === 'cv-min' ? cv.indexMin : cv.index1se, cols.p, keep);
    } else {
      const path = await fitPathAsync(Xs, yy, { ...this.#pathOptions(), ...o });
      this.#finish(path, path.select({ criterion: sel, ebicGamma: this.options.ebicGamma ?? 1 }).index, cols.p, keep);
    }
    return this;
  }

  /**
   * Predictions: the linear predictor (`'link'`, default) or σ(η) for binomial fits (`'response'`).
   * @throws DroError E_SPEC before `fit`, E_SHAPE for the wrong number of columns.
   */
  predict(X: Matrix, o?: { type?: 'link' | 'response' }): Float64Array {
    checkOptions(o, { type: opt.oneOf(['link', 'response']) }, 'SparseRegression.predict');
    const m = this.#model;
    if (m === null) throw new DroError('E_SPEC', 'SparseRegression.predict: call fit first', { argument: 'model' });
    const c = toColumns(X, 'X', 'SparseRegression.predict');
    if (c.p !== m.coef.length) {
      throw new DroError('E_SHAPE', 'SparseRegression.predict: X has the wrong number of columns', {
        argument: 'X',
        expected: `${m.coef.length} columns`,
        received: String(c.p),
      });
    }
    const eta = linearPredictor(c.data, c.n, m.intercept, m.coef);
    if (o?.type === 'response' && this.options.family === 'binomial')
      for (let i = 0; i < eta.length; i++) eta[i] = sigmoid(eta[i]!);
    return eta;
  }

  /** Printable summary of the fitted model. */
  summary(): string {
    const m = this.#model;
    if (m === null) return 'SparseRegression (not fitted)';
    const nz: string[] = [];
    m.coef.forEach((b, j) => {
      if (b !== 0) nz.push(`x${j}: ${b.toPrecision(4)}`);
    });
    return [
      `SparseRegression ${this.options.penalty ?? 'mcp'} (${this.options.family ?? 'gaussian'}), λ = ${m.lambda.toPrecision(4)} by ${this.options.select ?? 'ebic'}`,
      `intercept ${m.intercept.toPrecision(4)}; ${nz.length} non-zero of ${m.coef.length}${m.columns.length < m.coef.length ? ` (screened to ${m.columns.length})` : ''}`,
      nz.join(', '),
    ].join('\n');
  }

  /** Plain JSON: options, RNG state and the fitted model. */
  getState(): SparseRegressionState {
    const m = this.#model;
    return {
      kind: KIND,
      version: VERSION,
      options: JSON.parse(JSON.stringify(this.options)) as Record<string, unknown>,
      rng: this.#rng.getState(),
      model:
        m === null
          ? null
          : {
              lambda: m.lambda,
              intercept: m.intercept,
              coef: Array.from(m.coef, zeroSign),
              columns: Array.from(m.columns),
              index: m.index,
            },
    };
  }

  /**
   * Rebuilds an estimator from `getState()`.
   * @throws DroError E_STATE_VERSION (foreign kind, unsupported version, invalid values), E_SPEC (options).
   */
  static fromState(state: SparseRegressionState): SparseRegression {
    checkState(state, KIND, [VERSION]);
    const est = new SparseRegression(state.options as SparseRegressionOptions);
    let rng: Rng;
    try {
      rng = createRng(0);
      rng.setState(state.rng);
    } catch (e) {
      throw invalidState('rng', 'an Rng state', e instanceof Error ? e.message : String(e));
    }
    est.#rng = rng;
    const m = state.model;
    if (m !== null && m !== undefined) {
      if (!Array.isArray(m.coef) || !Array.isArray(m.columns))
        throw invalidState('model', 'coef and columns arrays', 'other');
      checkStateValues([m.lambda, m.intercept, ...m.coef], 'model');
      const p = m.coef.length;
      checkStateValues(m.columns, 'model.columns', { min: 0, max: p - 1 });
      if (!Number.isInteger(m.index) || m.index < 0)
        throw invalidState('model.index', 'a whole number ≥ 0', String(m.index));
      est.#model = {
        lambda: m.lambda,
        intercept: m.intercept,
        coef: Float64Array.from(m.coef),
        columns: Int32Array.from(m.columns),
        index: m.index,
      };
    }
    return est;
  }
}
