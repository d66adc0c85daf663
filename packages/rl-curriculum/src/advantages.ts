import { arr, checkLength, checkOptionKeys, fail, num, numIn, oneOf } from './check.js';
import { sum } from './numeric.js';

/** Options of {@link grpoAdvantages}. */
export interface AdvantageOptions {
  /** `'group'` (default): divide by the group std; `'batch'`: by the std of all rewards of the call (TRL); `'none'`: centring only (Dr. GRPO). */
  scale?: 'group' | 'batch' | 'none';
  /** `'unbiased'` (default, n−1; verl and TRL) or `'population'` (n; GDRO paper eq. 3). */
  stdMode?: 'unbiased' | 'population';
  /** Added to the std; default 1e-6 (verl). TRL uses 1e-4. */
  eps?: number;
  /** Singleton groups: `'zero'` (default, TRL) gives 0; `'verl'` uses mean 0, std 1, i.e. r/(1+ε) (r for `scale: 'none'`). */
  singleton?: 'zero' | 'verl';
  /** `[lo, hi]` applied last (verl-gdro runs use [−5, 5]); default none. */
  clip?: readonly [number, number] | null;
  /** `'error'` (default) rejects `null` rewards; `'exclude'` leaves them out of every statistic with advantage 0 (TRL). */
  nullRewards?: 'error' | 'exclude';
}

export interface ResolvedAdvantageOptions {
  scale: 'group' | 'batch' | 'none';
  stdMode: 'unbiased' | 'population';
  eps: number;
  singleton: 'zero' | 'verl';
  clip: [number, number] | null;
  nullRewards: 'error' | 'exclude';
}

const KEYS = ['scale', 'stdMode', 'eps', 'singleton', 'clip', 'nullRewards'] as const;

/** Validates and fills in defaults. */
export function resolveAdvantageOptions(o: unknown, argument = 'options'): ResolvedAdvantageOptions {
  const x = checkOptionKeys(o, KEYS, argument);
  let clip: [number, number] | null = null;
  if (x.clip !== undefined && x.clip !== null) {
    const c = arr(x.clip, `${argument}.clip`);
    if (c.length !== 2) fail('E_SHAPE', `${argument}.clip`, 'must be [lo, hi]', 'two numbers', c);
    const lo = num(c[0], `${argument}.clip[0]`);
    const hi = num(c[1], `${argument}.clip[1]`);
    if (!(lo <= hi)) fail('E_SPEC', `${argument}.clip`, 'must have lo ≤ hi', 'lo ≤ hi', `[${lo}, ${hi}]`);
    clip = [lo, hi];
  }
  return {
    scale: x.scale === undefined ? 'group' : oneOf(x.scale, `${argument}.scale`, ['group', 'batch', 'none']),
    stdMode: x.stdMode === undefined ? 'unbiased' : oneOf(x.stdMode, `${argument}.stdMode`, ['unbiased', 'population']),
    eps: x.eps === undefined ? 1e-6 : numIn(x.eps, `${argument}.eps`, { min: 0 }),
    singleton: x.singleton === undefined ? 'zero' : oneOf(x.singleton, `${argument}.singleton`, ['zero', 'verl']),
    clip,
    nullRewards:
      x.nullRewards === undefined ? 'error' : oneOf(x.nullRewards, `${argument}.nullRewards`, ['error', 'exclude']),
  };
}

/** Validates reward groups; returns them with `null` kept only under `nullRewards: 'exclude'`. */
export function checkGroups(groups: unknown, argument: string, allowNull: boolean): (number | null)[][] {
  const g = arr(groups, argument);
  return g.map((grp, i) => {
    const a = arr(grp, `${argument}[${i}]`);
    return a.map((v, j) => {
      if (v === null) {
        if (allowNull) return null;
        fail(
          'E_NONFINITE',
          `${argument}[${i}][${j}]`,
          "is null (unscorable); pass nullRewards: 'exclude' to leave it out",
          'a finite number',
          v,
        );
      }
      return num(v, `${argument}[${i}][${j}]`);
    });
  });
}

function meanOf(xs: readonly number[]): number {
  return sum(xs) / xs.length;
}

/** Two-pass standard deviation; `undefined` when unbiased with fewer than 2 values. */
function stdOf(xs: readonly number[], mode: 'unbiased' | 'population'): number | undefined {
  const n = xs.length;
  const d = mode === 'unbiased' ? n - 1 : n;
  if (d <= 0) return undefined;
  const m = meanOf(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / d);
}

/**
 * GRPO-family advantages per group (§3.1): (r − mean)/(std + ε) with the group, batch or no scaling.
 * All-equal groups give exact zeros, singleton groups follow `singleton`, empty groups give `[]`,
 * `clip` is applied last. Float64, sums left to right, two-pass std.
 */
export function grpoAdvantages(
  groups: ReadonlyArray<ReadonlyArray<number | null>>,
  options?: AdvantageOptions,
): number[][] {
  const o = resolveAdvantageOptions(options);
  const g = checkGroups(groups, 'groups', o.nullRewards === 'exclude');
  return advantagesOfChecked(g, o);
}

/** @internal Advantages of already validated groups. */
export function advantagesOfChecked(
  g: readonly (readonly (number | null)[])[],
  o: ResolvedAdvantageOptions,
): number[][] {
  let batchStd = 0;
  if (o.scale === 'batch') {
    const all: number[] = [];
    for (const grp of g) for (const v of grp) if (v !== null) all.push(v);
    batchStd = stdOf(all, o.stdMode) ?? 0;
  }
  const out = g.map((grp) => {
    const vals: number[] = [];
    for (const v of grp) if (v !== null) vals.push(v);
    const res = new Array<number>(grp.length).fill(0);
    if (vals.length === 0) return res;
    let scored: (r: number) => number;
    if (vals.length === 1) {
      if (o.singleton === 'zero') return res;
      scored = o.scale === 'none' ? (r) => r : (r) => r / (1 + o.eps);
    } else {
      let lo = vals[0] as number;
      let hi = lo;
      for (const v of vals) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (lo === hi) return res;
      const m = meanOf(vals);
      if (o.scale === 'none') scored = (r) => r - m;
      else {
        const sd = o.scale === 'group' ? (stdOf(vals, o.stdMode) as number) : batchStd;
        scored = (r) => (r - m) / (sd + o.eps);
      }
    }
    for (let j = 0; j < grp.length; j++) {
      const r = grp[j];
      if (r === null || r === undefined) continue;
      let a = scored(r);
      if (o.clip) a = Math.min(Math.max(a, o.clip[0]), o.clip[1]);
      res[j] = a;
    }
    return res;
  });
  for (let i = 0; i < out.length; i++) {
    for (const v of out[i] as number[]) {
      if (!Number.isFinite(v))
        fail('E_NONFINITE', `groups[${i}]`, 'gives a non-finite advantage (overflow)', 'finite values', v);
    }
  }
  return out;
}

/**
 * Σ_k w_k · grpoAdvantages(stream_k) for K reward streams over the same groups (TRL's `normalize_then_sum`,
 * GDPO; the DRM sum). Weights default to 1.
 */
export function normalizeThenSum(
  streams: ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>,
  weights?: readonly number[],
  options?: AdvantageOptions,
): number[][] {
  const o = resolveAdvantageOptions(options);
  const s = arr(streams, 'streams');
  if (s.length === 0) fail('E_EMPTY', 'streams', 'must hold at least one reward stream', 'a non-empty array', s);
  const w = weights === undefined ? s.map(() => 1) : arr(weights, 'weights').map((v, i) => num(v, `weights[${i}]`));
  checkLength(w, s.length, 'weights', 'must have one weight per stream');
  const checked = s.map((st, k) => checkGroups(st, `streams[${k}]`, o.nullRewards === 'exclude'));
  const first = checked[0] as (number | null)[][];
  checked.forEach((st, k) => {
    if (st.length !== first.length)
      fail('E_SHAPE', `streams[${k}]`, 'must have as many groups as streams[0]', `${first.length}`, `${st.length}`);
    st.forEach((grp, i) => {
      const f = first[i] as (number | null)[];
      if (grp.length !== f.length)
        fail(
          'E_SHAPE',
          `streams[${k}][${i}]`,
          'must have the length of streams[0] group',
          `${f.length}`,
          `${grp.length}`,
        );
    });
  });
  const adv = checked.map((st) => advantagesOfChecked(st, o));
  return first.map((grp, i) =>
    grp.map((_, j) => {
      let a = 0;
      for (let k = 0; k < adv.length; k++) a += (w[k] as number) * ((adv[k] as number[][])[i] as number[])[j]!;
      return a;
    }),
  );
}
