import { checkState, stateKind } from '@drojs/dro-core/host';
import {
  arr,
  checkLength,
  checkOptionKeys,
  ensureFinite,
  fail,
  isPlainObject,
  num,
  numIn,
  oneOf,
  str,
} from '../check.js';
import { compareLabels, sortedDistinct } from '../labels.js';
import { sum } from '../numeric.js';

const KIND = stateKind('rl-curriculum', 'PromptGdroAdversary');
const LEGACY_KIND = 'rl-curriculum/PromptGdroAdversary';

/** Options of {@link PromptGdroAdversary} (§5). */
export interface AdversaryOptions {
  /** `'paper'` (default): ω = min(exp(η·clip(S, −C, C)), ω_max); `'code'`: batch-normalised q, mean 1, capped. */
  form?: 'paper' | 'code';
  /** Exponential-weights rate η; default 0.65. */
  eta?: number;
  /** Uniform mixing γ ∈ [0, 1]; default 0.01. */
  gamma?: number;
  /** EMA rate β ∈ (0, 1] of the class scores; default 0.12. */
  emaBeta?: number;
  /** Weight cap ω_max > 0; default 15. */
  maxWeight?: number;
  /** Score clip C of the paper form; default 3 (the paper's value is not given: package choice). */
  scoreClip?: number;
  /** Divide a class's mean loss by its realised share; default true (the sampler's resample mode: false). */
  normalizeByShare?: boolean;
  /** Released-code option: z-score the scores over all updated classes, clipped to ±cap. */
  zscore?: { cap: number; stdFloor: number } | null;
}

export interface ResolvedAdversaryOptions {
  form: 'paper' | 'code';
  eta: number;
  gamma: number;
  emaBeta: number;
  maxWeight: number;
  scoreClip: number;
  normalizeByShare: boolean;
  zscore: { cap: number; stdFloor: number } | null;
}

export interface AdversaryState {
  /** `'@drojs/rl-curriculum/PromptGdroAdversary'` (states written as `'rl-curriculum/PromptGdroAdversary'` before the platform still load). */
  kind: string;
  version: 1;
  options: ResolvedAdversaryOptions;
  /** [class, S, count] in label order. */
  classes: Array<[string, number, number]>;
  step: number;
}

export const ADVERSARY_KEYS = [
  'form',
  'eta',
  'gamma',
  'emaBeta',
  'maxWeight',
  'scoreClip',
  'normalizeByShare',
  'zscore',
];

export function resolveAdversaryOptions(
  x: Record<string, unknown>,
  argument: string,
  normDefault: boolean,
): ResolvedAdversaryOptions {
  let zscore: { cap: number; stdFloor: number } | null = null;
  if (x.zscore !== undefined && x.zscore !== null) {
    if (!isPlainObject(x.zscore))
      fail('E_SPEC', `${argument}.zscore`, 'must be { cap, stdFloor } or null', 'an object', x.zscore);
    const z = checkOptionKeys(x.zscore, ['cap', 'stdFloor'], `${argument}.zscore`);
    zscore = {
      cap: numIn(z.cap, `${argument}.zscore.cap`, { min: 0, minEx: true }),
      stdFloor: numIn(z.stdFloor, `${argument}.zscore.stdFloor`, { min: 0, minEx: true }),
    };
  }
  let nbs = normDefault;
  if (x.normalizeByShare !== undefined) {
    if (typeof x.normalizeByShare !== 'boolean')
      fail('E_DTYPE', `${argument}.normalizeByShare`, 'must be a boolean', 'true or false', x.normalizeByShare);
    nbs = x.normalizeByShare;
  }
  return {
    form: x.form === undefined ? 'paper' : oneOf(x.form, `${argument}.form`, ['paper', 'code']),
    eta: x.eta === undefined ? 0.65 : numIn(x.eta, `${argument}.eta`, { min: 0 }),
    gamma: x.gamma === undefined ? 0.01 : numIn(x.gamma, `${argument}.gamma`, { min: 0, max: 1 }),
    emaBeta: x.emaBeta === undefined ? 0.12 : numIn(x.emaBeta, `${argument}.emaBeta`, { min: 0, minEx: true, max: 1 }),
    maxWeight: x.maxWeight === undefined ? 15 : numIn(x.maxWeight, `${argument}.maxWeight`, { min: 0, minEx: true }),
    scoreClip: x.scoreClip === undefined ? 3 : numIn(x.scoreClip, `${argument}.scoreClip`, { min: 0 }),
    normalizeByShare: nbs,
    zscore,
  };
}

/** Paper multiplier (eq. 16): min(exp(η·clip(score, −C, C)), ω_max). */
export function paperPromptGdroMultiplier(score: number, o: { eta: number; clip: number; maxWeight: number }): number {
  const x = checkOptionKeys(o, ['eta', 'clip', 'maxWeight'], 'paperPromptGdroMultiplier');
  const s = num(score, 'score');
  const eta = numIn(x.eta, 'options.eta', { min: 0 });
  const C = numIn(x.clip, 'options.clip', { min: 0 });
  const wmax = numIn(x.maxWeight, 'options.maxWeight', { min: 0, minEx: true });
  return Math.min(Math.exp(eta * Math.min(C, Math.max(-C, s))), wmax);
}

/**
 * Class-level Prompt-GDRO engine (§5.1–5.3): an EMA score per difficulty class and exponential weights
 * q_c ∝ exp(η s_c) mixed with γ/|K|. Weights are recomputed from the scores every step (no regret state).
 */
export class PromptGdroAdversary {
  private readonly o: ResolvedAdversaryOptions;
  private readonly S = new Map<string, { ema: number; count: number }>();
  private steps = 0;

  constructor(o?: AdversaryOptions) {
    this.o = resolveAdversaryOptions(checkOptionKeys(o, ADVERSARY_KEYS, 'PromptGdroAdversary'), 'options', true);
  }

  get options(): ResolvedAdversaryOptions {
    return JSON.parse(JSON.stringify(this.o));
  }

  /** Number of non-empty updates. */
  get step(): number {
    return this.steps;
  }

  ema(c: string): number | undefined {
    return this.S.get(str(c, 'class'))?.ema;
  }

  count(c: string): number {
    return this.S.get(str(c, 'class'))?.count ?? 0;
  }

  /** Scores s_c of the given distinct classes (z-score and paper clip applied). */
  private scores(K: readonly string[]): number[] {
    let s = K.map((c) => this.S.get(c)?.ema ?? 0);
    const z = this.o.zscore;
    if (z && this.S.size > 0) {
      const all = [...this.S.keys()].sort(compareLabels).map((c) => (this.S.get(c) as { ema: number }).ema);
      const m = sum(all) / all.length;
      let ss = 0;
      for (const v of all) ss += (v - m) * (v - m);
      const sd = Math.max(z.stdFloor, Math.sqrt(ss / all.length));
      s = s.map((v) => Math.min(z.cap, Math.max(-z.cap, (v - m) / sd)));
    }
    if (this.o.form === 'paper') s = s.map((v) => Math.min(this.o.scoreClip, Math.max(-this.o.scoreClip, v)));
    return s;
  }

  /** q over the distinct sorted classes K (array aligned with K). */
  qArray(K: readonly string[]): number[] {
    if (K.length === 0) return [];
    const x = this.scores(K).map((v) => this.o.eta * v);
    let m = Number.NEGATIVE_INFINITY;
    for (const v of x) if (v > m) m = v;
    const e = x.map((v) => Math.exp(v - m));
    const t = sum(e);
    const g = this.o.gamma;
    const q = e.map((v) => (1 - g) * (v / t) + g / K.length);
    ensureFinite(q, 'q');
    return q;
  }

  /** q over the DISTINCT classes given, keyed in label order. */
  q(classes: readonly string[]): Record<string, number> {
    const K = sortedDistinct(arr(classes, 'classes').map((c, i) => str(c, `classes[${i}]`)));
    const q = this.qArray(K);
    return Object.fromEntries(K.map((c, i) => [c, q[i] as number]));
  }

  /**
   * Per-prompt multipliers (§5.3). `counts` are rollouts per prompt (code form: the mean-1 rescale is over
   * responses). Paper form: min(exp(η s_c), ω_max), unnormalised. Code form: q_c·R/Σ n_k q_{c(k)}, capped, no renormalisation.
   */
  sampleWeights(classIds: readonly string[], counts?: readonly number[]): number[] {
    const ids = arr(classIds, 'classIds').map((c, i) => str(c, `classIds[${i}]`));
    const n = this.checkCounts(ids, counts);
    return this.weightsOf(ids, n);
  }

  private checkCounts(ids: readonly string[], counts?: readonly number[]): number[] {
    if (counts === undefined) return ids.map(() => 1);
    const n = arr(counts, 'counts').map((v, i) => numIn(v, `counts[${i}]`, { min: 0, minEx: true }, 'E_LABEL_RANGE'));
    checkLength(n, ids.length, 'counts', 'must have one count per class id');
    return n;
  }

  /** @internal weights of validated inputs */
  weightsOf(ids: readonly string[], n: readonly number[]): number[] {
    if (ids.length === 0) return [];
    const K = sortedDistinct(ids);
    if (this.o.form === 'paper') {
      const s = this.scores(K);
      const w = new Map(K.map((c, i) => [c, Math.min(Math.exp(this.o.eta * (s[i] as number)), this.o.maxWeight)]));
      return ids.map((c) => w.get(c) as number);
    }
    if (K.length === 1) return ids.map(() => 1);
    const qa = this.qArray(K);
    const q = new Map(K.map((c, i) => [c, qa[i] as number]));
    const R = sum(n);
    let d = 0;
    for (let i = 0; i < ids.length; i++) d += (n[i] as number) * (q.get(ids[i] as string) as number);
    const w = ids.map((c) => Math.min(((q.get(c) as number) * R) / d, this.o.maxWeight));
    ensureFinite(w, 'weights');
    return w;
  }

  /** Records one step's losses (§5.2): per-class count-weighted mean (÷ share if normalizeByShare), EMA with first-observation init. */
  update(classIds: readonly string[], losses: readonly number[], counts?: readonly number[]): void {
    const ids = arr(classIds, 'classIds').map((c, i) => str(c, `classIds[${i}]`));
    const l = arr(losses, 'losses').map((v, i) => num(v, `losses[${i}]`));
    checkLength(l, ids.length, 'losses', 'must have one loss per class id');
    const n = this.checkCounts(ids, counts);
    this.commit(this.prepare(ids, l, n));
  }

  /** @internal computes the new per-class entries (throws E_NONFINITE before any change). */
  prepare(ids: readonly string[], l: readonly number[], n: readonly number[]): Array<[string, number, number]> {
    if (ids.length === 0) return [];
    const K = sortedDistinct(ids);
    const N = sum(n);
    const out: Array<[string, number, number]> = [];
    for (const c of K) {
      let num0 = 0;
      let den = 0;
      for (let i = 0; i < ids.length; i++) {
        if (ids[i] !== c) continue;
        num0 += (n[i] as number) * (l[i] as number);
        den += n[i] as number;
      }
      let m = num0 / den;
      if (this.o.normalizeByShare) m = m / (den / N);
      const prev = this.S.get(c);
      const count = (prev?.count ?? 0) + 1;
      const ema = count === 1 || !prev ? m : (1 - this.o.emaBeta) * prev.ema + this.o.emaBeta * m;
      out.push([c, ema, count]);
    }
    ensureFinite(
      out.map((e) => e[1]),
      'losses',
    );
    return out;
  }

  /** @internal */
  commit(entries: ReadonlyArray<[string, number, number]>): void {
    if (entries.length === 0) return;
    for (const [c, ema, count] of entries) this.S.set(c, { ema, count });
    this.steps++;
  }

  getState(): AdversaryState {
    return {
      kind: KIND,
      version: 1,
      options: this.options,
      classes: [...this.S.keys()].sort(compareLabels).map((c) => {
        const e = this.S.get(c) as { ema: number; count: number };
        return [c, e.ema, e.count];
      }),
      step: this.steps,
    };
  }

  static fromState(s: AdversaryState): PromptGdroAdversary {
    checkState(s, KIND, [1], [LEGACY_KIND]);
    const a = new PromptGdroAdversary(s.options as AdversaryOptions);
    arr(s.classes, 'state.classes').forEach((e, i) => {
      const p = `state.classes[${i}]`;
      const x = arr(e, p);
      if (x.length !== 3) fail('E_SHAPE', p, 'must be [class, ema, count]', '3 entries', `${x.length}`);
      const count = num(x[2], `${p}[2]`);
      if (!Number.isSafeInteger(count) || count < 1)
        fail('E_SPEC', `${p}[2]`, 'must be a positive integer', '≥ 1', count);
      a.S.set(str(x[0], `${p}[0]`), { ema: num(x[1], `${p}[1]`), count });
    });
    const step = num(s.step, 'state.step');
    if (!Number.isSafeInteger(step) || step < 0)
      fail('E_SPEC', 'state.step', 'must be a non-negative integer', '≥ 0', step);
    a.steps = step;
    return a;
  }
}
