import * as tf from '@tensorflow/tfjs-core';
import { checkFinite, checkNumber, DroError, describeValue } from './errors.js';
import { checkState, fromJsonNumbers, stateKind, toJsonNumbers } from './state.js';
import { checkOptions, opt } from './validate/options.js';
import { toTensor } from './validate/toTensor.js';

const KIND = stateKind('dro-core', 'MovingLogMeanExp');
const INDEXED_KIND = stateKind('dro-core', 'IndexedMovingLogMeanExp');

import { checkFloatTensor } from './tensorChecks.js';

/** log(exp(a) + exp(b)) without overflow. */
function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** log mean exp(v/scale) of a host row, max-shifted. */
function logMeanExpHost(v: ArrayLike<number>, scale: number, from = 0, to = v.length): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = from; i < to; i++) m = Math.max(m, v[i]! / scale);
  let s = 0;
  for (let i = from; i < to; i++) s += Math.exp(v[i]! / scale - m);
  return m + Math.log(s / (to - from));
}

/** Moving-average schedule: constant γ, or cosine from 1 down to γ over `steps` steps. */
export type GammaSchedule = { type: 'constant' } | { type: 'cosine'; steps: number };

export interface MovingLogMeanExpState {
  kind: string;
  version: 1;
  options: { lambda: number; gamma: number; schedule: GammaSchedule };
  logU: number | null;
  t: number;
}

/**
 * Running estimate `u` of `E exp(l/λ)` for the dataset-level KL objective `λ·log E exp(l/λ)` (SCGD / ABSGD /
 * DONE), kept as `s = log u`: `s ← logaddexp(log(1−γ) + s, log γ + logMeanExp(l/λ))`, γ = 1 on the first step.
 * Weights `w_i = exp(l_i/λ − s)` are constants; the surrogate `mean(w·l)` has gradient `mean(w ∇l)`.
 */
export class MovingLogMeanExp {
  private readonly opts: MovingLogMeanExpState['options'];
  private s: number | null = null;
  private t = 0;

  constructor(opts: { lambda: number; gamma?: number; schedule?: GammaSchedule }) {
    checkOptions(
      opts,
      { lambda: opt.number().require(), gamma: opt.number(), schedule: opt.object() },
      'MovingLogMeanExp',
    );
    const lambda = checkNumber(opts?.lambda, 'opts.lambda', { min: 0, minExclusive: true });
    const gamma = checkNumber(opts.gamma ?? 0.9, 'opts.gamma', { min: 0, minExclusive: true, max: 1 });
    const schedule = opts.schedule ?? { type: 'constant' };
    if (schedule.type === 'cosine') checkNumber(schedule.steps, 'opts.schedule.steps', { min: 1, integer: true });
    else if (schedule.type !== 'constant') {
      throw new DroError('E_SPEC', 'unknown schedule', {
        argument: 'opts.schedule.type',
        expected: "'constant' or 'cosine'",
        received: describeValue((schedule as { type: unknown }).type),
      });
    }
    this.opts = { lambda, gamma, schedule: { ...schedule } };
  }

  /** γ used at step t (0-based). */
  gammaAt(t: number): number {
    if (t === 0) return 1;
    const { gamma, schedule } = this.opts;
    if (schedule.type === 'constant') return gamma;
    const T = schedule.steps;
    return gamma + ((1 - gamma) * (1 + Math.cos((Math.PI * Math.min(t, T)) / T))) / 2;
  }

  /** Host update; returns the weights, surrogate value `mean(w·l)`, objective `λ·s` and `s`. */
  updateHost(losses: ArrayLike<number>): { weights: Float64Array; surrogate: number; objective: number; logU: number } {
    if (!losses || losses.length === 0) throw new DroError('E_EMPTY', 'losses is empty', { argument: 'losses' });
    checkFinite(losses, 'losses');
    const { lambda } = this.opts;
    const g = this.gammaAt(this.t);
    const lme = logMeanExpHost(losses, lambda);
    const s = g === 1 || this.s === null ? lme : logAddExp(Math.log1p(-g) + this.s, Math.log(g) + lme);
    const n = losses.length;
    const w = new Float64Array(n);
    let sur = 0;
    for (let i = 0; i < n; i++) {
      w[i] = Math.exp(losses[i]! / lambda - s);
      sur += w[i]! * losses[i]!;
    }
    this.s = s;
    this.t++;
    return { weights: w, surrogate: sur / n, objective: lambda * s, logU: s };
  }

  /** Tensor update: `weights` constant, `surrogate = mean(const(w)·losses)`. */
  update(losses: tf.Tensor1D | tf.TensorLike): {
    weights: tf.Tensor1D;
    surrogate: tf.Scalar;
    objective: number;
    logU: number;
  } {
    const l = toTensor(losses, 'losses', 'MovingLogMeanExp.update', { rank: 1 });
    try {
      checkFloatTensor(l, 'losses', 1);
      const r = this.updateHost(l.dataSync());
      const weights = tf.tensor1d(Float32Array.from(r.weights));
      const surrogate = tf.tidy(() => tf.mean(tf.mul(weights, l)) as tf.Scalar);
      return { weights, surrogate, objective: r.objective, logU: r.logU };
    } finally {
      if (l !== losses) l.dispose();
    }
  }

  /** {@link update} without a synchronous read (GPU-safe); await each call before the next. */
  async updateAsync(losses: tf.Tensor1D | tf.TensorLike): Promise<{
    weights: tf.Tensor1D;
    surrogate: tf.Scalar;
    objective: number;
    logU: number;
  }> {
    const l = toTensor(losses, 'losses', 'MovingLogMeanExp.updateAsync', { rank: 1 });
    try {
      checkFloatTensor(l, 'losses', 1);
      const r = this.updateHost(await l.data());
      const weights = tf.tensor1d(Float32Array.from(r.weights));
      const surrogate = tf.tidy(() => tf.mean(tf.mul(weights, l)) as tf.Scalar);
      return { weights, surrogate, objective: r.objective, logU: r.logU };
    } finally {
      if (l !== losses) l.dispose();
    }
  }

  getState(): MovingLogMeanExpState {
    return { kind: KIND, version: 1, options: structuredClone(this.opts), logU: this.s, t: this.t };
  }

  static fromState(state: MovingLogMeanExpState): MovingLogMeanExp {
    checkState(state, KIND, [1], ['moving-log-mean-exp']);
    const m = new MovingLogMeanExp(state.options);
    if (state.logU !== null && !Number.isFinite(state.logU))
      throw new DroError('E_SPEC', 'malformed logU', { argument: 'state.logU' });
    m.s = state.logU;
    m.t = checkNumber(state.t, 'state.t', { min: 0, integer: true });
    return m;
  }
}

export interface IndexedMovingLogMeanExpState {
  kind: string;
  version: 1;
  options: { size: number; tau: number; gamma: number };
  logU: (number | null)[];
}

/**
 * One running `s_i = log u_i` per training index (contrastive anchors, pAUC positives): for a batch of indices
 * and a `[B, K]` matrix of inner losses `h`, `s_i ← logaddexp(log(1−γ)+s_i, log γ + logMeanExp_j(h_ij/τ))`
 * (γ = 1 on an index's first visit); weights `exp(h_ij/τ − s_i)` are constants. Unvisited entries are NaN.
 */
export class IndexedMovingLogMeanExp {
  private readonly opts: IndexedMovingLogMeanExpState['options'];
  private s: Float64Array;

  constructor(opts: { size: number; tau: number; gamma?: number }) {
    checkOptions(
      opts,
      { size: opt.integer().require(), tau: opt.number().require(), gamma: opt.number() },
      'IndexedMovingLogMeanExp',
    );
    const size = checkNumber(opts?.size, 'opts.size', { min: 1, integer: true });
    const tau = checkNumber(opts.tau, 'opts.tau', { min: 0, minExclusive: true });
    const gamma = checkNumber(opts.gamma ?? 0.9, 'opts.gamma', { min: 0, minExclusive: true, max: 1 });
    this.opts = { size, tau, gamma };
    this.s = new Float64Array(size).fill(Number.NaN);
  }

  /** Current `log u` for an index (NaN if never visited). */
  logU(index: number): number {
    return this.s[index] ?? Number.NaN;
  }

  /** Validates indices against the size and the batch length (E_INDEX_RANGE, E_SHAPE), rejecting duplicates. */
  private checkIndices(indices: ArrayLike<number>, rows: number): void {
    if (indices.length !== rows) {
      throw new DroError('E_SHAPE', 'one index per row of inner losses', {
        argument: 'indices',
        expected: `${rows}`,
        received: `${indices.length}`,
      });
    }
    const seen = new Set<number>();
    for (let b = 0; b < indices.length; b++) {
      const i = indices[b]!;
      if (!Number.isInteger(i) || i < 0 || i >= this.opts.size) {
        throw new DroError('E_INDEX_RANGE', `indices[${b}] is out of range`, {
          argument: 'indices',
          expected: `an integer in [0, ${this.opts.size})`,
          received: describeValue(i),
        });
      }
      if (seen.has(i)) {
        throw new DroError('E_INDEX_RANGE', `indices[${b}] repeats index ${i} within the batch`, {
          argument: 'indices',
          expected: 'distinct indices per batch',
        });
      }
      seen.add(i);
    }
  }

  /** Host update over a row-major `[B, K]` matrix; returns row-major weights and the updated `log u` per row. */
  updateHost(
    indices: ArrayLike<number>,
    inner: ArrayLike<number>,
    k: number,
  ): { weights: Float64Array; logU: Float64Array } {
    const B = indices.length;
    if (!Number.isInteger(k) || k < 1 || inner.length !== B * k) {
      throw new DroError('E_SHAPE', 'inner losses must be a [B, K] matrix', {
        argument: 'inner',
        expected: `${B}×K values`,
        received: `${inner.length}`,
      });
    }
    this.checkIndices(indices, B);
    checkFinite(inner, 'inner');
    const { tau, gamma } = this.opts;
    const weights = new Float64Array(B * k);
    const logU = new Float64Array(B);
    const next = this.s.slice();
    for (let b = 0; b < B; b++) {
      const i = indices[b]!;
      const lme = logMeanExpHost(inner, tau, b * k, (b + 1) * k);
      const prev = next[i]!;
      const s = Number.isNaN(prev) || gamma === 1 ? lme : logAddExp(Math.log1p(-gamma) + prev, Math.log(gamma) + lme);
      next[i] = s;
      logU[b] = s;
      for (let j = 0; j < k; j++) weights[b * k + j] = Math.exp(inner[b * k + j]! / tau - s);
    }
    this.s = next;
    return { weights, logU };
  }

  /** Tensor update: `inner` is `[B, K]` float32; returns constant weights `[B, K]`. */
  update(
    indices: Int32Array | number[],
    inner: tf.Tensor2D | tf.TensorLike,
  ): { weights: tf.Tensor2D; logU: Float64Array } {
    const t = toTensor(inner, 'inner', 'IndexedMovingLogMeanExp.update', { rank: 2 });
    try {
      checkFloatTensor(t, 'inner', 2);
      const [B, K] = t.shape as [number, number];
      this.checkIndices(indices, B);
      const r = this.updateHost(indices, t.dataSync(), K);
      return { weights: tf.tensor2d(Float32Array.from(r.weights), [B, K]), logU: r.logU };
    } finally {
      if (t !== inner) t.dispose();
    }
  }

  /** {@link update} without a synchronous read (GPU-safe); await each call before the next. */
  async updateAsync(
    indices: Int32Array | number[],
    inner: tf.Tensor2D | tf.TensorLike,
  ): Promise<{ weights: tf.Tensor2D; logU: Float64Array }> {
    const t = toTensor(inner, 'inner', 'IndexedMovingLogMeanExp.updateAsync', { rank: 2 });
    try {
      checkFloatTensor(t, 'inner', 2);
      const [B, K] = t.shape as [number, number];
      this.checkIndices(indices, B);
      const r = this.updateHost(indices, await t.data(), K);
      return { weights: tf.tensor2d(Float32Array.from(r.weights), [B, K]), logU: r.logU };
    } finally {
      if (t !== inner) t.dispose();
    }
  }

  getState(): IndexedMovingLogMeanExpState {
    return { kind: INDEXED_KIND, version: 1, options: { ...this.opts }, logU: toJsonNumbers(this.s) };
  }

  static fromState(state: IndexedMovingLogMeanExpState): IndexedMovingLogMeanExp {
    checkState(state, INDEXED_KIND, [1], ['indexed-moving-log-mean-exp']);
    const m = new IndexedMovingLogMeanExp(state.options);
    const s = fromJsonNumbers(state.logU, 'state.logU');
    if (s.length !== m.opts.size)
      throw new DroError('E_STATE_VERSION', 'logU length differs from size', {
        argument: 'state.logU',
        expected: `${m.opts.size}`,
        received: `${s.length}`,
      });
    m.s = s;
    return m;
  }
}
