import { checkNumber, DroError, describeValue, type NumberRange } from '../errors.js';
import { checkSeed } from './seed.js';

/**
 * One rule of an option schema: `check(value, argument)` throws a `DroError('E_SPEC')` naming `argument`
 * when the value is not allowed. `undefined` is accepted unless the rule is required (`opt.number().require()`).
 */
export interface OptionRule {
  readonly required: boolean;
  /** What the rule accepts, in words (used in messages and docs). */
  readonly expected: string;
  check(value: unknown, argument: string): void;
}

/** A declarative option schema: option name → rule (see {@link opt}). */
export type OptionSchema = Readonly<Record<string, OptionRule>>;

/** A rule that is optional until `.required()` is called. */
export class OptionRuleBuilder implements OptionRule {
  constructor(
    readonly expected: string,
    readonly check: (value: unknown, argument: string) => void,
    readonly isRequired = false,
  ) {}

  get required(): boolean {
    return this.isRequired;
  }

  /** The same rule with `undefined` rejected. */
  require(): OptionRuleBuilder {
    return new OptionRuleBuilder(this.expected, this.check, true);
  }
}

function rule(expected: string, check: (value: unknown, argument: string) => void): OptionRuleBuilder {
  return new OptionRuleBuilder(expected, check);
}

function typeError(argument: string, expected: string, value: unknown): DroError {
  return new DroError('E_SPEC', `${argument} has the wrong type`, {
    argument,
    expected,
    received: describeValue(value),
  });
}

/**
 * Builders for option rules, in the manner of scikit-learn's `_param_validation`:
 * `checkOptions(opts, { lr: opt.number({ min: 0, minExclusive: true }), mode: opt.oneOf(['soft', 'hard']) }, 'Eacs')`.
 */
export const opt = {
  /** A finite number in a range (see `checkNumber`). */
  number(range: NumberRange = {}): OptionRuleBuilder {
    return rule('a number', (v, a) => checkNumber(v, a, range));
  },
  /** A whole number in a range. */
  integer(range: Omit<NumberRange, 'integer'> = {}): OptionRuleBuilder {
    return rule('a whole number', (v, a) => checkNumber(v, a, { ...range, integer: true }));
  },
  /** One of the listed literals. */
  oneOf(values: readonly (string | number | boolean)[]): OptionRuleBuilder {
    const expected = values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
    return rule(`one of ${expected}`, (v, a) => {
      if (!values.includes(v as string)) {
        throw new DroError('E_SPEC', `${a} is not one of the accepted values`, {
          argument: a,
          expected,
          received: describeValue(v),
        });
      }
    });
  },
  boolean(): OptionRuleBuilder {
    return rule('true or false', (v, a) => {
      if (typeof v !== 'boolean') throw typeError(a, 'true or false', v);
    });
  },
  string(): OptionRuleBuilder {
    return rule('a string', (v, a) => {
      if (typeof v !== 'string') throw typeError(a, 'a string', v);
    });
  },
  /** A seed: a non-negative safe integer or a string (see {@link checkSeed}). */
  seed(): OptionRuleBuilder {
    return rule('a seed (a non-negative safe integer or a string)', (v, a) => {
      checkSeed(v, a);
    });
  },
  function(): OptionRuleBuilder {
    return rule('a function', (v, a) => {
      if (typeof v !== 'function') throw typeError(a, 'a function', v);
    });
  },
  /** An `AbortSignal` (duck-typed: `aborted` and `addEventListener`). */
  signal(): OptionRuleBuilder {
    return rule('an AbortSignal', (v, a) => {
      const s = v as { aborted?: unknown; addEventListener?: unknown } | null;
      if (typeof s !== 'object' || s === null || typeof s.aborted !== 'boolean')
        throw typeError(a, 'an AbortSignal', v);
    });
  },
  /** A plain object (nested options are checked by the caller with their own schema). */
  object(): OptionRuleBuilder {
    return rule('an object', (v, a) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw typeError(a, 'an object', v);
    });
  },
  /** An array or typed array (contents checked by the caller). */
  array(): OptionRuleBuilder {
    return rule('an array', (v, a) => {
      if (!Array.isArray(v) && !(ArrayBuffer.isView(v) && !(v instanceof DataView))) throw typeError(a, 'an array', v);
    });
  },
  /** Anything: the key is known, its value is checked elsewhere (tensors, models, class instances). */
  any(): OptionRuleBuilder {
    return rule('any value', () => {});
  },
  /** A custom check that throws a DroError itself. */
  custom(expected: string, check: (value: unknown, argument: string) => void): OptionRuleBuilder {
    return rule(expected, check);
  },
} as const;

/**
 * Validates an options object against a schema and returns it (`{}` for `undefined`). Unknown keys are
 * rejected with `E_SPEC` naming the key and listing the accepted ones, so a typo (`etaq` for `eta`) never
 * falls back silently to a default; every known key is checked by its rule. Nothing is copied or changed.
 *
 * @param caller the public function or class, used in messages (`'GroupDroWeights'`).
 * @throws DroError `E_SPEC`.
 */
export function checkOptions<T extends object>(opts: T | undefined, schema: OptionSchema, caller: string): T {
  if (opts === undefined) {
    const missing = Object.keys(schema).filter((k) => (schema[k] as OptionRule).required);
    if (missing.length > 0) {
      throw new DroError('E_SPEC', `${caller}: options are required`, {
        argument: `${caller} options`,
        expected: `an object with ${missing.join(', ')}`,
        received: 'undefined',
      });
    }
    return {} as T;
  }
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new DroError('E_SPEC', `${caller}: options must be an object`, {
      argument: `${caller} options`,
      received: describeValue(opts),
    });
  }
  const o = opts as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!Object.hasOwn(schema, key)) {
      const accepted = Object.keys(schema).sort();
      throw new DroError('E_SPEC', `${caller}: unknown option '${key}'`, {
        argument: key,
        expected: `one of the options ${accepted.join(', ')}`,
        received: `'${key}'`,
      });
    }
  }
  for (const [key, r] of Object.entries(schema)) {
    const v = o[key];
    if (v === undefined) {
      if (r.required) {
        throw new DroError('E_SPEC', `${caller}: option '${key}' is required`, {
          argument: key,
          expected: r.expected,
          received: 'undefined',
        });
      }
      continue;
    }
    r.check(v, key);
  }
  return opts;
}
