import { DroError, describeValue } from '@drojs/dro-core/host';

/** The three pair sets of Crome. */
export type PairKind = 'original' | 'causal' | 'neutral';

export const PAIR_KINDS: readonly PairKind[] = ['original', 'causal', 'neutral'];

/**
 * One training pair. `chosen`/`rejected` are whatever the reward model consumes (a representation vector for
 * {@link RewardModel}).
 *
 * - `original`: a pair from the preference data set, `chosen` preferred (target 1 by default).
 * - `causal`: an answer moved along one genuine quality attribute (an "upgrade" or "degrade" by an LLM of the
 *   user's choice), paired with the unmoved answer; `chosen` is the better one (target 1 by default).
 * - `neutral`: two answers that differ only in spurious attributes — e.g. both answers re-paired with an
 *   irrelevant prompt — labelled a tie (target ½ by default); the order of the two answers does not matter.
 */
export interface PreferencePair<F = ArrayLike<number>> {
  chosen: F;
  rejected: F;
  kind: PairKind;
  /** The causal rubric a causal pair moves along (informative, never read). */
  attribute?: string;
  /** ≥ 0, default 1. */
  weight?: number;
  /** `P(chosen ≻ rejected)` in [0, 1]; default 1 (original, causal), ½ (neutral). */
  target?: number;
  /** Carried through, never read. */
  prompt?: unknown;
}

/** Mixing weights of the objective (spec §3.3, ⚠ reconstructed normalisation). */
export interface CromeOptions {
  /** Weight of the neutral (tie) group's mean loss; ≥ 0, default 1. */
  lambdaTie?: number;
  /** Extra weight of each causal pair inside the preference group; ≥ 0, default 1. */
  lambdaCausal?: number;
}

/** Per-pair weights and targets (either may be omitted; a `null` target means the kind's default). */
export interface PairWeighting {
  weights?: ArrayLike<number>;
  targets?: ArrayLike<number | null>;
}

/** Default target of a kind: 1 for original and causal pairs, ½ for neutral ones. */
export function defaultTarget(kind: PairKind): number {
  return kind === 'neutral' ? 0.5 : 1;
}

/** Validates `kinds` (E_SPEC naming the index of an unknown kind) and its length (E_SHAPE). */
export function checkKinds(kinds: ArrayLike<PairKind>, n: number, caller: string): PairKind[] {
  if (kinds === null || typeof kinds !== 'object' || typeof kinds.length !== 'number')
    throw new DroError('E_SHAPE', `${caller}: kinds must be an array`, {
      argument: 'kinds',
      received: describeValue(kinds),
    });
  if (kinds.length !== n)
    throw new DroError('E_SHAPE', `${caller}: kinds has ${kinds.length} entries for ${n} pairs`, {
      argument: 'kinds',
      expected: `length ${n}`,
      received: `length ${kinds.length}`,
    });
  const out: PairKind[] = [];
  for (let i = 0; i < n; i++) {
    const k = kinds[i] as PairKind;
    if (!PAIR_KINDS.includes(k))
      throw new DroError('E_SPEC', `${caller}: kinds[${i}] is not a pair kind`, {
        argument: `kinds[${i}]`,
        expected: "'original', 'causal' or 'neutral'",
        received: describeValue(k),
      });
    out.push(k);
  }
  return out;
}

/** A finite number vector of length n (E_SHAPE / E_NONFINITE / E_DTYPE naming `argument[i]`). */
export function checkFiniteVector(
  x: ArrayLike<number>,
  n: number | null,
  argument: string,
  caller: string,
): Float64Array {
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number')
    throw new DroError('E_DTYPE', `${caller}: ${argument} must be an array of numbers`, {
      argument,
      received: describeValue(x),
    });
  if (n !== null && x.length !== n)
    throw new DroError('E_SHAPE', `${caller}: ${argument} has ${x.length} entries, expected ${n}`, {
      argument,
      expected: `length ${n}`,
      received: `length ${x.length}`,
    });
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as unknown;
    // JSON has no NaN: a null entry is read as NaN (the vectors format), hence E_NONFINITE, not E_DTYPE.
    if (v !== null && typeof v !== 'number')
      throw new DroError('E_DTYPE', `${caller}: ${argument}[${i}] is not a number`, {
        argument: `${argument}[${i}]`,
        received: describeValue(v),
      });
    if (v === null || !Number.isFinite(v))
      throw new DroError('E_NONFINITE', `${caller}: ${argument}[${i}] is not finite`, {
        argument: `${argument}[${i}]`,
        received: describeValue(v),
      });
    out[i] = v;
  }
  return out;
}

/** A λ of the objective: finite and ≥ 0 (E_SPEC naming it). */
export function checkLambda(v: unknown, name: string, caller: string): number {
  if (v === undefined) return 1;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new DroError('E_SPEC', `${caller}: ${name} must be a finite number ≥ 0`, {
      argument: name,
      expected: 'a finite number ≥ 0',
      received: describeValue(v),
    });
  return v;
}

/** Weights (default 1; finite, ≥ 0) and targets (default by kind; in [0, 1]) of n pairs. */
export function resolveWeighting(
  kinds: readonly PairKind[],
  o: PairWeighting,
  caller: string,
): { weights: Float64Array; targets: Float64Array } {
  const n = kinds.length;
  const weights = new Float64Array(n).fill(1);
  if (o.weights !== undefined) {
    const w = checkFiniteVector(o.weights, n, 'weights', caller);
    for (let i = 0; i < n; i++) {
      if ((w[i] as number) < 0)
        throw new DroError('E_SPEC', `${caller}: weights[${i}] is negative`, {
          argument: `weights[${i}]`,
          expected: 'a weight ≥ 0',
          received: String(w[i]),
        });
      weights[i] = w[i] as number;
    }
  }
  const targets = new Float64Array(n);
  if (o.targets !== undefined && (o.targets === null || typeof o.targets !== 'object' || o.targets.length !== n))
    throw new DroError('E_SHAPE', `${caller}: targets must have one entry per pair`, {
      argument: 'targets',
      expected: `length ${n}`,
      received: describeValue(o.targets),
    });
  for (let i = 0; i < n; i++) {
    const t = o.targets?.[i];
    if (t === null || t === undefined) {
      targets[i] = defaultTarget(kinds[i] as PairKind);
      continue;
    }
    if (typeof t !== 'number' || !(t >= 0 && t <= 1))
      throw new DroError('E_SPEC', `${caller}: targets[${i}] must be a probability in [0, 1]`, {
        argument: `targets[${i}]`,
        expected: 'a number in [0, 1]',
        received: describeValue(t),
      });
    targets[i] = t;
  }
  return { weights, targets };
}
