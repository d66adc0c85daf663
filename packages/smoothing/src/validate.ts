// Argument checks shared by the package. Every public function validates before creating tensors or
// touching state; messages name the argument, what was expected and what was given.
import { checkNumber, DroError, describeValue } from '@drojs/dro-core';

export const MAX_DRAWS = 2 ** 31 - 1;

/** NaN/±Infinity → E_NONFINITE (a numeric argument that is not finite), other non-numbers → E_SPEC. */
function checkFiniteNumber(x: unknown, argument: string): number {
  if (typeof x === 'number' && !Number.isFinite(x)) {
    throw new DroError('E_NONFINITE', `${argument} is not finite`, {
      argument,
      expected: 'a finite number',
      received: describeValue(x),
    });
  }
  if (typeof x !== 'number') {
    throw new DroError('E_SPEC', `${argument} must be a number`, { argument, received: describeValue(x) });
  }
  return x;
}

/** alpha in the open interval (0, 1). */
export function checkAlpha(alpha: unknown, argument = 'alpha'): number {
  checkFiniteNumber(alpha, argument);
  return checkNumber(alpha, argument, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
}

/** A scale parameter (sigma, lambda) > 0. */
export function checkPositive(x: unknown, argument: string): number {
  checkFiniteNumber(x, argument);
  return checkNumber(x, argument, { min: 0, minExclusive: true });
}

/** A whole number ≥ min (default 1), at most 2³¹ − 1. */
export function checkCount(x: unknown, argument: string, min = 1): number {
  checkFiniteNumber(x, argument);
  return checkNumber(x, argument, { min, max: MAX_DRAWS, integer: true });
}

/** A probability in [0, 1]. */
export function checkProbability(p: unknown, argument: string): number {
  checkFiniteNumber(p, argument);
  return checkNumber(p, argument, { min: 0, max: 1 });
}

/** k successes in n trials: n a whole number ≥ minN, k a whole number in [0, n]. */
export function checkTrials(k: unknown, n: unknown, minN = 1): void {
  checkCount(n, 'n', minN);
  checkFiniteNumber(k, 'k');
  checkNumber(k, 'k', { min: 0, max: n as number, integer: true });
}

/** numClasses ≥ 2. */
export function checkNumClasses(k: unknown, argument = 'numClasses'): number {
  checkFiniteNumber(k, argument);
  return checkNumber(k, argument, { min: 2, max: MAX_DRAWS, integer: true });
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
  for (let i = 0; i < c.length; i++) {
    const v = c[i];
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new DroError('E_NONFINITE', `${argument}[${i}] is not finite`, { argument, received: describeValue(v) });
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new DroError('E_SPEC', `${argument}[${i}] must be a whole number ≥ 0`, {
        argument,
        expected: 'non-negative whole counts',
        received: describeValue(v),
      });
    }
    sum += v;
  }
  if (sum > MAX_DRAWS) {
    throw new DroError('E_SPEC', `${argument} sums to more than 2^31 − 1`, { argument, received: String(sum) });
  }
  return sum;
}

/** One of a fixed set of strings. */
export function checkOneOf<T extends string>(x: unknown, argument: string, allowed: readonly T[]): T {
  if (typeof x !== 'string' || !allowed.includes(x as T)) {
    throw new DroError('E_SPEC', `unknown ${argument}`, {
      argument,
      expected: allowed.map((s) => JSON.stringify(s)).join(' or '),
      received: describeValue(x),
    });
  }
  return x as T;
}

/** Index of the largest entry, lowest index on ties. */
export function argmaxLowest(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if ((v[i] as number) > (v[best] as number)) best = i;
  return best;
}
