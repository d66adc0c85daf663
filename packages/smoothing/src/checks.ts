// The package-specific argument checks, as thin uses of dro-core's `checkNumber` and `opt`. Everything
// general (options objects, seeds, labels, class counts, tensors) comes from dro-core directly.
import { checkNumber, DroError, describeValue, opt } from '@drojs/dro-core';

/** The largest number of draws (and of counts in total): counts are int32 on every backend. */
export const MAX_DRAWS = 2 ** 31 - 1;

type Range = Parameters<typeof checkNumber>[2];

/**
 * A scalar argument: NaN or ±Infinity is `E_NONFINITE` (the table's code for a non-finite value), anything
 * else is dro-core's `checkNumber` (`E_SPEC` for a non-number or a value outside the range).
 */
function checkScalar(x: unknown, argument: string, range: Range): number {
  if (typeof x === 'number' && !Number.isFinite(x)) {
    throw new DroError('E_NONFINITE', `${argument} is not finite`, {
      argument,
      expected: 'a finite number',
      received: describeValue(x),
    });
  }
  return checkNumber(x, argument, range);
}

/** alpha in the open interval (0, 1). */
export function checkAlpha(alpha: unknown, argument = 'alpha'): number {
  return checkScalar(alpha, argument, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
}

/** A scale parameter (sigma, lambda) > 0. */
export function checkPositive(x: unknown, argument: string): number {
  return checkScalar(x, argument, { min: 0, minExclusive: true });
}

/** A whole number ≥ min (default 1), at most 2³¹ − 1. */
export function checkCount(x: unknown, argument: string, min = 1): number {
  return checkScalar(x, argument, { min, max: MAX_DRAWS, integer: true });
}

/** A probability in [0, 1]. */
export function checkProbability(p: unknown, argument: string): number {
  return checkScalar(p, argument, { min: 0, max: 1 });
}

/** k successes in n trials: n a whole number ≥ minN, k a whole number in [0, n]. */
export function checkTrials(k: unknown, n: unknown, minN = 1): void {
  checkCount(n, 'n', minN);
  checkScalar(k, 'k', { min: 0, max: n as number, integer: true });
}

/** One of a fixed set of strings (dro-core's `opt.oneOf` rule, applied to one argument). */
export function checkOneOf<T extends string>(x: unknown, argument: string, allowed: readonly T[]): T {
  opt.oneOf(allowed).check(x, argument);
  return x as T;
}

/** A vector of class counts: length ≥ 2 (and = length when given), entries whole numbers ≥ 0. Returns the sum. */
export function checkCounts(counts: unknown, argument: string, length?: number): number {
  const ok = Array.isArray(counts) || (ArrayBuffer.isView(counts) && !(counts instanceof DataView));
  if (!ok) {
    throw new DroError('E_SPEC', `${argument} must be an array of counts`, {
      argument,
      received: describeValue(counts),
    });
  }
  const c = counts as ArrayLike<unknown>;
  if (c.length < 2 || (length !== undefined && c.length !== length)) {
    throw new DroError('E_SHAPE', `${argument} has the wrong length`, {
      argument,
      expected:
        length === undefined ? 'at least 2 classes' : `${length} classes (the length of the other count vector)`,
      received: `length ${c.length}`,
    });
  }
  let sum = 0;
  for (let i = 0; i < c.length; i++) sum += checkScalar(c[i], `${argument}[${i}]`, { min: 0, integer: true });
  if (sum > MAX_DRAWS) {
    throw new DroError('E_SPEC', `${argument} sums to more than 2^31 − 1`, { argument, received: String(sum) });
  }
  return sum;
}

/** Index of the largest entry, lowest index on ties. */
export function argmaxLowest(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if ((v[i] as number) > (v[best] as number)) best = i;
  return best;
}
