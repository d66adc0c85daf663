import * as tf from '@tensorflow/tfjs-core';
import { chi2ToUniform, klToUniform, tvToUniform } from './divergence.js';
import { checkFinite, checkNumber, DroError, describeValue } from './errors.js';
import { checkGroupIds } from './group.js';
import { solveWeights } from './solve.js';
import { checkState, stateKind } from './state.js';
import { checkFloatTensor } from './tensorChecks.js';
import { checkOptions, opt } from './validate/options.js';

function hostValues(labels: tf.Tensor | ArrayLike<number>): Float64Array {
  return Float64Array.from(labels instanceof tf.Tensor ? labels.dataSync() : labels);
}

/** Fraction of rows whose argmax logit equals the label (ties go to the first maximum). */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor | ArrayLike<number>): number {
  checkFloatTensor(logits, 'logits', 2);
  const [n, k] = logits.shape;
  const y = hostValues(labels);
  if (y.length !== n)
    throw new DroError('E_SHAPE', 'labels and logits differ in length', {
      argument: 'labels',
      expected: `${n}`,
      received: `${y.length}`,
    });
  checkGroupIds(y, k, 'labels');
  const z = logits.dataSync();
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (z[i * k + j]! > z[i * k + best]!) best = j;
    if (best === y[i]) correct++;
  }
  return correct / n;
}

export interface GroupStat {
  mean: number;
  count: number;
}

/** Per-group mean and count of host values (or a 1-D tensor); absent groups: mean NaN, count 0. */
export function groupStats(
  values: tf.Tensor | ArrayLike<number>,
  groupIds: ArrayLike<number>,
  nGroups: number,
): GroupStat[] {
  checkNumber(nGroups, 'nGroups', { min: 1, integer: true });
  const v = hostValues(values);
  if (v.length !== groupIds.length)
    throw new DroError('E_SHAPE', 'values and groupIds differ in length', {
      argument: 'groupIds',
      expected: `${v.length}`,
      received: `${groupIds.length}`,
    });
  checkFinite(v, 'values');
  const ids = checkGroupIds(groupIds, nGroups);
  const sum = new Float64Array(nGroups);
  const count = new Float64Array(nGroups);
  for (let i = 0; i < v.length; i++) {
    sum[ids[i]!]! += v[i]!;
    count[ids[i]!]! += 1;
  }
  return Array.from(sum, (s, g) => ({ mean: count[g]! > 0 ? s / count[g]! : Number.NaN, count: count[g]! }));
}

/** The present group with the lowest mean (`mode: 'min'`, e.g. accuracy) or highest (`'max'`, e.g. loss). */
export function worstGroup(stats: GroupStat[], mode: 'min' | 'max' = 'min'): { group: number; value: number } {
  let group = -1;
  let value = Number.NaN;
  stats.forEach((s, g) => {
    if (s.count === 0) return;
    if (group < 0 || (mode === 'min' ? s.mean < value : s.mean > value)) {
      group = g;
      value = s.mean;
    }
  });
  if (group < 0) throw new DroError('E_EMPTY', 'no group has samples', { argument: 'stats' });
  return { group, value };
}

/** Weight diagnostics: effective sample size `1/Σp²`, its fraction of n, max weight, KL, χ², TV to uniform. */
export function weightDiagnostics(p: tf.Tensor | ArrayLike<number>): {
  ess: number;
  essFrac: number;
  maxWeight: number;
  kl: number;
  chi2: number;
  tv: number;
} {
  const w = hostValues(p);
  if (w.length === 0) throw new DroError('E_EMPTY', 'weights are empty', { argument: 'p' });
  checkFinite(w, 'p');
  let s2 = 0;
  let mx = 0;
  for (const v of w) {
    if (v < 0)
      throw new DroError('E_SPEC', 'weights must be non-negative', { argument: 'p', received: describeValue(v) });
    s2 += v * v;
    mx = Math.max(mx, v);
  }
  const ess = 1 / s2;
  return {
    ess,
    essFrac: ess / w.length,
    maxWeight: mx,
    kl: klToUniform(w),
    chi2: chi2ToUniform(w),
    tv: tvToUniform(w),
  };
}

/** CVaR_α of values (mean of the worst α-fraction, ties split exactly) — the tail-risk metric. */
export function cvarOf(values: tf.Tensor | ArrayLike<number>, alpha: number): number {
  return solveWeights(hostValues(values), { kind: 'cvar', alpha }).value;
}

export interface RunningMeanState {
  kind: string;
  version: 1;
  count: number;
  mean: number;
}

/** Numerically stable running mean (Welford's update). */
export class RunningMean {
  private count = 0;
  private m = 0;

  add(value: number, weight = 1): this {
    checkFinite([value], 'value');
    checkNumber(weight, 'weight', { min: 0, minExclusive: true });
    this.count += weight;
    this.m += (weight * (value - this.m)) / this.count;
    return this;
  }

  get value(): number {
    return this.count > 0 ? this.m : Number.NaN;
  }

  get n(): number {
    return this.count;
  }

  getState(): RunningMeanState {
    return { kind: stateKind('dro-core', 'RunningMean'), version: 1, count: this.count, mean: this.m };
  }

  static fromState(state: RunningMeanState): RunningMean {
    checkState(state, stateKind('dro-core', 'RunningMean'), [1], ['running-mean']);
    const r = new RunningMean();
    r.count = checkNumber(state.count, 'state.count', { min: 0 });
    r.m = checkNumber(state.mean, 'state.mean');
    return r;
  }
}

export interface BestByState {
  kind: string;
  version: 1;
  options: { mode: 'max' | 'min' };
  best: number | null;
  step: number | null;
}

/** Tracks the best value of a validation metric and its step ("best by worst-group validation accuracy"). */
export class BestBy {
  private readonly mode: 'max' | 'min';
  private best: number | null = null;
  private bestStep: number | null = null;

  constructor(opts: { mode: 'max' | 'min' }) {
    checkOptions(opts, { mode: opt.oneOf(['max', 'min']).require() }, 'BestBy');
    if (opts?.mode !== 'max' && opts?.mode !== 'min') {
      throw new DroError('E_SPEC', 'mode must be max or min', {
        argument: 'opts.mode',
        received: describeValue(opts?.mode),
      });
    }
    this.mode = opts.mode;
  }

  /** Records a value; returns true when it is a new best (strictly better). */
  update(value: number, step: number): boolean {
    checkFinite([value], 'value');
    const better = this.best === null || (this.mode === 'max' ? value > this.best : value < this.best);
    if (better) {
      this.best = value;
      this.bestStep = step;
    }
    return better;
  }

  get value(): number | null {
    return this.best;
  }

  get step(): number | null {
    return this.bestStep;
  }

  getState(): BestByState {
    return {
      kind: stateKind('dro-core', 'BestBy'),
      version: 1,
      options: { mode: this.mode },
      best: this.best,
      step: this.bestStep,
    };
  }

  static fromState(state: BestByState): BestBy {
    checkState(state, stateKind('dro-core', 'BestBy'), [1], ['best-by']);
    const b = new BestBy(state.options);
    b.best = state.best;
    b.bestStep = state.step;
    return b;
  }
}
