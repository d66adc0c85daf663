import { checkOptions, type OptionSchema, opt } from '@drojs/dro-core/host';

/**
 * An argument object of a public estimator through dro-core's `checkOptions`: a key the function does not
 * take (`intercpt`) is `E_SPEC` naming it, the caller and the accepted keys, instead of being ignored. The
 * values are checked where they are read (matrices by dro-core's adapters, numbers by `checkNumber`).
 */
export function checkArgs<T extends object>(a: T, keys: readonly string[], caller: string): T {
  const schema: OptionSchema = Object.fromEntries(keys.map((k) => [k, opt.any()]));
  return checkOptions(a, schema, caller);
}

/** Keys of `CommonArgs`. */
export const COMMON_KEYS = ['intercept', 'covType', 'debiased', 'rankTol'] as const;
/** Keys of `IvArgs`. */
export const IV_KEYS = ['y', 'exog', 'endog', 'instruments', 'names', ...COMMON_KEYS] as const;
/** Keys of `IvlArgs`. */
export const IVL_KEYS = ['GX', 'y', 'G', 'intercept', 'rankTol'] as const;
/** The package's randomness: exactly one of an Rng or a seed. */
export const RNG_KEYS = ['rng', 'seed'] as const;
