import { DroError, describeValue } from '@drojs/dro-core/host';
import { arr, fail, int, isPlainObject, numArray } from './check.js';

/** Best-of-N picks of one batch: per group, the index of the chosen candidate and its score. */
export interface BestOfNSelection {
  /** Index (within the group) of the first maximum of the first `n` scores. */
  chosen: number[];
  /** The score of the chosen candidate. */
  bestScores: number[];
}

/** Options of the Best-of-N hook. */
export interface BestOfNOptions {
  /** Candidates considered per group: the first `n` (nested prefixes, so results compare across N); default all. */
  n?: number;
}

function checkN(o: unknown, lengths: readonly number[], caller: string): number | undefined {
  if (o === undefined) return undefined;
  if (!isPlainObject(o)) fail('E_SPEC', 'options', 'must be an object', '{ n? }', o);
  for (const k of Object.keys(o))
    if (k !== 'n') fail('E_SPEC', `options.${k}`, `is not an option of ${caller} (accepted: n)`);
  if (o.n === undefined) return undefined;
  const n = int(o.n, 'options.n', 1);
  lengths.forEach((len, g) => {
    if (n > len)
      fail('E_SPEC', 'options.n', `is larger than group ${g}'s ${len} candidates`, `an integer in [1, ${len}]`, n);
  });
  return n;
}

/**
 * Best-of-N selection from precomputed reward scores (`scores[g][j]`: candidate j of prompt group g), the
 * host-only hook for a trainer whose reward model runs elsewhere (a Crome `RewardModel` from `@drojs/causal`,
 * an LLM judge, a service). Ties go to the lowest index, so constant or quantised rewards pick
 * deterministically. Groups may have different sizes; each must be non-empty and finite.
 */
export function bestOfNSelect(scores: readonly (readonly number[])[], o?: BestOfNOptions): BestOfNSelection {
  const rows = arr(scores, 'scores').map((r, g) => {
    const row = numArray(r, `scores[${g}]`);
    if (row.length === 0) fail('E_EMPTY', `scores[${g}]`, 'has no candidates');
    return row;
  });
  if (rows.length === 0) fail('E_EMPTY', 'scores', 'has no groups');
  const n = checkN(
    o,
    rows.map((r) => r.length),
    'bestOfNSelect',
  );
  const chosen: number[] = [];
  const bestScores: number[] = [];
  for (const row of rows) {
    const m = n ?? row.length;
    let best = 0;
    for (let j = 1; j < m; j++) if ((row[j] as number) > (row[best] as number)) best = j;
    chosen.push(best);
    bestScores.push(row[best] as number);
  }
  return { chosen, bestScores };
}

/**
 * Best-of-N with a user-supplied reward: `reward(group, g)` scores the candidates of prompt group `g` (one
 * finite number per candidate; e.g. `(c) => rewardModel.score(c.map(featurise))`). Returns the picks, the
 * chosen candidates and all scores. A reward of the wrong length → E_SHAPE naming the group; a non-finite
 * score → E_NONFINITE naming it; an exception from `reward` that is not a DroError is wrapped (E_SPEC,
 * naming the group) so that only DroError escapes.
 */
export function bestOfN<T>(
  candidates: readonly (readonly T[])[],
  reward: (group: readonly T[], groupIndex: number) => ArrayLike<number>,
  o?: BestOfNOptions,
): BestOfNSelection & { best: T[]; scores: number[][] } {
  const groups = arr(candidates, 'candidates').map((c, g) => arr(c, `candidates[${g}]`) as readonly T[]);
  if (typeof reward !== 'function') fail('E_SPEC', 'reward', 'must be a function', 'a function', reward);
  const scores = groups.map((group, g) => {
    let s: ArrayLike<number>;
    try {
      s = reward(group, g);
    } catch (e) {
      if (e instanceof DroError) throw e;
      throw new DroError('E_SPEC', `reward threw on candidates[${g}]: ${e instanceof Error ? e.message : String(e)}`, {
        argument: `candidates[${g}]`,
        cause: e,
      });
    }
    if (s === null || typeof s !== 'object' || s.length !== group.length)
      throw new DroError('E_SHAPE', `reward returned the wrong number of scores for candidates[${g}]`, {
        argument: `candidates[${g}]`,
        expected: `${group.length} scores`,
        received: describeValue(s),
      });
    const row = Array.from(s);
    row.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new DroError('E_NONFINITE', `reward score ${j} of candidates[${g}] is not finite`, {
          argument: `scores[${g}][${j}]`,
          received: describeValue(v),
        });
    });
    return row;
  });
  const sel = bestOfNSelect(scores, o);
  return { ...sel, best: sel.chosen.map((j, g) => (groups[g] as readonly T[])[j] as T), scores };
}
