import { DroError, describeValue } from '../errors.js';

/**
 * A seed, the same type in every drojs package: a non-negative safe integer or a string (hashed with
 * FNV-1a). Where a class takes an optional seed its default is 0, stated in its TSDoc.
 */
export type Seed = number | string;

/**
 * The one seed check: returns the seed, or throws `E_SPEC` naming `argument` for anything but a
 * non-negative safe integer or a string.
 */
export function checkSeed(seed: unknown, argument = 'seed'): Seed {
  if (typeof seed === 'string') return seed;
  if (typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0) return seed;
  throw new DroError('E_SPEC', `${argument} is not a seed`, {
    argument,
    expected: 'a non-negative safe integer or a string',
    received: describeValue(seed),
  });
}
