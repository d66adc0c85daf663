import { checkState, stateKind } from '@drojs/dro-core/host';
import { arr, checkOptionKeys, fail, int, isPlainObject, num, numIn, oneOf, str } from './check.js';
import { passAtK } from './passAtK.js';
import { type BinLabel, type CheckedResult, checkResults, type GroupResult, type Uid } from './results.js';

const KIND = stateKind('rl-curriculum', 'OnlineDifficultyClassifier');
const LEGACY_KIND = 'rl-curriculum/OnlineDifficultyClassifier';

/** Options of {@link OnlineDifficultyClassifier} (§4). */
export interface ClassifierOptions {
  /** Strictly increasing edges in (0, 1); overrides `numBins`. */
  edges?: readonly number[];
  /** Uniform bins with edges i/B; default 10 (the paper). */
  numBins?: number;
  /** Window of recent observations; default 50; 0 = cumulative accuracy. */
  historyLen?: number;
  /** Hysteresis δ ∈ [0, 0.49]; default 0.03. */
  hysteresis?: number;
  /** `'bin'` (default) or `'separate'`: accuracy 0 or 1 (and unseen prompts) get the label `"excl"`. */
  extremes?: 'bin' | 'separate';
  /** `{ passAtK: 8 }` (default, the paper) or `'anyOfN'` (the released code). */
  indicator?: 'anyOfN' | { passAtK: number };
  /** Default correctness is reward > this; default 0.5. */
  correctThreshold?: number;
}

export interface ResolvedClassifierOptions {
  edges: number[] | null;
  numBins: number;
  historyLen: number;
  hysteresis: number;
  extremes: 'bin' | 'separate';
  indicator: 'anyOfN' | { passAtK: number };
  correctThreshold: number;
}

interface Rec {
  seen: number;
  correct: number;
  recent: number[];
  lastBin: number | null;
}

export interface ClassifierState {
  /** `'@drojs/rl-curriculum/OnlineDifficultyClassifier'` (states written as `'rl-curriculum/OnlineDifficultyClassifier'` before the platform still load). */
  kind: string;
  version: 1;
  options: ResolvedClassifierOptions;
  /** [uid, seen, correct, recent, lastBin] in first-seen order. */
  uids: Array<[Uid, number, number, number[], number | null]>;
}

const KEYS = ['edges', 'numBins', 'historyLen', 'hysteresis', 'extremes', 'indicator', 'correctThreshold'];

export function resolveClassifierOptions(o: unknown, argument = 'options'): ResolvedClassifierOptions {
  const x = checkOptionKeys(o, KEYS, argument === 'options' ? 'OnlineDifficultyClassifier' : argument);
  let edges: number[] | null = null;
  let numBins = 10;
  if (x.edges !== undefined && x.edges !== null) {
    edges = arr(x.edges, `${argument}.edges`).map((v, i) => num(v, `${argument}.edges[${i}]`));
    edges.forEach((e, i) => {
      if (!(e > 0 && e < 1)) fail('E_SPEC', `${argument}.edges[${i}]`, 'must lie in (0, 1)', '0 < e < 1', e);
      if (i > 0 && !(e > (edges as number[])[i - 1]!))
        fail('E_SPEC', `${argument}.edges`, 'must be strictly increasing', 'e_1 < … < e_{B−1}', `${edges}`);
    });
    numBins = edges.length + 1;
  } else if (x.numBins !== undefined) numBins = int(x.numBins, `${argument}.numBins`, 1);
  let indicator: 'anyOfN' | { passAtK: number } = { passAtK: 8 };
  if (x.indicator !== undefined) {
    if (x.indicator === 'anyOfN') indicator = 'anyOfN';
    else if (isPlainObject(x.indicator)) {
      const ind = checkOptionKeys(x.indicator, ['passAtK'], `${argument}.indicator`);
      indicator = { passAtK: int(ind.passAtK, `${argument}.indicator.passAtK`, 1) };
    } else
      fail(
        'E_SPEC',
        `${argument}.indicator`,
        "must be 'anyOfN' or { passAtK: k }",
        "'anyOfN' | { passAtK }",
        x.indicator,
      );
  }
  return {
    edges,
    numBins,
    historyLen: x.historyLen === undefined ? 50 : int(x.historyLen, `${argument}.historyLen`, 0),
    hysteresis:
      x.hysteresis === undefined ? 0.03 : numIn(x.hysteresis, `${argument}.hysteresis`, { min: 0, max: 0.49 }),
    extremes: x.extremes === undefined ? 'bin' : oneOf(x.extremes, `${argument}.extremes`, ['bin', 'separate']),
    indicator,
    correctThreshold: x.correctThreshold === undefined ? 0.5 : num(x.correctThreshold, `${argument}.correctThreshold`),
  };
}

/**
 * Online difficulty classifier (§4): per-uid accuracy (window of H observations, or cumulative) mapped to
 * bins by edges, with hysteresis δ around the one edge between the previous and the new bin.
 * `classify` commits the hysteresis state; `peek` does not. An unseen prompt has accuracy 0 (hardest bin or `excl`).
 */
export class OnlineDifficultyClassifier {
  /** Every label the classifier can emit, in label order. */
  readonly labels: readonly BinLabel[];
  private readonly o: ResolvedClassifierOptions;
  private readonly edges: number[];
  private readonly recs = new Map<Uid, Rec>();
  private readonly labelSet: Set<string>;

  constructor(o?: ClassifierOptions) {
    this.o = resolveClassifierOptions(o);
    const B = this.o.numBins;
    this.edges = this.o.edges ? this.o.edges.slice() : Array.from({ length: B - 1 }, (_, i) => (i + 1) / B);
    const labels = Array.from({ length: B }, (_, i) => String(i));
    if (this.o.extremes === 'separate') labels.push('excl');
    this.labels = Object.freeze(labels);
    this.labelSet = new Set(labels);
  }

  /** Resolved options (defaults filled in). */
  get options(): ResolvedClassifierOptions {
    return JSON.parse(JSON.stringify(this.o));
  }

  /** @internal */
  isLabel(l: string): boolean {
    return this.labelSet.has(l);
  }

  accuracy(uid: Uid): number {
    str(uid, 'uid');
    return this.acc(this.recs.get(uid));
  }

  private acc(r: Rec | undefined): number {
    if (!r) return 0;
    if (this.o.historyLen > 0 && r.recent.length > 0) {
      let s = 0;
      for (const v of r.recent) s += v;
      return s / r.recent.length;
    }
    return r.seen > 0 ? r.correct / r.seen : 0;
  }

  /** Label and the bin to commit (null: nothing to commit). */
  private label(uid: Uid): [BinLabel, number | null] {
    const r = this.recs.get(uid);
    const a = this.acc(r);
    if (this.o.extremes === 'separate' && (a <= 0 || a >= 1)) return ['excl', null];
    let raw = 0;
    for (const e of this.edges) if (e <= a) raw++;
    const d = this.o.hysteresis;
    if (d === 0) return [String(raw), null];
    const prev = r?.lastBin ?? raw;
    let bin = raw;
    if (raw !== prev) {
      const e = this.edges[Math.min(prev, raw)] as number;
      bin = raw > prev ? (a >= e + d ? raw : prev) : a <= e - d ? raw : prev;
    }
    return [String(bin), bin];
  }

  /** Label of `uid`, committing the hysteresis state. */
  classify(uid: Uid): BinLabel {
    str(uid, 'uid');
    const [l, commit] = this.label(uid);
    if (commit !== null) {
      let r = this.recs.get(uid);
      if (!r) {
        r = { seen: 0, correct: 0, recent: [], lastBin: null };
        this.recs.set(uid, r);
      }
      r.lastBin = commit;
    }
    return l;
  }

  /** Label of `uid` without committing. */
  peek(uid: Uid): BinLabel {
    str(uid, 'uid');
    return this.label(uid)[0];
  }

  /** The per-step observation of a result (§4.2); null for an empty group. */
  indicatorOf(r: GroupResult): number | null {
    const c = checkResults([r], this.o.correctThreshold, undefined, 'result')[0] as CheckedResult;
    return this.indicatorOfChecked(c);
  }

  /** @internal */
  indicatorOfChecked(r: CheckedResult): number | null {
    const n = r.correct.length;
    if (n === 0) return null;
    let c = 0;
    for (const x of r.correct) if (x) c++;
    if (this.o.indicator === 'anyOfN') return c > 0 ? 1 : 0;
    const k = this.o.indicator.passAtK;
    return n >= k ? passAtK(n, c, k) : 1 - (1 - c / n) ** k;
  }

  /** Records one observation x ∈ [0, 1] (or a boolean) for `uid`. */
  observe(uid: Uid, value: number | boolean): void {
    str(uid, 'uid');
    if (uid.length === 0) fail('E_LABEL_RANGE', 'uid', 'must be non-empty', 'a stable prompt id', uid);
    const x = typeof value === 'boolean' ? (value ? 1 : 0) : numIn(value, 'value', { min: 0, max: 1 }, 'E_LABEL_RANGE');
    this.record(uid, x);
  }

  private record(uid: Uid, x: number): void {
    let r = this.recs.get(uid);
    if (!r) {
      r = { seen: 0, correct: 0, recent: [], lastBin: null };
      this.recs.set(uid, r);
    }
    r.seen += 1;
    r.correct += x;
    if (this.o.historyLen > 0) {
      r.recent.push(x);
      if (r.recent.length > this.o.historyLen) r.recent.shift();
    }
  }

  /** Observes every non-empty result (one observation each); validates all first. */
  observeResults(results: readonly GroupResult[]): { observed: number; emptyGroups: number } {
    const c = checkResults(results, this.o.correctThreshold, (l) => this.isLabel(l));
    return this.observeChecked(c);
  }

  /** @internal */
  observeChecked(results: readonly CheckedResult[]): { observed: number; emptyGroups: number } {
    let observed = 0;
    let emptyGroups = 0;
    for (const r of results) {
      const x = this.indicatorOfChecked(r);
      if (x === null) emptyGroups++;
      else {
        this.record(r.uid, x);
        observed++;
      }
    }
    return { observed, emptyGroups };
  }

  /** Update as a stand-alone controller: classify every uid, observe, re-classify the observed ones (§4.6). */
  update(results: readonly GroupResult[]): { metrics: { observed: number; emptyGroups: number } } {
    const c = checkResults(results, this.o.correctThreshold, (l) => this.isLabel(l));
    for (const r of c) this.classify(r.uid);
    const m = this.observeChecked(c);
    for (const u of new Set(c.filter((r) => r.rewards.length > 0).map((r) => r.uid))) this.classify(u);
    return { metrics: m };
  }

  getState(): ClassifierState {
    return {
      kind: KIND,
      version: 1,
      options: this.options,
      uids: [...this.recs].map(([u, r]) => [u, r.seen, r.correct, r.recent.slice(), r.lastBin]),
    };
  }

  static fromState(s: ClassifierState): OnlineDifficultyClassifier {
    checkState(s, KIND, [1], [LEGACY_KIND]);
    const c = new OnlineDifficultyClassifier(s.options as ClassifierOptions);
    const list = arr(s.uids, 'state.uids');
    list.forEach((e, i) => {
      const p = `state.uids[${i}]`;
      const a = arr(e, p);
      if (a.length !== 5)
        fail('E_SHAPE', p, 'must be [uid, seen, correct, recent, lastBin]', '5 entries', `${a.length}`);
      const uid = str(a[0], `${p}[0]`);
      if (c.recs.has(uid)) fail('E_SPEC', `${p}[0]`, 'is a duplicate uid', 'unique uids', uid);
      const recent = arr(a[3], `${p}[3]`).map((v, j) => numIn(v, `${p}[3][${j}]`, { min: 0, max: 1 }, 'E_SPEC'));
      const lastBin = a[4] === null ? null : int(a[4], `${p}[4]`, 0);
      if (lastBin !== null && lastBin >= c.o.numBins)
        fail('E_SPEC', `${p}[4]`, 'is not a bin', `< ${c.o.numBins}`, lastBin);
      c.recs.set(uid, { seen: int(a[1], `${p}[1]`, 0), correct: num(a[2], `${p}[2]`), recent, lastBin });
    });
    return c;
  }
}
