import { opt } from '@drojs/dro-core';

/**
 * The option literals of ldr-loss are kebab-case (`'one-hot'`, `'softplus-mean'`, `'l1-mean'`, `'last-wins'`).
 * The camelCase spellings of earlier releases are still accepted and mapped here; they are deprecated.
 */
const CAMEL_ALIASES: Readonly<Record<string, string>> = {
  oneHot: 'one-hot',
  softplusMean: 'softplus-mean',
  l1Mean: 'l1-mean',
  lastWins: 'last-wins',
};

/** The kebab-case literal for a (possibly deprecated camelCase) option value. */
export function kebab<T extends string>(value: T | string): T {
  return (CAMEL_ALIASES[value] ?? value) as T;
}

/** `reduction`: `'mean' | 'sum' | 'none'`. */
export const REDUCTION_RULE = opt.oneOf(['mean', 'sum', 'none'] as const);
/** `labelFormat` (with the deprecated `'oneHot'`). */
export const LABEL_FORMAT_RULE = opt.oneOf(['auto', 'sparse', 'one-hot', 'oneHot'] as const);
/** `normalize` (with the deprecated `'softplusMean'`, `'l1Mean'`). */
export const NORMALIZE_RULE = opt.oneOf(['none', 'softplus-mean', 'l1-mean', 'softplusMean', 'l1Mean'] as const);
/** `onDuplicateIndex` (with the deprecated `'lastWins'`). */
export const DUPLICATE_RULE = opt.oneOf(['last-wins', 'throw', 'lastWins'] as const);

/**
 * Keys every stateless loss accepts; values are checked where they are used (`ignoreIndex` against K).
 * Each loss adds its own keys; `checkOptions` rejects any other key by name.
 */
export const COMMON_LOSS_OPTIONS = {
  reduction: REDUCTION_RULE,
  labelFormat: LABEL_FORMAT_RULE,
  ignoreIndex: opt.any(),
};

/** Common keys plus the score normalisation pair (`normalize`, `normEps`) and `margin`. */
export const SCORE_LOSS_OPTIONS = {
  ...COMMON_LOSS_OPTIONS,
  margin: opt.any(),
  normalize: NORMALIZE_RULE,
  normEps: opt.any(),
};
