import { checkState, stateKind } from '@drojs/dro-core/host';
import { arr, checkOptionKeys, ensureFinite, fail, int, isPlainObject, num, numIn, oneOf, str } from '../check.js';
import { compareLabels } from '../labels.js';
import { sum } from '../numeric.js';
import type { BinLabel } from '../results.js';

const KIND = stateKind('rl-curriculum', 'RolloutArmBandit');
const LEGACY_KIND = 'rl-curriculum/RolloutArmBandit';

/** Options of {@link RolloutArmBandit} (§6.2). */
export interface ArmBanditOptions {
  /** Smallest arm (rollouts per prompt), integer ≥ 1. */
  nMin: number;
  /** Largest arm, integer ≥ nMin. */
  nMax: number;
  /** n̄, the mean budget per prompt; default 4. */
  meanBudget?: number;
  eta?: number;
  gamma?: number;
  /** α_μ of the (inert when the budget is met) dual ascent; default 0.05. */
  dualLr?: number;
  /** `'paper'` (default) = utility sign, EMA arm scores, tie toward n̄; `'code'` = loss sign, cumulative, first tie. */
  variant?: 'paper' | 'code';
  scoreSign?: 'utility' | 'loss';
  armScore?: 'ema' | 'cumulative';
  /** β_a of `armScore: 'ema'` (the package's reading of "arm score EMA 0.4"); default 0.4. */
  armEmaBeta?: number;
  tieBreak?: 'mean' | 'first';
  /** Initial shadow price; default 0. */
  mu?: number;
}

export interface ResolvedArmBanditOptions {
  nMin: number;
  nMax: number;
  meanBudget: number;
  eta: number;
  gamma: number;
  dualLr: number;
  variant: 'paper' | 'code';
  scoreSign: 'utility' | 'loss';
  armScore: 'ema' | 'cumulative';
  armEmaBeta: number;
  tieBreak: 'mean' | 'first';
  mu: number;
}

export interface ArmBanditState {
  /** `'@drojs/rl-curriculum/RolloutArmBandit'` (states written as `'rl-curriculum/RolloutArmBandit'` before the platform still load). */
  kind: string;
  version: 1;
  options: ResolvedArmBanditOptions;
  /** [bin, scores per arm, update counts per arm] in label order. */
  bins: Array<[BinLabel, number[], number[]]>;
  mu: number;
}

export const ARM_KEYS = [
  'nMin',
  'nMax',
  'meanBudget',
  'eta',
  'gamma',
  'dualLr',
  'variant',
  'scoreSign',
  'armScore',
  'armEmaBeta',
  'tieBreak',
  'mu',
];

export function resolveArmOptions(
  x: Record<string, unknown>,
  argument: string,
  defaults: { nMin?: number; nMax?: number } = {},
): ResolvedArmBanditOptions {
  if (x.nMin === undefined && defaults.nMin === undefined)
    fail('E_SPEC', `${argument}.nMin`, 'is required', 'an integer ≥ 1');
  if (x.nMax === undefined && defaults.nMax === undefined)
    fail('E_SPEC', `${argument}.nMax`, 'is required', 'an integer ≥ nMin');
  const nMin = int(x.nMin ?? defaults.nMin, `${argument}.nMin`, 1);
  const nMax = int(x.nMax ?? defaults.nMax, `${argument}.nMax`, 1);
  if (nMin > nMax) fail('E_SPEC', `${argument}.nMin`, 'must not exceed nMax', `≤ ${nMax}`, nMin);
  const meanBudget = x.meanBudget === undefined ? 4 : num(x.meanBudget, `${argument}.meanBudget`);
  if (meanBudget < nMin || meanBudget > nMax)
    fail('E_SPEC', `${argument}.meanBudget`, 'must lie in [nMin, nMax]', `${nMin} ≤ n̄ ≤ ${nMax}`, meanBudget);
  const variant = x.variant === undefined ? 'paper' : oneOf(x.variant, `${argument}.variant`, ['paper', 'code']);
  const paper = variant === 'paper';
  return {
    nMin,
    nMax,
    meanBudget,
    eta: x.eta === undefined ? 0.65 : numIn(x.eta, `${argument}.eta`, { min: 0 }),
    gamma: x.gamma === undefined ? 0.01 : numIn(x.gamma, `${argument}.gamma`, { min: 0, max: 1 }),
    dualLr: x.dualLr === undefined ? 0.05 : numIn(x.dualLr, `${argument}.dualLr`, { min: 0 }),
    variant,
    scoreSign:
      x.scoreSign === undefined
        ? paper
          ? 'utility'
          : 'loss'
        : oneOf(x.scoreSign, `${argument}.scoreSign`, ['utility', 'loss']),
    armScore:
      x.armScore === undefined
        ? paper
          ? 'ema'
          : 'cumulative'
        : oneOf(x.armScore, `${argument}.armScore`, ['ema', 'cumulative']),
    armEmaBeta:
      x.armEmaBeta === undefined ? 0.4 : numIn(x.armEmaBeta, `${argument}.armEmaBeta`, { min: 0, minEx: true, max: 1 }),
    tieBreak:
      x.tieBreak === undefined
        ? paper
          ? 'mean'
          : 'first'
        : oneOf(x.tieBreak, `${argument}.tieBreak`, ['mean', 'first']),
    mu: x.mu === undefined ? 0 : num(x.mu, `${argument}.mu`),
  };
}

/** Label-keyed non-negative integer map (validated) as sorted entries. */
export function checkCountMap(m: unknown, argument: string): Array<[string, number]> {
  if (!isPlainObject(m)) fail('E_DTYPE', argument, 'must be an object of label → count', 'an object', m);
  return Object.keys(m)
    .sort(compareLabels)
    .map((k) => [k, int(m[k], `${argument}.${k}`, 0, 'E_LABEL_RANGE')]);
}

interface DpEntry {
  cost: number;
  dev: number;
  path: number[];
}

/**
 * Rollout-GDRO's arm bandit (§6.2): per bin, exponential weights over arms nMin..nMax; `choose` picks the
 * joint configuration of maximal joint probability that meets the budget (DP over reachable totals,
 * closest total if none is exact); `update` moves only the chosen arm's score.
 */
export class RolloutArmBandit {
  private readonly o: ResolvedArmBanditOptions;
  private readonly arms: number[];
  private readonly bins = new Map<string, { scores: number[]; counts: number[] }>();
  private dual: number;

  constructor(o: ArmBanditOptions) {
    this.o = resolveArmOptions(checkOptionKeys(o, ARM_KEYS, 'RolloutArmBandit'), 'options');
    this.arms = [];
    for (let a = this.o.nMin; a <= this.o.nMax; a++) this.arms.push(a);
    this.dual = this.o.mu;
  }

  get options(): ResolvedArmBanditOptions {
    return { ...this.o };
  }

  /** Current shadow price μ. */
  get mu(): number {
    return this.dual;
  }

  /** Arm scores of a bin (zeros for an unseen bin). */
  scores(bin: BinLabel): number[] {
    const b = this.bins.get(str(bin, 'bin'));
    return b ? b.scores.slice() : this.arms.map(() => 0);
  }

  /** Bins that have scores, in label order. */
  knownBins(): BinLabel[] {
    return [...this.bins.keys()].sort(compareLabels);
  }

  /** (1 − γ)·softmax(η·score) + γ/|arms|. */
  probs(bin: BinLabel): number[] {
    const s = this.scores(bin).map((v) => this.o.eta * v);
    let m = Number.NEGATIVE_INFINITY;
    for (const v of s) if (v > m) m = v;
    const e = s.map((v) => Math.exp(v - m));
    const t = sum(e);
    const p = e.map((v) => (1 - this.o.gamma) * (v / t) + this.o.gamma / this.arms.length);
    ensureFinite(p, `probs(${bin})`);
    return p;
  }

  private better(a: DpEntry, b: DpEntry): boolean {
    if (this.o.tieBreak === 'first') return a.cost < b.cost;
    if (a.cost < b.cost - 1e-12) return true;
    return Math.abs(a.cost - b.cost) <= 1e-12 && a.dev < b.dev - 1e-12;
  }

  /** DP choice of one arm per bin (bins with count ≤ 0 skipped); exact total when reachable, else the closest. */
  choose(binCounts: Record<BinLabel, number>, total: number): { choice: Record<BinLabel, number>; chosenSum: number } {
    const entries = checkCountMap(binCounts, 'binCounts');
    const t = int(total, 'total', 0);
    return this.chooseChecked(entries, t);
  }

  /** @internal */
  chooseChecked(
    entries: ReadonlyArray<[string, number]>,
    total: number,
  ): { choice: Record<BinLabel, number>; chosenSum: number } {
    const active = entries.filter((e) => e[1] > 0);
    let states = new Map<number, DpEntry>([[0, { cost: 0, dev: 0, path: [] }]]);
    for (const [bin, cnt] of active) {
      const lp = this.probs(bin).map((p) => -Math.log(Math.max(p, 1e-12)));
      const next = new Map<number, DpEntry>();
      for (const [tot, st] of states) {
        this.arms.forEach((arm, ai) => {
          const cand: DpEntry = {
            cost: st.cost + (lp[ai] as number),
            dev: st.dev + cnt * Math.abs(arm - this.o.meanBudget),
            path: [...st.path, arm],
          };
          const key = tot + arm * cnt;
          const cur = next.get(key);
          if (!cur || this.better(cand, cur)) next.set(key, cand);
        });
      }
      states = next;
    }
    let bestKey = 0;
    let best: DpEntry | null = null;
    for (const [tot, st] of states) {
      if (!best) {
        best = st;
        bestKey = tot;
        continue;
      }
      const d = Math.abs(tot - total);
      const bd = Math.abs(bestKey - total);
      if (d < bd || (d === bd && this.better(st, best))) {
        best = st;
        bestKey = tot;
      }
    }
    const path = (best as DpEntry).path;
    return { choice: Object.fromEntries(active.map((e, i) => [e[0], path[i] as number])), chosenSum: bestKey };
  }

  /**
   * After a step: for each bin of `choice` with a mean loss, u = ∓ℓ̄ − μ(n_b − n̄) (sign by `scoreSign`) updates
   * only the chosen arm (EMA or cumulative); then μ ← μ + α_μ(realised − n̄), realised = Σ n_b·count_b / Σ count_b
   * (or `realized` when given, the mean of the actual per-prompt counts).
   */
  update(
    choice: Record<BinLabel, number>,
    binMeanLoss: Record<BinLabel, number>,
    binCounts: Record<BinLabel, number>,
    realized?: number,
  ): void {
    const ch = checkCountMap(choice, 'choice');
    ch.forEach(([b, a]) => {
      if (a < this.o.nMin || a > this.o.nMax)
        fail('E_LABEL_RANGE', `choice.${b}`, 'is not an arm', `${this.o.nMin}..${this.o.nMax}`, a);
    });
    if (!isPlainObject(binMeanLoss))
      fail('E_DTYPE', 'binMeanLoss', 'must be an object of label → loss', 'an object', binMeanLoss);
    const loss = new Map(Object.keys(binMeanLoss).map((k) => [k, num(binMeanLoss[k], `binMeanLoss.${k}`)]));
    const counts = new Map(checkCountMap(binCounts, 'binCounts'));
    const r = realized === undefined ? undefined : num(realized, 'realized');
    const plan: Array<[string, number[], number[]]> = [];
    for (const [b, arm] of ch) {
      const l = loss.get(b);
      if (l === undefined) continue;
      const u = (this.o.scoreSign === 'utility' ? -l : l) - this.dual * (arm - this.o.meanBudget);
      const cur = this.bins.get(b);
      const scores = cur ? cur.scores.slice() : this.arms.map(() => 0);
      const cnts = cur ? cur.counts.slice() : this.arms.map(() => 0);
      const ai = arm - this.o.nMin;
      if (this.o.armScore === 'cumulative') scores[ai]! += u;
      else scores[ai] = cnts[ai] === 0 ? u : (1 - this.o.armEmaBeta) * scores[ai]! + this.o.armEmaBeta * u;
      cnts[ai]! += 1;
      ensureFinite(scores, `scores of bin ${b}`);
      plan.push([b, scores, cnts]);
    }
    let realised = r;
    if (realised === undefined) {
      let num0 = 0;
      let den = 0;
      for (const [b, arm] of ch) {
        const c = counts.get(b) ?? 0;
        num0 += arm * c;
        den += c;
      }
      realised = den > 0 ? num0 / den : this.o.meanBudget;
    }
    const mu = this.dual + this.o.dualLr * (realised - this.o.meanBudget);
    ensureFinite([mu], 'mu');
    for (const [b, scores, cnts] of plan) this.bins.set(b, { scores, counts: cnts });
    this.dual = mu;
  }

  getState(): ArmBanditState {
    return {
      kind: KIND,
      version: 1,
      options: this.options,
      bins: this.knownBins().map((b) => {
        const e = this.bins.get(b) as { scores: number[]; counts: number[] };
        return [b, e.scores.slice(), e.counts.slice()];
      }),
      mu: this.dual,
    };
  }

  static fromState(s: ArmBanditState): RolloutArmBandit {
    checkState(s, KIND, [1], [LEGACY_KIND]);
    const x = new RolloutArmBandit(s.options as ArmBanditOptions);
    arr(s.bins, 'state.bins').forEach((e, i) => {
      const p = `state.bins[${i}]`;
      const a = arr(e, p);
      if (a.length !== 3) fail('E_SHAPE', p, 'must be [bin, scores, counts]', '3 entries', `${a.length}`);
      const scores = arr(a[1], `${p}[1]`).map((v, j) => num(v, `${p}[1][${j}]`));
      const counts = arr(a[2], `${p}[2]`).map((v, j) => int(v, `${p}[2][${j}]`, 0));
      if (scores.length !== x.arms.length || counts.length !== x.arms.length) {
        fail(
          'E_SHAPE',
          p,
          'must hold one score and one count per arm',
          `${x.arms.length}`,
          `${scores.length}/${counts.length}`,
        );
      }
      x.bins.set(str(a[0], `${p}[0]`), { scores, counts });
    });
    x.dual = num(s.mu, 'state.mu');
    return x;
  }
}
