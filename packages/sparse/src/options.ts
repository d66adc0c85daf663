import { checkNumber, DroError, describeValue } from '@drojs/dro-core/host';

/**
 * Declarative option checks in the shape of dro-core's platform `checkOptions`/`opt` (issue #11); kept local
 * until the platform lands on main, then this file re-exports it.
 */
export interface Rule {
  check(value: unknown, argument: string): void;
}

function typeError(argument: string, expected: string, value: unknown): DroError {
  return new DroError('E_SPEC', `${argument} has the wrong type`, {
    argument,
    expected,
    received: describeValue(value),
  });
}

export const opt = {
  number(range: Parameters<typeof checkNumber>[2] = {}): Rule {
    return { check: (v, a) => checkNumber(v, a, range) };
  },
  integer(range: Omit<NonNullable<Parameters<typeof checkNumber>[2]>, 'integer'> = {}): Rule {
    return { check: (v, a) => checkNumber(v, a, { ...range, integer: true }) };
  },
  oneOf(values: readonly (string | number | boolean)[]): Rule {
    return {
      check: (v, a) => {
        if (!values.includes(v as string)) {
          throw new DroError('E_SPEC', `${a} is not one of the accepted values`, {
            argument: a,
            expected: values.map((x) => `'${x}'`).join(', '),
            received: describeValue(v),
          });
        }
      },
    };
  },
  boolean(): Rule {
    return {
      check: (v, a) => {
        if (typeof v !== 'boolean') throw typeError(a, 'true or false', v);
      },
    };
  },
  function(): Rule {
    return {
      check: (v, a) => {
        if (typeof v !== 'function') throw typeError(a, 'a function', v);
      },
    };
  },
  signal(): Rule {
    return {
      check: (v, a) => {
        const s = v as { aborted?: unknown } | null;
        if (typeof s !== 'object' || s === null || typeof s.aborted !== 'boolean')
          throw typeError(a, 'an AbortSignal', v);
      },
    };
  },
  object(): Rule {
    return {
      check: (v, a) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw typeError(a, 'an object', v);
      },
    };
  },
  /** Anything: checked by the caller. */
  any(): Rule {
    return { check: () => {} };
  },
} as const;

/** Rejects unknown keys (E_SPEC naming the key and the accepted ones) and checks every known key. */
export function checkOptions<T extends object>(opts: T | undefined, schema: Record<string, Rule>, caller: string): T {
  if (opts === undefined) return {} as T;
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new DroError('E_SPEC', `${caller}: options must be an object`, {
      argument: `${caller} options`,
      received: describeValue(opts),
    });
  }
  const o = opts as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!Object.hasOwn(schema, key)) {
      throw new DroError('E_SPEC', `${caller}: unknown option '${key}'`, {
        argument: key,
        expected: `one of the options ${Object.keys(schema).sort().join(', ')}`,
        received: `'${key}'`,
      });
    }
  }
  for (const [key, r] of Object.entries(schema)) {
    const v = o[key];
    if (v !== undefined) r.check(v, key);
  }
  return opts;
}
