import {
  checkSeed,
  checkState,
  createRng,
  type Rng,
  Rng as RngClass,
  type RngState,
  type Seed,
  stateKind,
} from '@drojs/dro-core/host';
import { arr, checkLength, checkOptionKeys, fail, int, isPlainObject, num, numIn, oneOf, str } from '../check.js';
import { type ClassifierOptions, type ClassifierState, OnlineDifficultyClassifier } from '../classifier.js';
import { compareLabels, sortedDistinct } from '../labels.js';
import { categorical, uniformIndex } from '../numeric.js';
import {
  type BinLabel,
  type CheckedResult,
  checkResults,
  failureRate,
  type GroupResult,
  isZeroVariance,
  type Uid,
} from '../results.js';
import {
  ADVERSARY_KEYS,
  type AdversaryOptions,
  type AdversaryState,
  PromptGdroAdversary,
  type ResolvedAdversaryOptions,
  resolveAdversaryOptions,
} from './adversary.js';

const KIND = stateKind('rl-curriculum', 'PromptGdroSampler');
const LEGACY_KIND = 'rl-curriculum/PromptGdroSampler';

/** Focus map (§5.5): f_b(t) = 1 + r(t)(m_b − 1), r(t) = clamp((t − warmupSteps)/rampSteps, 0, 1). */
export interface FocusOptions {
  multipliers: Record<BinLabel, number>;
  warmupSteps: number;
  rampSteps: number;
}

/** Options of {@link PromptGdroSampler} (§5). */
export interface PromptGdroOptions extends AdversaryOptions {
  /** `'reweight'` (default; paper and released code): per-prompt advantage multipliers; `'resample'`: draw prompts by bin. */
  mode?: 'reweight' | 'resample';
  /** Count per prompt in the adversary update: rollouts (`'response'`, default, the code) or 1 (`'prompt'`). */
  countBy?: 'response' | 'prompt';
  focus?: FocusOptions | null;
  classifier?: ClassifierOptions;
  /** Sampleable uids in pool order (required for resample; duplicates are E_SPEC). */
  pool?: readonly Uid[];
  /** Seed of the sampler's Rng: a non-negative safe integer or a string (dro-core's `Seed`); default 0. */
  seed?: Seed;
}

export interface SampleMetrics {
  binCounts: Record<BinLabel, number>;
  nonEmptyBins: number;
}
export interface WeightMetrics {
  min: number | null;
  mean: number | null;
  max: number | null;
  capped: number;
}
export interface PromptGdroUpdateMetrics {
  step: number;
  classes: BinLabel[];
  binShares: Record<BinLabel, number>;
  ema: Record<BinLabel, number>;
  q: Record<BinLabel, number>;
  emptyGroups: number;
  zeroVarianceGroups: number;
  outsidePool: number;
}

/** Options of a {@link PromptGdroSampler} with defaults filled in (as its state stores them). */
export interface ResolvedSamplerOptions extends ResolvedAdversaryOptions {
  mode: 'reweight' | 'resample';
  countBy: 'response' | 'prompt';
  focus: FocusOptions | null;
  seed: Seed;
}

export interface PromptGdroState {
  /** `'@drojs/rl-curriculum/PromptGdroSampler'` (states written as `'rl-curriculum/PromptGdroSampler'` before the platform still load). */
  kind: string;
  version: 1;
  options: ResolvedSamplerOptions;
  classifier: ClassifierState;
  adversary: AdversaryState;
  pool: Uid[];
  rng: RngState;
}

const KEYS = [...ADVERSARY_KEYS, 'mode', 'countBy', 'focus', 'classifier', 'pool', 'seed'];

function resolveFocus(f: unknown): FocusOptions | null {
  if (f === undefined || f === null) return null;
  const x = checkOptionKeys(f, ['multipliers', 'warmupSteps', 'rampSteps'], 'PromptGdroSampler options.focus');
  if (!isPlainObject(x.multipliers))
    fail('E_SPEC', 'options.focus.multipliers', 'must be an object of label → factor', 'an object', x.multipliers);
  const multipliers: Record<string, number> = {};
  for (const k of Object.keys(x.multipliers).sort(compareLabels)) {
    multipliers[k] = numIn(x.multipliers[k], `options.focus.multipliers.${k}`, { min: 0 });
  }
  return {
    multipliers,
    warmupSteps: int(x.warmupSteps, 'options.focus.warmupSteps', 0),
    rampSteps: int(x.rampSteps, 'options.focus.rampSteps', 0),
  };
}

function checkPool(p: unknown, argument: string, existing?: ReadonlySet<string>): Uid[] {
  const uids = arr(p, argument).map((u, i) => {
    const s = str(u, `${argument}[${i}]`);
    if (s.length === 0) fail('E_LABEL_RANGE', `${argument}[${i}]`, 'must be a non-empty uid', 'a stable prompt id', s);
    return s;
  });
  const seen = new Set(existing);
  uids.forEach((u, i) => {
    if (seen.has(u)) fail('E_SPEC', `${argument}[${i}]`, 'is a duplicate pool uid', 'unique uids', u);
    seen.add(u);
  });
  return uids;
}

/**
 * Prompt-GDRO (§5): difficulty bins from the online classifier are the DRO groups; the adversary's
 * exponential weights either reweight advantages (`weights`) or resample prompts (`sample`).
 */
export class PromptGdroSampler {
  private readonly o: ResolvedSamplerOptions;
  private readonly cls: OnlineDifficultyClassifier;
  private readonly adv: PromptGdroAdversary;
  private readonly pool: Uid[] = [];
  private readonly poolSet = new Set<Uid>();
  private readonly rng: Rng;

  constructor(o?: PromptGdroOptions) {
    const x = checkOptionKeys(o, KEYS, 'PromptGdroSampler');
    const mode = x.mode === undefined ? 'reweight' : oneOf(x.mode, 'options.mode', ['reweight', 'resample']);
    const base = resolveAdversaryOptions(x, 'options', mode === 'reweight');
    this.o = {
      ...base,
      mode,
      countBy: x.countBy === undefined ? 'response' : oneOf(x.countBy, 'options.countBy', ['response', 'prompt']),
      focus: resolveFocus(x.focus),
      seed: x.seed === undefined ? 0 : checkSeed(x.seed, 'options.seed'),
    };
    const pool = x.pool === undefined ? undefined : checkPool(x.pool, 'options.pool');
    if (mode === 'resample' && pool === undefined)
      fail('E_SPEC', 'options.pool', "is required in 'resample' mode", 'an array of uids');
    this.cls = new OnlineDifficultyClassifier(x.classifier as ClassifierOptions | undefined);
    const { mode: _m, countBy: _c, focus: _f, seed: _s, ...advOpts } = this.o;
    this.adv = new PromptGdroAdversary(advOpts);
    this.rng = createRng(this.o.seed);
    if (pool) this.enterPool(pool);
  }

  private enterPool(uids: readonly Uid[]): void {
    for (const u of uids) {
      this.pool.push(u);
      this.poolSet.add(u);
      this.cls.classify(u);
    }
  }

  /** Adversary steps so far (non-empty updates). */
  get step(): number {
    return this.adv.step;
  }

  /** The classifier's labels. */
  get labels(): readonly BinLabel[] {
    return this.cls.labels;
  }

  /** @internal read access for the service's `classify`. */
  get classifier(): OnlineDifficultyClassifier {
    return this.cls;
  }

  private focusFactor(label: string): number {
    const f = this.o.focus;
    if (!f) return 1;
    const t = this.adv.step;
    const r =
      f.rampSteps === 0 ? (t >= f.warmupSteps ? 1 : 0) : Math.min(1, Math.max(0, (t - f.warmupSteps) / f.rampSteps));
    const m = f.multipliers[label] ?? 1;
    return 1 + r * (m - 1);
  }

  /** Appends uids to the pool (each is classified once when it enters). */
  addToPool(uids: readonly Uid[]): void {
    const u = checkPool(uids, 'uids', this.poolSet);
    this.enterPool(u);
  }

  /**
   * Resample mode (§5.4): per slot, a bin by categorical(q, u₁) over the pool's non-empty bins (focus applied),
   * then a prompt of that bin not yet taken in this call by uniformIndex(u₂) with swap-remove (repeats only
   * when the bin is exhausted). Exactly two draws per slot.
   */
  sample(batchSize: number): { uids: Uid[]; bins: BinLabel[]; q: Record<BinLabel, number>; metrics: SampleMetrics } {
    const B = int(batchSize, 'batchSize', 1);
    if (this.o.mode !== 'resample') fail('E_SPEC', 'sample', "needs mode 'resample'", "mode: 'resample'", this.o.mode);
    if (this.pool.length === 0) fail('E_EMPTY', 'pool', 'has no prompts to sample', 'a non-empty pool');
    const byBin = new Map<string, Uid[]>();
    for (const u of this.pool) {
      const l = this.cls.peek(u);
      let list = byBin.get(l);
      if (!list) {
        list = [];
        byBin.set(l, list);
      }
      list.push(u);
    }
    const K = [...byBin.keys()].sort(compareLabels);
    const q0 = this.adv.qArray(K);
    let q = q0.map((v, i) => v * this.focusFactor(K[i] as string));
    let t = 0;
    for (const v of q) t += v;
    if (!(t > 0))
      fail('E_EMPTY', 'options.focus', 'zeroes every non-empty bin', 'a positive factor on some non-empty bin');
    q = q.map((v) => v / t);
    const work = new Map<string, Uid[]>();
    const uids: Uid[] = [];
    const bins: BinLabel[] = [];
    for (let s = 0; s < B; s++) {
      const u1 = this.rng.uniform();
      const u2 = this.rng.uniform();
      const b = K[categorical(q, u1)] as string;
      const full = byBin.get(b) as Uid[];
      let list = work.get(b);
      if (!list) {
        list = full.slice();
        work.set(b, list);
      }
      let uid: Uid;
      if (list.length > 0) {
        const j = uniformIndex(list.length, u2);
        uid = list[j] as Uid;
        list[j] = list[list.length - 1] as Uid;
        list.pop();
      } else uid = full[uniformIndex(full.length, u2)] as Uid;
      uids.push(uid);
      bins.push(this.cls.classify(uid));
    }
    const binCounts: Record<string, number> = {};
    for (const l of sortedDistinct(bins)) binCounts[l] = 0;
    for (const l of bins) binCounts[l]! += 1;
    return {
      uids,
      bins,
      q: Object.fromEntries(K.map((c, i) => [c, q[i] as number])),
      metrics: { binCounts, nonEmptyBins: K.length },
    };
  }

  /**
   * Reweight mode (§5.3): per-prompt advantage multipliers for a batch (classify commits each uid).
   * `rolloutCounts` weight the code form's mean-1 rescale by responses (countBy 'response').
   */
  weights(
    uids: readonly Uid[],
    o?: { rolloutCounts?: readonly number[] },
  ): { weights: number[]; bins: BinLabel[]; q: Record<BinLabel, number>; metrics: WeightMetrics } {
    const list = arr(uids, 'uids').map((u, i) => str(u, `uids[${i}]`));
    const x = checkOptionKeys(o, ['rolloutCounts'], 'PromptGdroSampler.weights');
    let counts: number[] = list.map(() => 1);
    if (x.rolloutCounts !== undefined) {
      const rc = arr(x.rolloutCounts, 'options.rolloutCounts').map((v, i) =>
        int(v, `options.rolloutCounts[${i}]`, 1, 'E_LABEL_RANGE'),
      );
      checkLength(rc, list.length, 'options.rolloutCounts', 'must have one count per uid');
      if (this.o.countBy === 'response') counts = rc;
    }
    if (this.o.mode !== 'reweight') fail('E_SPEC', 'weights', "needs mode 'reweight'", "mode: 'reweight'", this.o.mode);
    const peeked = list.map((u) => this.cls.peek(u));
    const raw = this.adv.weightsOf(peeked, counts);
    const bins = list.map((u) => this.cls.classify(u));
    const weights = raw.map((w, i) => w * this.focusFactor(bins[i] as string));
    const qK = this.o.form === 'paper' ? [...this.cls.labels] : sortedDistinct(bins);
    const qa = this.adv.qArray(qK);
    let capped = 0;
    for (const w of raw) if (w === this.o.maxWeight) capped++;
    let s = 0;
    for (const w of weights) s += w;
    return {
      weights,
      bins,
      q: Object.fromEntries(qK.map((c, i) => [c, qa[i] as number])),
      metrics: {
        min: weights.length ? Math.min(...weights) : null,
        mean: weights.length ? s / weights.length : null,
        max: weights.length ? Math.max(...weights) : null,
        capped,
      },
    };
  }

  /**
   * Records one step's results (§5.2, §4.6): bins are the echoed `bin` or the label at the start of the call;
   * the adversary gets per-prompt losses (`loss` or failure rate) weighted by rollouts; the classifier observes.
   */
  update(results: readonly GroupResult[]): { metrics: PromptGdroUpdateMetrics } {
    const res = checkResults(results, this.cls.options.correctThreshold, (l) => this.cls.isLabel(l));
    const labels = res.map((r) => r.bin ?? this.cls.peek(r.uid));
    const ne: CheckedResult[] = [];
    const ids: string[] = [];
    const losses: number[] = [];
    const counts: number[] = [];
    let emptyGroups = 0;
    let zeroVarianceGroups = 0;
    let outsidePool = 0;
    res.forEach((r, i) => {
      if (this.o.mode === 'resample' && !this.poolSet.has(r.uid)) outsidePool++;
      if (r.rewards.length === 0) {
        emptyGroups++;
        return;
      }
      if (isZeroVariance(r.rewards)) zeroVarianceGroups++;
      ne.push(r);
      ids.push(labels[i] as string);
      losses.push(r.loss ?? failureRate(r.correct));
      counts.push(this.o.countBy === 'response' ? r.rewards.length : 1);
    });
    const entries = this.adv.prepare(ids, losses, counts); // may throw E_NONFINITE: nothing committed yet
    for (const r of res) this.cls.classify(r.uid);
    this.adv.commit(entries);
    this.cls.observeChecked(ne);
    for (const u of new Set(ne.map((r) => r.uid))) this.cls.classify(u);
    const classes = sortedDistinct(ids);
    let N = 0;
    for (const c of counts) N += c;
    const binShares: Record<string, number> = {};
    for (const c of classes) {
      let n = 0;
      ids.forEach((id, i) => {
        if (id === c) n += counts[i] as number;
      });
      binShares[c] = n / N;
    }
    const st = this.adv.getState();
    const qK = this.o.form === 'paper' ? [...this.cls.labels] : classes;
    const qa = this.adv.qArray(qK);
    return {
      metrics: {
        step: this.adv.step,
        classes,
        binShares,
        ema: Object.fromEntries(st.classes.map((e) => [e[0], e[1]])),
        q: Object.fromEntries(qK.map((c, i) => [c, qa[i] as number])),
        emptyGroups,
        zeroVarianceGroups,
        outsidePool,
      },
    };
  }

  getState(): PromptGdroState {
    return {
      kind: KIND,
      version: 1,
      options: JSON.parse(JSON.stringify(this.o)),
      classifier: this.cls.getState(),
      adversary: this.adv.getState(),
      pool: this.pool.slice(),
      rng: this.rng.getState(),
    };
  }

  static fromState(s: PromptGdroState): PromptGdroSampler {
    checkState(s, KIND, [1], [LEGACY_KIND]);
    if (!isPlainObject(s.options)) fail('E_SPEC', 'state.options', 'must be an object', 'an object', s.options);
    const opts = { ...s.options, pool: [] as Uid[] } as PromptGdroOptions;
    const p = new PromptGdroSampler(opts);
    const pool = checkPool(s.pool, 'state.pool');
    const cls = OnlineDifficultyClassifier.fromState(s.classifier);
    const adv = PromptGdroAdversary.fromState(s.adversary);
    const rng = RngClass.fromState(s.rng);
    Object.assign(p, { cls, adv, rng });
    for (const u of pool) {
      p.pool.push(u);
      p.poolSet.add(u);
    }
    num(adv.step, 'state.adversary.step');
    return p;
  }
}
