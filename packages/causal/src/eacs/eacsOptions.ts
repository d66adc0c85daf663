import { checkOptions, DroError, type OptionSchema, opt, stateKind } from '@drojs/dro-core/host';

/** State kind of an {@link Eacs}; states written as `'causal.Eacs'` before the platform still load. */
export const EACS_KIND = stateKind('causal', 'Eacs');
export const EACS_LEGACY_KIND = 'causal.Eacs';

const indexList = (what: string) =>
  opt.custom(what, (v, a) => {
    if (!Array.isArray(v) || v.some((j) => !Number.isInteger(j) || j < 0))
      throw new DroError('E_SPEC', `${a} must list column indices`, { argument: a, expected: what });
  });

const EACS_SCHEMA: OptionSchema = {
  subsets: opt.custom("'all' or an array of column-index arrays", (v, a) => {
    if (v !== 'all' && !Array.isArray(v))
      throw new DroError('E_SPEC', `${a} must be 'all' or a non-empty array`, { argument: a });
  }),
  maxSubsets: opt.integer({ min: 1 }),
  mustInclude: indexList('an array of column indices'),
  summary: opt.oneOf(['corr-sd', 'moments', 'moments+pcorr', 'moments+pcorr-shrunk']),
  selector: opt.custom("'logistic' or a factory (C) => Selector", (v, a) => {
    if (v !== 'logistic' && typeof v !== 'function')
      throw new DroError('E_SPEC', `${a} must be 'logistic' or a factory (C) => Selector`, { argument: a });
  }),
  standardizeSummaries: opt.boolean(),
  C: opt.number({ min: 0, minExclusive: true }),
  Cs: opt.array(),
  classWeight: opt.custom("'balanced' or null", (v, a) => {
    if (v !== null && v !== 'balanced')
      throw new DroError('E_SPEC', `${a} must be 'balanced' or null`, { argument: a });
  }),
  mode: opt.oneOf(['hard', 'soft', 'cv']),
  innerFolds: opt.integer({ min: 2 }),
  seed: opt.seed().require(),
};

/** `new Eacs(o)` options through dro-core's `checkOptions`: `{ mdoe: 'soft' }` is E_SPEC naming `mdoe`. */
export function checkEacsOptions<T extends object>(o: T): T {
  return checkOptions(o, EACS_SCHEMA, 'Eacs');
}
