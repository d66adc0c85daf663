import {
  checkAborted,
  checkOptions,
  checkSeed,
  checkState,
  checkStateValues,
  createRng,
  DroError,
  describeValue,
  invalidState,
  opt,
  type Rng,
  type RngState,
  type Seed,
  stateKind,
} from '@drojs/dro-core/host';
import { LinearObjective } from './linear.js';
import { checkFiniteVector, type PreferencePair } from './pairs.js';
import { validatePairs } from './validatePairs.js';

export const REWARD_MODEL_KIND = stateKind('causal', 'RewardModel');

/** Options of {@link RewardModel}. */
export interface RewardModelOptions {
  /** Length of the representation vectors (required). */
  dim: number;
  /** Gradient-descent step size; > 0, default 0.5. */
  learningRate?: number;
  /** ℓ2 penalty `(l2/2)‖θ‖²`; ≥ 0, default 0. */
  l2?: number;
  /** Weight of the neutral (tie) group; ≥ 0, default 1. */
  lambdaTie?: number;
  /** Extra weight of causal pairs inside the preference group; ≥ 0, default 1. */
  lambdaCausal?: number;
  /** Pairs per update, drawn without replacement by the seeded RNG; default: all pairs (full batch). */
  batchSize?: number;
  /** Seed of the mini-batch RNG; default 0. */
  seed?: Seed;
  /** Initial parameters; default 0. */
  theta0?: ArrayLike<number>;
}

const SCHEMA = {
  dim: opt.integer({ min: 1 }).require(),
  learningRate: opt.number({ min: 0, minExclusive: true }),
  l2: opt.number({ min: 0 }),
  lambdaTie: opt.number({ min: 0 }),
  lambdaCausal: opt.number({ min: 0 }),
  batchSize: opt.integer({ min: 1 }),
  seed: opt.seed(),
  theta0: opt.any(),
};

/** Serialised {@link RewardModel}: plain float64 numbers (JSON-exact) and the RNG state. */
export interface RewardModelState {
  kind: string;
  version: 1;
  options: Omit<RewardModelOptions, 'theta0'>;
  theta: number[];
  numUpdates: number;
  rng: RngState;
}

/** Options of {@link RewardModel.fit}. */
export interface FitOptions {
  /** Number of updates (integer ≥ 0). */
  steps: number;
  /** Record θ_k and L_reg(θ_k) before update k for these k. */
  checkpoints?: number[];
  /** Called every 100 updates and at the end with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Checked between updates; abort → E_ABORTED, θ keeps the updates done so far. */
  signal?: AbortSignal;
}

/**
 * A linear reward model `r(φ) = θᵀφ` on representation vectors φ of (prompt, answer), trained by gradient
 * descent on the Crome objective (spec crome.md §3.3–3.4): Bradley–Terry over original and causal pairs plus
 * `lambdaTie` × the tie loss over neutral pairs. Full batch by default (deterministic); with `batchSize`, each
 * update draws a mini-batch with the seeded RNG. Stateful: `getState()`/`fromState` continue bit-exactly.
 *
 * Bring any featuriser (an embedding model's pooled output, hand-made features); for a non-linear model, use
 * `cromeLoss` with tfjs instead.
 */
export class RewardModel {
  private readonly opts: Required<Omit<RewardModelOptions, 'theta0' | 'batchSize'>> & { batchSize?: number };
  private th: Float64Array;
  private rng: Rng;
  private updates = 0;

  constructor(o: RewardModelOptions) {
    const v = checkOptions(o, SCHEMA, 'RewardModel');
    if (v === undefined || typeof v !== 'object' || v.dim === undefined)
      throw new DroError('E_SPEC', 'RewardModel: options.dim is required', { argument: 'opts.dim' });
    const seed = v.seed === undefined ? 0 : checkSeed(v.seed, 'opts.seed');
    this.opts = {
      dim: v.dim,
      learningRate: v.learningRate ?? 0.5,
      l2: v.l2 ?? 0,
      lambdaTie: v.lambdaTie ?? 1,
      lambdaCausal: v.lambdaCausal ?? 1,
      seed,
      ...(v.batchSize === undefined ? {} : { batchSize: v.batchSize }),
    };
    this.th =
      v.theta0 === undefined
        ? new Float64Array(v.dim)
        : checkFiniteVector(v.theta0, v.dim, 'opts.theta0', 'RewardModel');
    this.rng = createRng(seed);
  }

  /** A copy of θ. */
  get theta(): Float64Array {
    return this.th.slice();
  }

  /** Number of updates applied so far. */
  get numUpdates(): number {
    return this.updates;
  }

  /** Rewards `θᵀφ` of feature rows (one per answer). */
  score(features: ArrayLike<number>[]): Float64Array {
    if (!Array.isArray(features))
      throw new DroError('E_DTYPE', 'RewardModel.score: features must be an array of rows', {
        argument: 'features',
        received: describeValue(features),
      });
    const d = this.opts.dim;
    const rows = features.map((r, i) => checkFiniteVector(r, d, `features[${i}]`, 'RewardModel.score'));
    return Float64Array.from(rows, (r) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += (this.th[j] as number) * (r[j] as number);
      return s;
    });
  }

  /** Reward differences `r(chosen) − r(rejected)` of pairs. */
  deltas(pairs: readonly PreferencePair[]): Float64Array {
    const b = validatePairs(pairs, 'RewardModel.deltas', this.opts.dim);
    const out = new Float64Array(b.n);
    for (let i = 0; i < b.n; i++) {
      let s = 0;
      for (let j = 0; j < b.dim; j++)
        s += (this.th[j] as number) * ((b.chosen[i * b.dim + j] as number) - (b.rejected[i * b.dim + j] as number));
      out[i] = s;
    }
    return out;
  }

  private objective(pairs: readonly PreferencePair[], caller: string): LinearObjective {
    const b = validatePairs(pairs, caller, this.opts.dim);
    return new LinearObjective(
      b.chosen,
      b.rejected,
      b.n,
      b.dim,
      b.kinds,
      { ...this.opts, weights: b.weights, targets: b.targets },
      caller,
    );
  }

  /** `L_reg(θ)` on pairs (no update). */
  loss(pairs: readonly PreferencePair[]): number {
    return this.objective(pairs, 'RewardModel.loss').evaluate(this.th, null);
  }

  /**
   * One gradient step on `pairs` (or on a mini-batch of `batchSize` of them drawn by the RNG); returns
   * `L_reg` before the step. Invalid pairs are rejected (naming the row) before anything changes.
   */
  update(pairs: readonly PreferencePair[]): number {
    validatePairs(pairs, 'RewardModel.update', this.opts.dim);
    const bs = this.opts.batchSize;
    let batch: readonly PreferencePair[] = pairs;
    if (bs !== undefined && bs < pairs.length) {
      const rng = this.rng.clone(); // draw on a clone so that a rejected batch leaves the RNG untouched
      const idx = rng.choice(pairs.length, bs);
      batch = Array.from(idx, (i) => pairs[i] as PreferencePair);
      const obj = this.objective(batch, 'RewardModel.update');
      this.rng = rng;
      return this.step(obj);
    }
    return this.step(this.objective(batch, 'RewardModel.update'));
  }

  private step(obj: LinearObjective): number {
    const grad = new Float64Array(this.opts.dim);
    const loss = obj.evaluate(this.th, grad);
    for (let j = 0; j < this.opts.dim; j++) this.th[j]! -= this.opts.learningRate * (grad[j] as number);
    this.updates++;
    return loss;
  }

  /**
   * `steps` updates on `pairs`. Full batch (no `batchSize`): θ_{k+1} = θ_k − η∇L_reg(θ_k). Returns `L_reg` at
   * the final θ (on all pairs) and the requested checkpoints (θ_k before update k). Honours `signal` between
   * updates; reports progress every 100 updates.
   */
  fit(
    pairs: readonly PreferencePair[],
    o: FitOptions,
  ): { lossRegularized: number; checkpoints: Record<number, { theta: Float64Array; lossRegularized: number }> } {
    const v = checkOptions(
      o,
      {
        steps: opt.integer({ min: 0 }).require(),
        checkpoints: opt.array(),
        onProgress: opt.function(),
        signal: opt.signal(),
      },
      'RewardModel.fit',
    );
    const full = this.objective(pairs, 'RewardModel.fit');
    const want = new Set(checkCheckpoints(v.checkpoints));
    const checkpoints: Record<number, { theta: Float64Array; lossRegularized: number }> = {};
    const bs = this.opts.batchSize;
    const mini = bs !== undefined && bs < pairs.length;
    const grad = new Float64Array(this.opts.dim);
    for (let k = 0; k < v.steps; k++) {
      checkAborted(v.signal, 'RewardModel.fit');
      if (want.has(k)) checkpoints[k] = { theta: this.th.slice(), lossRegularized: full.evaluate(this.th, null) };
      if (mini) this.update(pairs);
      else {
        full.evaluate(this.th, grad, false);
        for (let j = 0; j < this.opts.dim; j++) this.th[j]! -= this.opts.learningRate * (grad[j] as number);
        this.updates++;
      }
      if (v.onProgress && ((k + 1) % 100 === 0 || k + 1 === v.steps)) v.onProgress(k + 1, v.steps);
    }
    return { lossRegularized: full.evaluate(this.th, null), checkpoints };
  }

  getState(): RewardModelState {
    return {
      kind: REWARD_MODEL_KIND,
      version: 1,
      options: { ...this.opts },
      theta: Array.from(this.th),
      numUpdates: this.updates,
      rng: this.rng.getState(),
    };
  }

  static fromState(s: RewardModelState): RewardModel {
    checkState(s, REWARD_MODEL_KIND, [1]);
    if (s.options === null || typeof s.options !== 'object')
      throw invalidState('state.options', 'an options object', describeValue(s.options));
    let m: RewardModel;
    try {
      m = new RewardModel(s.options as RewardModelOptions);
    } catch (e) {
      throw invalidState('state.options', 'valid RewardModel options', e instanceof Error ? e.message : String(e));
    }
    if (!Array.isArray(s.theta) || s.theta.length !== m.opts.dim)
      throw invalidState('state.theta', `${m.opts.dim} numbers`, describeValue(s.theta));
    checkStateValues(s.theta, 'state.theta');
    if (!Number.isInteger(s.numUpdates) || s.numUpdates < 0)
      throw invalidState('state.numUpdates', 'an integer ≥ 0', describeValue(s.numUpdates));
    m.th = Float64Array.from(s.theta);
    m.updates = s.numUpdates;
    try {
      m.rng.setState(s.rng);
    } catch (e) {
      throw invalidState('state.rng', 'an RNG state', e instanceof Error ? e.message : String(e));
    }
    return m;
  }

  /** Printable parameters and settings. */
  summary(): string {
    const o = this.opts;
    return [
      `RewardModel (linear, dim ${o.dim}) after ${this.updates} updates`,
      `  theta = [${Array.from(this.th, (t) => t.toPrecision(4)).join(', ')}]`,
      `  learningRate ${o.learningRate}, l2 ${o.l2}, lambdaTie ${o.lambdaTie}, lambdaCausal ${o.lambdaCausal}, batch ${o.batchSize ?? 'full'}`,
    ].join('\n');
  }
}

function checkCheckpoints(c: unknown): number[] {
  if (c === undefined) return [];
  const arr = c as unknown[];
  arr.forEach((k, i) => {
    if (!Number.isInteger(k) || (k as number) < 0)
      throw new DroError('E_SPEC', `RewardModel.fit: checkpoints[${i}] must be an integer ≥ 0`, {
        argument: `opts.checkpoints[${i}]`,
        received: describeValue(k),
      });
  });
  return arr as number[];
}
