import {
  checkAborted,
  checkNumber,
  checkState,
  createRng,
  DroError,
  invalidState,
  isDroError,
  type Rng,
  type Seed,
} from '@drojs/dro-core';
import { type Matrix, toMat, toVec, type Vector } from '../hostData.js';
import { lstsq } from '../linalg/lstsq.js';
import { type Mat, zeros } from '../linalg/matrix.js';
import { checkEacsOptions, EACS_KIND, EACS_LEGACY_KIND } from './eacsOptions.js';
import { checkFittedState } from './eacsState.js';
import { logisticFromState, multinomialLogistic, type Selector } from './logistic.js';
import { environmentSummary, type SummaryKind } from './summary.js';

/** One environment: covariates, and the outcome for training environments. */
export interface Environment {
  X: Matrix;
  y?: Vector;
  id?: string;
}

export interface EacsOptions {
  /** Candidate covariate subsets, or 'all' 2^p subsets ordered by size then lexicographically. */
  subsets?: number[][] | 'all';
  maxSubsets?: number;
  /** Covariates known to be causes: only candidates containing them are allowed. */
  mustInclude?: number[];
  summary?: Exclude<SummaryKind, (X: number[][]) => number[]>;
  /** 'logistic' (default) or a factory of any `Selector` given C (plug-in; such a fit has no restorable state). */
  selector?: 'logistic' | ((C: number) => Selector);
  standardizeSummaries?: boolean;
  C?: number;
  Cs?: number[];
  classWeight?: 'balanced' | null;
  mode?: 'hard' | 'soft' | 'cv';
  innerFolds?: number;
  /** Seed for the inner folds (unused in hard/soft mode): dro-core `Seed`, required. */
  seed: Seed;
}

export interface SubsetModel {
  subset: number[];
  intercept: number;
  coef: number[];
}

/** A fitted EACS as its state stores it. */
export interface EacsFitted {
  p: number;
  subsets: number[][];
  allowed: number[];
  subsetModels: SubsetModel[];
  summaryMean: number[];
  summaryScale: number[];
  selector: { classes: number[]; W: number[][]; b: number[]; C: number; objective: number };
  mode: 'hard' | 'soft';
  cvScores: { C: number; mode: 'hard' | 'soft'; score: number }[];
  trainSummaries: number[][];
  trainLabels: number[];
  trainMse: number[][];
}

export interface EacsState {
  /** `'@drojs/causal/Eacs'` (`'causal.Eacs'` before the platform; such states still load). */
  kind: string;
  version: 1;
  options: Required<Omit<EacsOptions, 'mustInclude' | 'selector'>> & { mustInclude: number[] };
  fitted: EacsFitted | null;
  rng: ReturnType<Rng['getState']>;
}

/** All 2^p subsets: by size, then lexicographically. */
export function allSubsets(p: number): number[][] {
  const out: number[][] = [];
  const rec = (start: number, size: number, cur: number[]) => {
    if (cur.length === size) {
      out.push(cur.slice());
      return;
    }
    for (let j = start; j < p; j++) {
      cur.push(j);
      rec(j + 1, size, cur);
      cur.pop();
    }
  };
  for (let s = 0; s <= p; s++) rec(0, s, []);
  return out;
}

function predictSubset(m: SubsetModel, X: Mat): Float64Array {
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let s = m.intercept;
    m.subset.forEach((j, k) => {
      s += m.coef[k]! * X.data[i * X.cols + j]!;
    });
    out[i] = s;
  }
  return out;
}

function mse(y: Float64Array, yhat: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i]! - yhat[i]!) ** 2;
  return s / y.length;
}

/**
 * Environment-adaptive covariate selection (Zuo & Wang 2026): pooled OLS per candidate subset,
 * per-environment labels = best allowed candidate, a selector from unlabelled-covariate summaries to
 * the label; at test time the target environment's covariates choose the subset (hard) or a
 * probability-weighted mixture (soft); 'cv' picks C and hard/soft by inner CV over environments.
 */
export class Eacs {
  private readonly opts: EacsState['options'];
  private rng: Rng;
  private fitted: EacsFitted | null = null;
  private readonly factory: ((C: number) => Selector) | null;
  private live: Selector | null = null;

  constructor(opts: EacsOptions) {
    checkEacsOptions(opts);
    const mode = opts.mode ?? 'cv';
    if (!['hard', 'soft', 'cv'].includes(mode))
      throw new DroError('E_SPEC', 'mode must be hard, soft or cv', { argument: 'mode' });
    const summary = opts.summary ?? 'moments+pcorr';
    if (!['corr-sd', 'moments', 'moments+pcorr', 'moments+pcorr-shrunk'].includes(summary))
      throw new DroError('E_SPEC', `unknown summary ${String(summary)}`, { argument: 'summary' });
    const C = checkNumber(opts.C ?? 1, 'C', { min: 0, minExclusive: true });
    const Cs = opts.Cs ?? [0.1, 1, 10];
    if (!Array.isArray(Cs) || Cs.length === 0)
      throw new DroError('E_SPEC', 'Cs must be a non-empty array', { argument: 'Cs' });
    for (const [i, c] of Cs.entries()) checkNumber(c, `Cs[${i}]`, { min: 0, minExclusive: true });
    const innerFolds = checkNumber(opts.innerFolds ?? 3, 'innerFolds', { min: 2, integer: true });
    const maxSubsets = checkNumber(opts.maxSubsets ?? 4096, 'maxSubsets', { min: 1, integer: true });
    const classWeight = opts.classWeight === undefined ? 'balanced' : opts.classWeight;
    if (classWeight !== null && classWeight !== 'balanced')
      throw new DroError('E_SPEC', "classWeight must be 'balanced' or null", { argument: 'classWeight' });
    const subsets = opts.subsets ?? 'all';
    if (subsets !== 'all') {
      if (!Array.isArray(subsets) || subsets.length === 0)
        throw new DroError('E_SPEC', "subsets must be 'all' or a non-empty array", { argument: 'subsets' });
      if (subsets.length > maxSubsets)
        throw new DroError('E_SPEC', `${subsets.length} candidates exceed maxSubsets = ${maxSubsets}`, {
          argument: 'subsets',
        });
      subsets.forEach((s, i) => {
        if (!Array.isArray(s) || s.some((j) => !Number.isInteger(j) || j < 0))
          throw new DroError('E_SPEC', `subsets[${i}] must list column indices`, { argument: 'subsets' });
      });
    }
    this.opts = {
      subsets: subsets === 'all' ? 'all' : subsets.map((s) => s.slice()),
      maxSubsets,
      mustInclude: (opts.mustInclude ?? []).slice(),
      summary,
      standardizeSummaries: opts.standardizeSummaries ?? true,
      C,
      Cs: Cs.slice(),
      classWeight,
      mode,
      innerFolds,
      seed: opts.seed,
    };
    this.rng = createRng(opts.seed);
    const sf = opts.selector ?? 'logistic';
    if (sf !== 'logistic' && typeof sf !== 'function')
      throw new DroError('E_SPEC', "selector must be 'logistic' or a factory (C) => Selector", {
        argument: 'selector',
      });
    this.factory = sf === 'logistic' ? null : sf;
  }

  private makeSelector(C: number, classWeight: 'balanced' | null): Selector {
    return this.factory === null ? multinomialLogistic({ C, classWeight }) : this.factory(C);
  }

  get subsets(): number[][] {
    return this.need().subsets;
  }
  get subsetModels(): SubsetModel[] {
    return this.need().subsetModels;
  }
  /** Raw (unstandardised) training summaries. */
  get trainSummaries(): number[][] {
    return this.need().trainSummaries;
  }
  get trainLabels(): number[] {
    return this.need().trainLabels;
  }
  /** Per training environment × candidate MSE of the pooled models. */
  get trainMse(): number[][] {
    return this.need().trainMse;
  }
  /** The fitted selector's parameters (classes are candidate indices). */
  get selector(): { classes: number[]; W: number[][]; b: number[]; C: number; objective: number } {
    return this.need().selector;
  }
  get chosen(): { C: number; mode: 'hard' | 'soft' } | null {
    return this.fitted === null ? null : { C: this.fitted.selector.C, mode: this.fitted.mode };
  }
  get cvScores(): { C: number; mode: 'hard' | 'soft'; score: number }[] {
    return this.need().cvScores;
  }

  private need(): EacsFitted {
    if (this.fitted === null) throw new DroError('E_SPEC', 'Eacs is not fitted: call fit first', { argument: 'this' });
    return this.fitted;
  }

  /** Fits on training environments (each with X and y). */
  fit(train: Environment[]): this {
    const gen = this.fitSteps(train);
    let r = gen.next();
    while (!r.done) r = gen.next();
    return this;
  }

  /** As `fit`, yielding to the event loop between inner-CV units; aborts leave the object unchanged. */
  async fitAsync(
    train: Environment[],
    o: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
  ): Promise<this> {
    const gen = this.fitSteps(train, true);
    let r = gen.next();
    while (!r.done) {
      o.onProgress?.(r.value.done, r.value.total);
      await new Promise((res) => setImmediate(res));
      if (o.signal?.aborted) {
        gen.return(undefined);
        checkAborted(o.signal, 'Eacs.fitAsync');
      }
      r = gen.next();
    }
    return this;
  }

  private *fitSteps(train: Environment[], deferCommit = false): Generator<{ done: number; total: number }, void> {
    if (!Array.isArray(train))
      throw new DroError('E_SPEC', 'train must be an array of environments', { argument: 'train' });
    if (train.length < 2)
      throw new DroError('E_EMPTY', 'EACS needs at least 2 training environments', { argument: 'train' });
    const Xs: Mat[] = [];
    const ys: Float64Array[] = [];
    train.forEach((e, i) => {
      if (e === null || typeof e !== 'object')
        throw new DroError('E_SPEC', `train[${i}] is not an environment`, { argument: `train[${i}]` });
      const X = toMat(e.X, `train[${i}].X`, 'Eacs');
      if (e.y === undefined) throw new DroError('E_SPEC', `train[${i}] has no y`, { argument: `train[${i}].y` });
      const y = toVec(e.y, `train[${i}].y`, 'Eacs');
      if (y.length !== X.rows)
        throw new DroError('E_SHAPE', `train[${i}].y has ${y.length} rows, X has ${X.rows}`, {
          argument: `train[${i}].y`,
        });
      if (i > 0 && X.cols !== Xs[0]!.cols)
        throw new DroError('E_SHAPE', `train[${i}].X has ${X.cols} covariates, train[0] has ${Xs[0]!.cols}`, {
          argument: `train[${i}].X`,
        });
      Xs.push(X);
      ys.push(y);
    });
    const p = Xs[0]!.cols;
    const subsets = this.opts.subsets === 'all' ? allSubsets(p) : this.opts.subsets.map((s) => s.slice());
    if (subsets.length > this.opts.maxSubsets)
      throw new DroError('E_SPEC', `${subsets.length} candidates exceed maxSubsets = ${this.opts.maxSubsets}`, {
        argument: 'subsets',
      });
    subsets.forEach((s, i) => {
      if (s.some((j) => j >= p))
        throw new DroError('E_SPEC', `subsets[${i}] has an index ≥ p = ${p}`, { argument: 'subsets' });
    });
    const must = this.opts.mustInclude;
    must.forEach((j) => {
      if (!Number.isInteger(j) || j < 0 || j >= p)
        throw new DroError('E_SPEC', `mustInclude index ${j} out of range`, { argument: 'mustInclude' });
    });
    const allowed = subsets.map((s, k) => (must.every((j) => s.includes(j)) ? k : -1)).filter((k) => k >= 0);
    if (allowed.length === 0)
      throw new DroError('E_SPEC', 'no candidate contains every mustInclude covariate', { argument: 'mustInclude' });
    // Pooled OLS with intercept per candidate.
    const N = Xs.reduce((s, X) => s + X.rows, 0);
    const pooledX = zeros(N, p);
    const pooledY = new Float64Array(N);
    let off = 0;
    Xs.forEach((X, e) => {
      pooledX.data.set(X.data, off * p);
      pooledY.set(ys[e]!, off);
      off += X.rows;
    });
    const subsetModels: SubsetModel[] = subsets.map((s) => {
      const A = zeros(N, s.length + 1);
      for (let i = 0; i < N; i++) {
        A.data[i * (s.length + 1)] = 1;
        s.forEach((j, k) => {
          A.data[i * (s.length + 1) + k + 1] = pooledX.data[i * p + j]!;
        });
      }
      const b = lstsq(
        A,
        { rows: N, cols: 1, data: pooledY },
        { argument: 'train X', names: ['const', ...s.map((j) => `x${j}`)] },
      ).data;
      return { subset: s.slice(), intercept: b[0]!, coef: Array.from(b.subarray(1)) };
    });
    const trainMse = Xs.map((X, e) => subsetModels.map((m) => mse(ys[e]!, predictSubset(m, X))));
    const trainLabels = trainMse.map((row) => {
      let best = allowed[0]!;
      for (const k of allowed) if (row[k]! < row[best]!) best = k;
      return best;
    });
    const kind = this.opts.summary;
    const trainSummaries = Xs.map((X) => environmentSummary(X, kind));
    const qd = trainSummaries[0]!.length;
    const summaryMean = new Array(qd).fill(0);
    const summaryScale = new Array(qd).fill(1);
    if (this.opts.standardizeSummaries) {
      for (let j = 0; j < qd; j++) {
        const col = trainSummaries.map((u) => u[j]!);
        const mu = col.reduce((s, v) => s + v, 0) / col.length;
        const sd = Math.sqrt(col.reduce((s, v) => s + (v - mu) ** 2, 0) / col.length);
        summaryMean[j] = mu;
        summaryScale[j] = sd === 0 ? 1 : sd;
      }
    }
    const F = trainSummaries.map((u) => u.map((v, j) => (v - summaryMean[j]) / summaryScale[j]));
    const cw = this.opts.classWeight;
    let C = this.opts.C;
    let mode: 'hard' | 'soft' = this.opts.mode === 'soft' ? 'soft' : 'hard';
    const cvScores: EacsFitted['cvScores'] = [];
    const rng = this.rng.clone();
    if (this.opts.mode === 'cv') {
      const m = Xs.length;
      const K = Math.min(this.opts.innerFolds, m);
      const order = rng.fork('eacs/inner-folds').shuffle(Int32Array.from({ length: m }, (_, i) => i));
      const foldOf = new Int32Array(m);
      order.forEach((e, k) => {
        foldOf[e] = k % K;
      });
      const total = this.opts.Cs.length * K;
      let done = 0;
      // Per C: held-out per-environment MSE of hard and soft selection.
      for (const c of this.opts.Cs) {
        let hard = 0;
        let soft = 0;
        let count = 0;
        for (let f = 0; f < K; f++) {
          const tr = Array.from({ length: m }, (_, e) => e).filter((e) => foldOf[e] !== f);
          const te = Array.from({ length: m }, (_, e) => e).filter((e) => foldOf[e] === f);
          const sel = this.makeSelector(c, cw);
          sel.fit(
            tr.map((e) => F[e]!),
            tr.map((e) => trainLabels[e]!),
          );
          const probs = sel.predictProba(te.map((e) => F[e]!));
          te.forEach((e, t) => {
            const pr = probs[t]!;
            let bi = 0;
            for (let k = 1; k < pr.length; k++) if (pr[k]! > pr[bi]!) bi = k;
            hard += trainMse[e]![sel.classes[bi]!]!;
            const yhat = new Float64Array(ys[e]!.length);
            sel.classes.forEach((cls, k) => {
              const ph = predictSubset(subsetModels[cls]!, Xs[e]!);
              for (let i = 0; i < yhat.length; i++) yhat[i]! += pr[k]! * ph[i]!;
            });
            soft += mse(ys[e]!, yhat);
            count++;
          });
          done++;
          yield { done, total };
        }
        cvScores.push({ C: c, mode: 'hard', score: hard / count }, { C: c, mode: 'soft', score: soft / count });
      }
      let best = cvScores[0]!;
      for (const s of cvScores) if (s.score < best.score) best = s;
      C = best.C;
      mode = best.mode;
    }
    const sel = this.makeSelector(C, cw);
    sel.fit(F, trainLabels);
    const fitted: EacsFitted = {
      p,
      subsets,
      allowed,
      subsetModels,
      summaryMean,
      summaryScale,
      selector:
        this.factory === null
          ? (sel.getState() as EacsFitted['selector'])
          : { classes: sel.classes.slice(), W: [], b: [], C, objective: Number.NaN },
      mode,
      cvScores,
      trainSummaries,
      trainLabels,
      trainMse,
    };
    void deferCommit;
    this.fitted = fitted;
    this.live = sel;
    this.rng = rng;
  }

  private selectorOf(f: EacsFitted): Selector {
    if (this.factory !== null && this.live !== null) return this.live;
    return logisticFromState(f.selector);
  }

  /** Probabilities over all candidates (zeros for candidates never seen as labels) and the argmax. */
  selectSubset(X: Matrix): { index: number; subset: number[]; probs: number[] } {
    const f = this.need();
    const M = toMat(X, 'X', 'Eacs');
    if (M.cols !== f.p)
      throw new DroError('E_SHAPE', `X has ${M.cols} covariates, the fit has ${f.p}`, { argument: 'X' });
    const u = environmentSummary(M, this.opts.summary).map((v, j) => (v - f.summaryMean[j]!) / f.summaryScale[j]!);
    const pr = this.selectorOf(f).predictProba([u])[0]!;
    const probs = new Array(f.subsets.length).fill(0);
    f.selector.classes.forEach((c, k) => {
      probs[c] = pr[k];
    });
    let index = f.selector.classes[0]!;
    for (const c of f.selector.classes) if (probs[c] > probs[index]) index = c;
    return { index, subset: f.subsets[index]!.slice(), probs };
  }

  /** Predictions for a target environment from its unlabelled covariates (hard or soft per the fit). */
  predict(X: Matrix): Float64Array {
    const f = this.need();
    const M = toMat(X, 'X', 'Eacs');
    const s = this.selectSubset(M);
    if (f.mode === 'hard') return predictSubset(f.subsetModels[s.index]!, M);
    const out = new Float64Array(M.rows);
    s.probs.forEach((pc, k) => {
      if (pc === 0) return;
      const ph = predictSubset(f.subsetModels[k]!, M);
      for (let i = 0; i < out.length; i++) out[i]! += pc * ph[i]!;
    });
    return out;
  }

  getState(): EacsState {
    if (this.factory !== null)
      throw new DroError('E_SPEC', 'an Eacs with a custom selector factory has no restorable state', {
        argument: 'selector',
      });
    return {
      kind: EACS_KIND,
      version: 1,
      options: JSON.parse(JSON.stringify(this.opts)),
      fitted: this.fitted === null ? null : JSON.parse(JSON.stringify(this.fitted)),
      rng: this.rng.getState(),
    };
  }

  static fromState(s: EacsState): Eacs {
    checkState(s, EACS_KIND, [1], [EACS_LEGACY_KIND]);
    if (typeof s.options !== 'object' || s.options === null)
      throw invalidState('state.options', 'the options object', 'none');
    const e = restoreOptions(s.options);
    if (s.fitted !== null && s.fitted !== undefined) {
      checkFittedState(s.fitted);
      e.fitted = JSON.parse(JSON.stringify(s.fitted));
    }
    e.rng = createRng(0);
    e.rng.setState(s.rng);
    return e;
  }
}

export type { Selector };

/** Options from a state: options a constructor would reject make the state invalid (E_STATE_VERSION). */
function restoreOptions(options: EacsState['options']): Eacs {
  try {
    return new Eacs(options as EacsOptions);
  } catch (err) {
    if (isDroError(err, 'E_SPEC'))
      throw invalidState(`state.options.${err.argument}`, 'valid Eacs options', err.message);
    throw err;
  }
}
