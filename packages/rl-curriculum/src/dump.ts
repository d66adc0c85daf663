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
import {
  type AdvantageOptions,
  advantagesOfChecked,
  type ResolvedAdvantageOptions,
  resolveAdvantageOptions,
} from './advantages.js';
import { arr, checkFields, checkOptionKeys, ensureFinite, fail, int, isPlainObject, num, numIn, str } from './check.js';
import { categorical, sum, uniformIndex } from './numeric.js';
import { checkResults, type GroupResult, type Uid } from './results.js';

const KIND = stateKind('rl-curriculum', 'DumpScheduler');
const LEGACY_KIND = 'rl-curriculum/DumpScheduler';

/** Options of {@link DumpScheduler} (§7). */
export interface DumpOptions {
  /** Source (data distribution) names; non-empty, unique. */
  sources: readonly string[];
  /** k, the window of recent per-response advantages per source; default 300. */
  window?: number;
  /** UCB exploration constant c ≥ 0; default 1. */
  c?: number;
  /** Softmax temperature τ > 0; default 0.1. */
  tau?: number;
  /** Sampleable prompts with their source (pool order). */
  pool?: ReadonlyArray<{ uid: Uid; source: string }>;
  /** Advantages computed from rewards when a result carries none (defaults of grpoAdvantages). */
  advantage?: AdvantageOptions;
  /** Seed of the scheduler's Rng: a non-negative safe integer or a string (dro-core's `Seed`); default 0. */
  seed?: Seed;
}

export interface DumpMetrics {
  weights: Record<string, number>;
  ucb: Record<string, number>;
  learnability: Record<string, number>;
  n: Record<string, number>;
}

/** Options of a {@link DumpScheduler} with defaults filled in (as its state stores them). */
export interface ResolvedDumpOptions {
  sources: string[];
  window: number;
  c: number;
  tau: number;
  advantage: ResolvedAdvantageOptions;
  seed: Seed;
}

export interface DumpState {
  /** `'@drojs/rl-curriculum/DumpScheduler'` (states written as `'rl-curriculum/DumpScheduler'` before the platform still load). */
  kind: string;
  version: 1;
  options: ResolvedDumpOptions;
  /** Per source in `sources` order: [window of advantages, n]. */
  perSource: Array<[number[], number]>;
  started: boolean;
  /** [uid, source] in pool order, or null when no pool is configured. */
  pool: Array<[Uid, string]> | null;
  rng: RngState;
}

/**
 * DUMP (§7): UCB over data distributions. Learnability L̂_j = mean |advantage| over the last k responses of
 * source j; UCB_j = L̂_j + c√(2 ln(N+1)/(n_j+1)); sampling weights softmax(UCB/τ) (uniform before the first update).
 */
export class DumpScheduler {
  private readonly o: ResolvedDumpOptions;
  private readonly win: number[][];
  private readonly n: number[];
  private started = false;
  private readonly pool: Array<[Uid, string]> | null;
  private readonly poolSource = new Map<Uid, string>();
  private readonly bySource: Uid[][];
  private readonly rng: Rng;
  private readonly index: Map<string, number>;

  constructor(o: DumpOptions) {
    const x = checkOptionKeys(o, ['sources', 'window', 'c', 'tau', 'pool', 'advantage', 'seed'], 'DumpScheduler');
    if (x.sources === undefined) fail('E_SPEC', 'options.sources', 'is required', 'a non-empty array of names');
    const sources = arr(x.sources, 'options.sources').map((s, i) => str(s, `options.sources[${i}]`));
    if (sources.length === 0) fail('E_EMPTY', 'options.sources', 'must name at least one source', 'a non-empty array');
    const seen = new Set<string>();
    sources.forEach((s, i) => {
      if (seen.has(s)) fail('E_SPEC', `options.sources[${i}]`, 'is a duplicate source', 'unique names', s);
      seen.add(s);
    });
    this.o = {
      sources,
      window: x.window === undefined ? 300 : int(x.window, 'options.window', 1),
      c: x.c === undefined ? 1 : numIn(x.c, 'options.c', { min: 0 }),
      tau: x.tau === undefined ? 0.1 : numIn(x.tau, 'options.tau', { min: 0, minEx: true }),
      advantage: resolveAdvantageOptions(x.advantage, 'options.advantage'),
      seed: x.seed === undefined ? 0 : checkSeed(x.seed, 'options.seed'),
    };
    this.index = new Map(sources.map((s, i) => [s, i]));
    this.win = sources.map(() => []);
    this.n = sources.map(() => 0);
    this.bySource = sources.map(() => []);
    if (x.pool !== undefined) {
      this.pool = arr(x.pool, 'options.pool').map((e, i) => {
        const p = checkFields(e, `options.pool[${i}]`, ['uid', 'source']);
        if (e === undefined) fail('E_DTYPE', `options.pool[${i}]`, 'must be { uid, source }', 'an object', e);
        const uid = str(p.uid, `options.pool[${i}].uid`);
        const src = str(p.source, `options.pool[${i}].source`);
        if (!this.index.has(src))
          fail('E_LABEL_RANGE', `options.pool[${i}].source`, 'is not a configured source', sources.join(', '), src);
        if (this.poolSource.has(uid))
          fail('E_SPEC', `options.pool[${i}].uid`, 'is a duplicate pool uid', 'unique uids', uid);
        this.poolSource.set(uid, src);
        return [uid, src] as [Uid, string];
      });
      for (const [u, s] of this.pool) this.bySource[this.index.get(s) as number]!.push(u);
    } else this.pool = null;
    this.rng = createRng(this.o.seed);
  }

  get sources(): readonly string[] {
    return this.o.sources;
  }

  private learn(): number[] {
    return this.win.map((w) => {
      if (w.length === 0) return 0;
      let s = 0;
      for (const a of w) s += Math.abs(a);
      return s / w.length;
    });
  }

  private ucbArray(): number[] {
    const L = this.learn();
    const N = Math.max(1, sum(this.n));
    return L.map((l, j) => l + this.o.c * Math.sqrt((2 * Math.log(N + 1)) / ((this.n[j] as number) + 1)));
  }

  private weightArray(): number[] {
    const S = this.o.sources.length;
    if (!this.started) return this.o.sources.map(() => 1 / S);
    const x = this.ucbArray().map((u) => u / this.o.tau);
    let m = Number.NEGATIVE_INFINITY;
    for (const v of x) if (v > m) m = v;
    const e = x.map((v) => Math.exp(v - m));
    const t = sum(e);
    return e.map((v) => v / t);
  }

  private rec(a: number[]): Record<string, number> {
    return Object.fromEntries(this.o.sources.map((s, i) => [s, a[i] as number]));
  }

  /** Sampling probabilities per source. */
  weights(): Record<string, number> {
    return this.rec(this.weightArray());
  }

  /** UCB per source. */
  ucb(): Record<string, number> {
    return this.rec(this.ucbArray());
  }

  /** L̂ per source (0 before its first update). */
  learnability(): Record<string, number> {
    return this.rec(this.learn());
  }

  /** Responses seen per source (cumulative). */
  counts(): Record<string, number> {
    return this.rec(this.n);
  }

  metrics(): DumpMetrics {
    return { weights: this.weights(), ucb: this.ucb(), learnability: this.learnability(), n: this.counts() };
  }

  /** Per slot: a source by categorical over sources with prompts (u₁), a prompt uniformly with replacement (u₂). */
  sample(batchSize: number): { uids: Uid[]; sources: string[]; weights: Record<string, number>; metrics: DumpMetrics } {
    const B = int(batchSize, 'batchSize', 1);
    if (this.pool === null)
      fail('E_SPEC', 'options.pool', 'was not configured; sample needs a pool', 'a pool of { uid, source }');
    const active = this.o.sources.map((_, j) => j).filter((j) => (this.bySource[j] as Uid[]).length > 0);
    if (active.length === 0) fail('E_EMPTY', 'options.pool', 'has no prompts', 'a non-empty pool');
    const w = this.weightArray();
    const p = active.map((j) => w[j] as number);
    const uids: Uid[] = [];
    const sources: string[] = [];
    for (let s = 0; s < B; s++) {
      const u1 = this.rng.uniform();
      const u2 = this.rng.uniform();
      const j = active[categorical(p, u1)] as number;
      const list = this.bySource[j] as Uid[];
      uids.push(list[uniformIndex(list.length, u2)] as Uid);
      sources.push(this.o.sources[j] as string);
    }
    return { uids, sources, weights: this.rec(w), metrics: this.metrics() };
  }

  /**
   * Records results: each non-empty result's advantages (`advantages`, else GRPO advantages of its rewards)
   * go to its source (`source` or the pool's) in result order.
   */
  update(results: readonly GroupResult[]): { metrics: DumpMetrics } {
    const res = checkResults(results, 0.5);
    const per = new Map<string, number[]>();
    res.forEach((r, i) => {
      if (r.rewards.length === 0) return;
      const src = r.source ?? this.poolSource.get(r.uid);
      if (src === undefined)
        fail(
          'E_LABEL_RANGE',
          `results[${i}].source`,
          'is missing and the uid is not in the pool',
          'a configured source',
          r.uid,
        );
      if (!this.index.has(src))
        fail('E_LABEL_RANGE', `results[${i}].source`, 'is not a configured source', this.o.sources.join(', '), src);
      const adv = r.advantages ?? (advantagesOfChecked([r.rewards], this.o.advantage)[0] as number[]);
      let l = per.get(src);
      if (!l) {
        l = [];
        per.set(src, l);
      }
      l.push(...adv);
    });
    this.apply(per);
    return { metrics: this.metrics() };
  }

  /** Low level: appends per-response advantages per source (source → values). */
  updateAdvantages(perSource: Record<string, readonly number[]>): { metrics: DumpMetrics } {
    if (!isPlainObject(perSource))
      fail('E_DTYPE', 'perSource', 'must be an object of source → advantages', 'an object', perSource);
    const per = new Map<string, number[]>();
    for (const k of Object.keys(perSource)) {
      if (!this.index.has(k))
        fail('E_LABEL_RANGE', `perSource.${k}`, 'is not a configured source', this.o.sources.join(', '), k);
      per.set(
        k,
        arr(perSource[k], `perSource.${k}`).map((v, i) => num(v, `perSource.${k}[${i}]`)),
      );
    }
    this.apply(per);
    return { metrics: this.metrics() };
  }

  private apply(per: Map<string, number[]>): void {
    if (per.size === 0) return;
    for (const [s, a] of per) {
      const j = this.index.get(s) as number;
      const w = (this.win[j] as number[]).concat(a);
      this.win[j] = w.length > this.o.window ? w.slice(w.length - this.o.window) : w;
      this.n[j]! += a.length;
    }
    this.started = true;
    ensureFinite(this.ucbArray(), 'ucb');
  }

  getState(): DumpState {
    return {
      kind: KIND,
      version: 1,
      options: JSON.parse(JSON.stringify(this.o)),
      perSource: this.o.sources.map((_, j) => [(this.win[j] as number[]).slice(), this.n[j] as number]),
      started: this.started,
      pool: this.pool ? this.pool.map((e) => [e[0], e[1]]) : null,
      rng: this.rng.getState(),
    };
  }

  static fromState(s: DumpState): DumpScheduler {
    checkState(s, KIND, [1], [LEGACY_KIND]);
    if (!isPlainObject(s.options)) fail('E_SPEC', 'state.options', 'must be an object', 'an object', s.options);
    const pool =
      s.pool === null
        ? undefined
        : arr(s.pool, 'state.pool').map((e, i) => {
            const a = arr(e, `state.pool[${i}]`);
            return { uid: a[0] as string, source: a[1] as string };
          });
    const d = new DumpScheduler({ ...(s.options as DumpOptions), ...(pool ? { pool } : {}) });
    const ps = arr(s.perSource, 'state.perSource');
    if (ps.length !== d.o.sources.length)
      fail('E_SHAPE', 'state.perSource', 'must have one entry per source', `${d.o.sources.length}`, `${ps.length}`);
    ps.forEach((e, j) => {
      const a = arr(e, `state.perSource[${j}]`);
      d.win[j] = arr(a[0], `state.perSource[${j}][0]`).map((v, i) => num(v, `state.perSource[${j}][0][${i}]`));
      d.n[j] = int(a[1], `state.perSource[${j}][1]`, 0);
    });
    if (typeof s.started !== 'boolean')
      fail('E_DTYPE', 'state.started', 'must be a boolean', 'true or false', s.started);
    d.started = s.started;
    Object.assign(d, { rng: RngClass.fromState(s.rng) });
    return d;
  }
}
