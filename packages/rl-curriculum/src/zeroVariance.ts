import { checkState, stateKind } from '@drojs/dro-core/host';
import { arr, checkOptionKeys, fail, int, num, numIn, oneOf } from './check.js';
import { checkResults, type GroupResult } from './results.js';

const KIND = stateKind('rl-curriculum', 'ZeroVarianceAccumulator');
const LEGACY_KIND = 'rl-curriculum/ZeroVarianceAccumulator';

function keepGroup(g: readonly number[], tol: number): boolean {
  if (g.length === 0) return false;
  if (g.length === 1) return true;
  let lo = g[0] as number;
  let hi = lo;
  for (const v of g) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi - lo > tol;
}

/**
 * DAPO dynamic-sampling mask (§3.2): true = keep. A group is kept iff it has exactly one member or
 * max − min > tol; empty groups are dropped. `tol = 0` is exact whole-group equality (no std test).
 */
export function zeroVarianceMask(groups: ReadonlyArray<ReadonlyArray<number>>, o?: { tol?: number }): boolean[] {
  const x = checkOptionKeys(o, ['tol'], 'zeroVarianceMask');
  const tol = x.tol === undefined ? 0 : numIn(x.tol, 'options.tol', { min: 0 });
  const g = arr(groups, 'groups').map((grp, i) => arr(grp, `groups[${i}]`).map((v, j) => num(v, `groups[${i}][${j}]`)));
  return g.map((grp) => keepGroup(grp, tol));
}

export interface ZeroVarianceOptions {
  /** Groups wanted per batch. */
  targetGroups: number;
  /** Rounds before E_EMPTY (refill); ≤ 0 = unlimited. Default 10 (verl's max_num_gen_batches). */
  maxRounds?: number;
  tol?: number;
  /** `'refill'` (default): generate rounds until enough groups are kept; `'drop'`: one round, batch may be short; `'keep'`: no filtering. */
  policy?: 'refill' | 'drop' | 'keep';
}

export interface ZeroVarianceState {
  /** `'@drojs/rl-curriculum/ZeroVarianceAccumulator'` (states written as `'rl-curriculum/ZeroVarianceAccumulator'` before the platform still load). */
  kind: string;
  version: 1;
  options: Required<ZeroVarianceOptions>;
  kept: GroupResult[];
  rounds: number;
  rolloutsGenerated: number;
  rolloutsKept: number;
}

/**
 * verl's DAPO loop (§3.2): `add()` one generation round at a time; kept groups accumulate in order until
 * `targetGroups` (refill), one round (drop) or without filtering (keep). `take()` returns the batch and starts a new one.
 */
export class ZeroVarianceAccumulator {
  private readonly o: Required<ZeroVarianceOptions>;
  private keptGroups: GroupResult[] = [];
  private rounds = 0;
  private generated = 0;
  private keptRollouts = 0;

  constructor(o: ZeroVarianceOptions) {
    const x = checkOptionKeys(o, ['targetGroups', 'maxRounds', 'tol', 'policy'], 'ZeroVarianceAccumulator');
    this.o = {
      targetGroups: int(x.targetGroups, 'options.targetGroups', 1),
      maxRounds: x.maxRounds === undefined ? 10 : int(x.maxRounds, 'options.maxRounds'),
      tol: x.tol === undefined ? 0 : numIn(x.tol, 'options.tol', { min: 0 }),
      policy: x.policy === undefined ? 'refill' : oneOf(x.policy, 'options.policy', ['refill', 'drop', 'keep']),
    };
  }

  /** Adds one round of groups; returns whether the batch is complete, how many are kept and still needed. */
  add(groups: readonly GroupResult[]): { done: boolean; kept: number; needed: number } {
    const res = checkResults(groups, 0.5, undefined, 'groups');
    const kept = this.keptGroups.slice();
    let keptRollouts = this.keptRollouts;
    let generated = this.generated;
    for (let i = 0; i < res.length; i++) {
      const r = res[i]!;
      generated += r.rewards.length;
      if (this.o.policy === 'keep' || keepGroup(r.rewards, this.o.tol)) {
        if (this.o.policy === 'refill' && kept.length >= this.o.targetGroups) continue; // first ones win
        kept.push(groups[i] as GroupResult);
        keptRollouts += r.rewards.length;
      }
    }
    const rounds = this.rounds + 1;
    const done = this.o.policy !== 'refill' || kept.length >= this.o.targetGroups;
    if (!done && this.o.maxRounds > 0 && rounds >= this.o.maxRounds) {
      fail(
        'E_EMPTY',
        'groups',
        `left the batch short after ${rounds} rounds (maxRounds)`,
        `${this.o.targetGroups} kept groups`,
        `${kept.length}`,
      );
    }
    this.keptGroups = kept;
    this.rounds = rounds;
    this.generated = generated;
    this.keptRollouts = keptRollouts;
    return { done, kept: kept.length, needed: Math.max(0, this.o.targetGroups - kept.length) };
  }

  /** Rollouts paid for (filtered ones included) since construction. */
  get rolloutsGenerated(): number {
    return this.generated;
  }
  get rolloutsKept(): number {
    return this.keptRollouts;
  }

  /** Returns the kept groups and starts the next batch (counters keep running). */
  take(): GroupResult[] {
    const k = this.keptGroups;
    this.keptGroups = [];
    this.rounds = 0;
    return k;
  }

  getState(): ZeroVarianceState {
    return {
      kind: KIND,
      version: 1,
      options: { ...this.o },
      kept: JSON.parse(JSON.stringify(this.keptGroups)),
      rounds: this.rounds,
      rolloutsGenerated: this.generated,
      rolloutsKept: this.keptRollouts,
    };
  }

  static fromState(s: ZeroVarianceState): ZeroVarianceAccumulator {
    checkState(s, KIND, [1], [LEGACY_KIND]);
    const z = new ZeroVarianceAccumulator(s.options);
    checkResults(s.kept, 0.5, undefined, 'state.kept');
    z.keptGroups = JSON.parse(JSON.stringify(s.kept));
    z.rounds = int(s.rounds, 'state.rounds', 0, 'E_SPEC');
    z.generated = int(s.rolloutsGenerated, 'state.rolloutsGenerated', 0, 'E_SPEC');
    z.keptRollouts = int(s.rolloutsKept, 'state.rolloutsKept', 0, 'E_SPEC');
    return z;
  }
}
