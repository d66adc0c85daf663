import { checkOptions, DroError, describeValue, opt } from '@drojs/dro-core/host';
import { checkFiniteVector, checkKinds, type PairKind } from './pairs.js';

/** Thresholds of {@link filterAugmentations}. */
export interface FilterOptions {
  /** A causal pair is kept iff the base model prefers its better answer with probability < this; in (½, 1), default 0.95. */
  maxCausalProb?: number;
  /** A neutral pair is kept iff the base model's preference is outside ½ ± this; in [0, ½), default 0.05. */
  minNeutralGap?: number;
}

const SCHEMA = {
  maxCausalProb: opt.number({ min: 0.5, minExclusive: true, max: 1, maxExclusive: true }),
  minNeutralGap: opt.number({ min: 0, max: 0.5, maxExclusive: true }),
};

const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * Crome's filtering step (spec crome.md §3.5, ⚠ reconstructed rule): drops augmented pairs that a base reward
 * model (typically plain Bradley–Terry) already handles, given its reward differences `baseDelta` on the pairs.
 * Original pairs are always kept; a causal pair is kept iff `Δ⁰ < logit(maxCausalProb)`; a neutral pair iff
 * `|Δ⁰| > logit(½ + minNeutralGap)`. Thresholds are compared in Δ space (computed once), never by rounding σ(Δ⁰).
 * Returns one keep flag per pair. Optional: the objective never filters.
 */
export function filterAugmentations(
  baseDelta: ArrayLike<number>,
  kinds: ArrayLike<PairKind>,
  o?: FilterOptions,
): boolean[] {
  const opts = checkOptions(o, SCHEMA, 'filterAugmentations');
  const d = checkFiniteVector(baseDelta, null, 'baseDelta', 'filterAugmentations');
  const ks = checkKinds(kinds, d.length, 'filterAugmentations');
  const causalMax = logit(opts.maxCausalProb ?? 0.95);
  const neutralMin = logit(0.5 + (opts.minNeutralGap ?? 0.05));
  return ks.map((k, i) => {
    const v = d[i] as number;
    if (k === 'causal') return v < causalMax;
    if (k === 'neutral') return Math.abs(v) > neutralMin;
    return true;
  });
}

/** Keeps the pairs whose flag is true (a convenience over {@link filterAugmentations}'s result). */
export function keepPairs<T>(pairs: readonly T[], keep: readonly boolean[]): T[] {
  if (keep.length !== pairs.length)
    throw new DroError('E_SHAPE', 'keepPairs: keep must have one flag per pair', {
      argument: 'keep',
      expected: `length ${pairs.length}`,
      received: describeValue(keep),
    });
  return pairs.filter((_, i) => keep[i] === true);
}
