import { checkState, stateKind } from '@drojs/dro-core/host';
import {
  arr,
  checkFields,
  checkOptionKeys,
  ensureFinite,
  fail,
  int,
  isPlainObject,
  num,
  numIn,
  oneOf,
  str,
} from '../check.js';
import { type ClassifierOptions, type ClassifierState, OnlineDifficultyClassifier } from '../classifier.js';
import { compareLabels, sortedDistinct } from '../labels.js';
import { sum } from '../numeric.js';
import { type BinLabel, checkResults, failureRate, type GroupResult, type Uid } from '../results.js';
import {
  ARM_KEYS,
  type ArmBanditOptions,
  type ArmBanditState,
  RolloutArmBandit,
  resolveArmOptions,
} from './armBandit.js';
import { checkBudget, integerizeAllocation } from './integerize.js';
import { sqrtLaw } from './sqrtLaw.js';

const KIND = stateKind('rl-curriculum', 'RolloutGdroAllocator');
const LEGACY_KIND = 'rl-curriculum/RolloutGdroAllocator';

/** Options of {@link RolloutGdroAllocator} (§6). */
export interface RolloutGdroOptions extends Partial<ArmBanditOptions> {
  /** `'sqrt'` (default): box-constrained square-root law on EMA variances; `'exp3p'`: the arm bandit + DP. */
  mode?: 'sqrt' | 'exp3p';
  /** β_v of the per-bin variance EMA; default 0.2. */
  vEmaBeta?: number;
  /** Variance of a never-observed bin; default 0.25 (the largest Bernoulli variance). */
  vPrior?: number;
  /** Variance of the correctness indicators (default) or of the rewards. */
  varianceOf?: 'correct' | 'reward';
  /** Integerise the bandit's closest total to the exact budget; default true. */
  exactBudget?: boolean;
  classifier?: ClassifierOptions;
}

export interface AllocateMetrics {
  total: number;
  realizedMean: number;
  mu: number | null;
  perBinMeanN: Record<BinLabel, number>;
}
export interface RolloutUpdateMetrics {
  v: Record<BinLabel, number>;
  skippedForVariance: number;
  armProbs?: Record<BinLabel, number[]>;
  mu: number | null;
  emptyGroups: number;
}

/** Options of a {@link RolloutGdroAllocator} with defaults filled in (as its state stores them). */
export interface ResolvedRolloutGdroOptions {
  mode: 'sqrt' | 'exp3p';
  vEmaBeta: number;
  vPrior: number;
  varianceOf: 'correct' | 'reward';
  exactBudget: boolean;
  arms: ReturnType<typeof resolveArmOptions>;
}

/** The allocation awaiting its update (uids, bins, counts and the bandit choice). */
export interface Pending {
  uids: Uid[];
  bins: BinLabel[];
  counts: number[];
  choice: Record<BinLabel, number> | null;
}

export interface RolloutGdroState {
  /** `'@drojs/rl-curriculum/RolloutGdroAllocator'` (states written as `'rl-curriculum/RolloutGdroAllocator'` before the platform still load). */
  kind: string;
  version: 1;
  options: ResolvedRolloutGdroOptions;
  classifier: ClassifierState;
  bandit: ArmBanditState | null;
  /** [bin, v] in label order. */
  v: Array<[BinLabel, number]>;
  lastMu: number | null;
  pending: Pending | null;
}

const KEYS = [...ARM_KEYS, 'mode', 'vEmaBeta', 'vPrior', 'varianceOf', 'exactBudget', 'classifier'];

function unbiasedVar(x: readonly number[]): number {
  const m = sum(x) / x.length;
  let ss = 0;
  for (const v of x) ss += (v - m) * (v - m);
  return ss / (x.length - 1);
}

/**
 * Rollout-GDRO (§6): per-prompt rollout counts under a fixed budget, summing exactly to it.
 * `'sqrt'` mode allocates n_b ∝ √v_b within [nMin, nMax] (v = EMA within-group variance per bin);
 * `'exp3p'` mode uses the arm bandit with DP matching.
 */
export class RolloutGdroAllocator {
  private readonly o: ResolvedRolloutGdroOptions;
  private readonly cls: OnlineDifficultyClassifier;
  private readonly bandit: RolloutArmBandit | null;
  private readonly v = new Map<string, number>();
  private lastMu: number | null = null;
  private pending: Pending | null = null;

  constructor(o?: RolloutGdroOptions) {
    const x = checkOptionKeys(o, KEYS, 'RolloutGdroAllocator');
    const mode = x.mode === undefined ? 'sqrt' : oneOf(x.mode, 'options.mode', ['sqrt', 'exp3p']);
    let exactBudget = true;
    if (x.exactBudget !== undefined) {
      if (typeof x.exactBudget !== 'boolean')
        fail('E_DTYPE', 'options.exactBudget', 'must be a boolean', 'true or false', x.exactBudget);
      exactBudget = x.exactBudget;
    }
    this.o = {
      mode,
      vEmaBeta: x.vEmaBeta === undefined ? 0.2 : numIn(x.vEmaBeta, 'options.vEmaBeta', { min: 0, minEx: true, max: 1 }),
      vPrior: x.vPrior === undefined ? 0.25 : numIn(x.vPrior, 'options.vPrior', { min: 0 }),
      varianceOf:
        x.varianceOf === undefined ? 'correct' : oneOf(x.varianceOf, 'options.varianceOf', ['correct', 'reward']),
      exactBudget,
      arms: resolveArmOptions(x, 'options', { nMin: 2, nMax: 12 }),
    };
    this.cls = new OnlineDifficultyClassifier(x.classifier as ClassifierOptions | undefined);
    this.bandit = mode === 'exp3p' ? new RolloutArmBandit(this.o.arms) : null;
    if (mode === 'exp3p') this.lastMu = this.o.arms.mu;
  }

  get labels(): readonly BinLabel[] {
    return this.cls.labels;
  }

  /** @internal */
  get classifier(): OnlineDifficultyClassifier {
    return this.cls;
  }

  /** Per-bin variance EMA (label order). */
  variances(): Record<BinLabel, number> {
    return Object.fromEntries([...this.v.keys()].sort(compareLabels).map((b) => [b, this.v.get(b) as number]));
  }

  /**
   * Rollout counts for the batch (classify commits each uid). Total = `totalBudget` or P·n̄ (must be an
   * integer); P·nMin ≤ total ≤ P·nMax. Σ counts = total exactly. The allocation stays pending until `update`.
   */
  allocate(
    uids: readonly Uid[],
    o?: { totalBudget?: number },
  ): {
    counts: number[];
    bins: BinLabel[];
    mu: number | null;
    perBin: Record<BinLabel, { prompts: number; target: number; rollouts: number }>;
    metrics: AllocateMetrics;
  } {
    const list = arr(uids, 'uids').map((u, i) => {
      const s = str(u, `uids[${i}]`);
      if (s.length === 0) fail('E_LABEL_RANGE', `uids[${i}]`, 'must be a non-empty uid', 'a stable prompt id', s);
      return s;
    });
    const x = checkOptionKeys(o, ['totalBudget'], 'RolloutGdroAllocator.allocate');
    const P = list.length;
    if (P === 0) fail('E_EMPTY', 'uids', 'must hold at least one prompt', 'a non-empty array');
    const { nMin, nMax, meanBudget } = this.o.arms;
    let total: number;
    if (x.totalBudget !== undefined) total = int(x.totalBudget, 'options.totalBudget');
    else {
      total = P * meanBudget;
      if (!Number.isSafeInteger(total))
        fail('E_SPEC', 'options.totalBudget', 'is needed because P·n̄ is not an integer', 'an integer total', total);
    }
    checkBudget(P, total, nMin, nMax);
    const labels = list.map((u) => this.cls.peek(u));
    const binList = sortedDistinct(labels);
    const binIdx = new Map(binList.map((b, i) => [b, i]));
    const pb = labels.map((l) => binIdx.get(l) as number);
    const shares = binList.map(() => 0);
    for (const b of pb) shares[b]! += 1;
    let targets: number[];
    let mu: number | null;
    let choice: Record<BinLabel, number> | null = null;
    let counts: number[];
    if (this.o.mode === 'sqrt') {
      const vv = binList.map((b) => this.v.get(b) ?? this.o.vPrior);
      const law = sqrtLaw(shares, vv, { meanBudget: total / P, nMin, nMax });
      targets = law.n;
      mu = law.mu;
      counts = integerizeAllocation(pb, targets, total, nMin, nMax);
    } else {
      const bandit = this.bandit as RolloutArmBandit;
      const ch = bandit.chooseChecked(
        binList.map((b, i) => [b, shares[i] as number]),
        total,
      );
      choice = ch.choice;
      targets = binList.map((b) => ch.choice[b] as number);
      counts = pb.map((b) => targets[b] as number);
      if (ch.chosenSum !== total && this.o.exactBudget) counts = integerizeAllocation(pb, targets, total, nMin, nMax);
      mu = bandit.mu;
    }
    const bins = list.map((u) => this.cls.classify(u));
    const perBin: Record<string, { prompts: number; target: number; rollouts: number }> = {};
    const perBinMeanN: Record<string, number> = {};
    binList.forEach((b, i) => {
      let r = 0;
      pb.forEach((bi, k) => {
        if (bi === i) r += counts[k] as number;
      });
      perBin[b] = { prompts: shares[i] as number, target: targets[i] as number, rollouts: r };
      perBinMeanN[b] = r / (shares[i] as number);
    });
    this.lastMu = mu;
    this.pending = { uids: list, bins, counts: counts.slice(), choice };
    return {
      counts,
      bins,
      mu,
      perBin,
      metrics: { total: sum(counts), realizedMean: sum(counts) / P, mu, perBinMeanN },
    };
  }

  /**
   * Records a step (§6.1–6.2): sqrt mode updates each bin's variance EMA from groups with ≥ 2 rollouts;
   * exp3p mode updates the chosen arms of the pending allocation with the per-bin mean loss. Then the
   * classifier observes. Bins are the echoed `bin` or the label at the start of the call.
   */
  update(results: readonly GroupResult[]): { metrics: RolloutUpdateMetrics } {
    const res = checkResults(results, this.cls.options.correctThreshold, (l) => this.cls.isLabel(l));
    const labels = res.map((r) => r.bin ?? this.cls.peek(r.uid));
    let emptyGroups = 0;
    let skipped = 0;
    const vNext = new Map(this.v);
    const perBin = new Map<string, number[]>();
    res.forEach((r, i) => {
      if (r.rewards.length === 0) {
        emptyGroups++;
        return;
      }
      if (r.rewards.length < 2) {
        skipped++;
        return;
      }
      const xs = this.o.varianceOf === 'correct' ? r.correct.map((c) => (c ? 1 : 0)) : r.rewards;
      const l = labels[i] as string;
      let list = perBin.get(l);
      if (!list) {
        list = [];
        perBin.set(l, list);
      }
      list.push(unbiasedVar(xs));
    });
    if (this.o.mode === 'sqrt') {
      for (const b of [...perBin.keys()].sort(compareLabels)) {
        const xs = perBin.get(b) as number[];
        const m = sum(xs) / xs.length;
        const prev = vNext.get(b);
        vNext.set(b, prev === undefined ? m : (1 - this.o.vEmaBeta) * prev + this.o.vEmaBeta * m);
      }
      ensureFinite(vNext.values(), 'results');
    }
    let banditCall: (() => void) | null = null;
    const bandit = this.bandit;
    if (bandit && this.pending?.choice) {
      const pend = this.pending;
      const binOf = new Map<string, string>();
      pend.uids.forEach((u, k) => {
        binOf.set(u, pend.bins[k] as string);
      });
      const lossBy = new Map<string, number[]>();
      for (const r of res) {
        const b = binOf.get(r.uid);
        if (b === undefined || r.rewards.length === 0) continue;
        let l = lossBy.get(b);
        if (!l) {
          l = [];
          lossBy.set(b, l);
        }
        l.push(r.loss ?? failureRate(r.correct));
      }
      const binMeanLoss: Record<string, number> = {};
      for (const b of [...lossBy.keys()].sort(compareLabels)) {
        const l = lossBy.get(b) as number[];
        binMeanLoss[b] = sum(l) / l.length;
      }
      const binCounts: Record<string, number> = {};
      for (const b of pend.bins) binCounts[b] = (binCounts[b] ?? 0) + 1;
      const realized = sum(pend.counts) / pend.counts.length;
      const choice = pend.choice as Record<string, number>;
      // Dry run on a copy so that a non-finite score throws before anything is committed.
      RolloutArmBandit.fromState(bandit.getState()).update(choice, binMeanLoss, binCounts, realized);
      banditCall = () => bandit.update(choice, binMeanLoss, binCounts, realized);
    }
    for (const r of res) this.cls.classify(r.uid);
    if (this.o.mode === 'sqrt') {
      this.v.clear();
      for (const [b, val] of vNext) this.v.set(b, val);
    }
    if (banditCall) {
      banditCall();
      this.pending = null;
    } else if (this.o.mode === 'sqrt') this.pending = null;
    const ne = res.filter((r) => r.rewards.length > 0);
    this.cls.observeChecked(ne);
    for (const u of new Set(ne.map((r) => r.uid))) this.cls.classify(u);
    const metrics: RolloutUpdateMetrics = {
      v: this.variances(),
      skippedForVariance: skipped,
      mu: bandit ? bandit.mu : this.lastMu,
      emptyGroups,
    };
    if (bandit) metrics.armProbs = Object.fromEntries(bandit.knownBins().map((b) => [b, bandit.probs(b)]));
    return { metrics };
  }

  getState(): RolloutGdroState {
    return {
      kind: KIND,
      version: 1,
      options: JSON.parse(JSON.stringify(this.o)),
      classifier: this.cls.getState(),
      bandit: this.bandit ? this.bandit.getState() : null,
      v: [...this.v.keys()].sort(compareLabels).map((b) => [b, this.v.get(b) as number]),
      lastMu: this.lastMu,
      pending: this.pending ? JSON.parse(JSON.stringify(this.pending)) : null,
    };
  }

  static fromState(s: RolloutGdroState): RolloutGdroAllocator {
    checkState(s, KIND, [1], [LEGACY_KIND]);
    const o = s.options;
    if (!isPlainObject(o) || !isPlainObject(o.arms))
      fail('E_SPEC', 'state.options', 'must hold the resolved options', 'an object', o);
    const { arms, ...rest } = o;
    const a = new RolloutGdroAllocator({ ...rest, ...arms, classifier: s.classifier?.options as ClassifierOptions });
    const cls = OnlineDifficultyClassifier.fromState(s.classifier);
    const bandit = s.bandit === null ? null : RolloutArmBandit.fromState(s.bandit);
    if ((bandit === null) !== (a.o.mode === 'sqrt'))
      fail(
        'E_SPEC',
        'state.bandit',
        'does not match the mode',
        a.o.mode === 'sqrt' ? 'null' : 'a bandit state',
        s.bandit,
      );
    Object.assign(a, { cls, bandit });
    arr(s.v, 'state.v').forEach((e, i) => {
      const p = arr(e, `state.v[${i}]`);
      a.v.set(str(p[0], `state.v[${i}][0]`), numIn(p[1], `state.v[${i}][1]`, { min: 0 }));
    });
    a.lastMu = s.lastMu === null ? null : num(s.lastMu, 'state.lastMu');
    if (s.pending !== null) {
      const p = checkFields(s.pending, 'state.pending', ['uids', 'bins', 'counts', 'choice']);
      const uids = arr(p.uids, 'state.pending.uids').map((u, i) => str(u, `state.pending.uids[${i}]`));
      const bins = arr(p.bins, 'state.pending.bins').map((u, i) => str(u, `state.pending.bins[${i}]`));
      const counts = arr(p.counts, 'state.pending.counts').map((u, i) => int(u, `state.pending.counts[${i}]`, 1));
      if (bins.length !== uids.length || counts.length !== uids.length)
        fail(
          'E_SHAPE',
          'state.pending',
          'must have aligned uids, bins, counts',
          `${uids.length}`,
          `${bins.length}/${counts.length}`,
        );
      const choice =
        p.choice === null
          ? null
          : Object.fromEntries(
              Object.keys(p.choice as object).map((k) => [
                k,
                int((p.choice as Record<string, unknown>)[k], `state.pending.choice.${k}`, 1),
              ]),
            );
      a.pending = { uids, bins, counts, choice };
    }
    return a;
  }
}
