import {
  checkNumber,
  checkOptions,
  DroError,
  type DroErrorCode,
  describeValue,
  type OptionSchema,
  opt,
} from '@drojs/dro-core/host';

/**
 * The package's value checks, on dro-core's `DroError` and `checkNumber`: every failure is a DroError naming the
 * argument with its path, with the code of the package's error table (spec §15).
 */

export function fail(
  code: DroErrorCode,
  argument: string,
  message: string,
  expected?: string,
  ...received: unknown[]
): never {
  throw new DroError(code, `${argument} ${message}`, {
    argument,
    expected,
    received: received.length === 0 ? undefined : describeValue(received[0]),
  });
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * An options object through dro-core's `checkOptions`: unknown keys are `E_SPEC` naming the key, the caller and
 * the accepted keys. The values are then read by the caller with the checks below, because the package's error
 * table (spec §15) gives a wrong type `E_DTYPE` and a non-finite value `E_NONFINITE`, where a schema rule would
 * answer `E_SPEC` for both.
 */
export function checkOptionKeys(o: unknown, keys: readonly string[], caller: string): Record<string, unknown> {
  const schema: OptionSchema = Object.fromEntries(keys.map((k) => [k, opt.any()]));
  return checkOptions(o as Record<string, unknown> | undefined, schema, caller) as Record<string, unknown>;
}

/**
 * A data record (a result, a DRPO question, a DRM input, a pool entry — not an options object) with only the
 * fields of its spec section: another field is `E_SPEC` naming `argument.field`.
 */
export function checkFields(o: unknown, argument: string, allowed: readonly string[]): Record<string, unknown> {
  if (o === undefined) return {};
  if (!isPlainObject(o)) fail('E_SPEC', argument, 'must be an object', 'an object', o);
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) {
      fail('E_SPEC', `${argument}.${k}`, `is not a known field (accepted: ${allowed.join(', ')})`);
    }
  }
  return o;
}

/** A finite number (E_DTYPE for another type, E_NONFINITE for NaN/±Infinity). */
export function num(x: unknown, argument: string): number {
  if (typeof x !== 'number') fail('E_DTYPE', argument, 'must be a number', 'a number', x);
  if (!Number.isFinite(x)) fail('E_NONFINITE', argument, 'must be finite', 'a finite number', x);
  return x;
}

/** A finite number in a range (dro-core's `checkNumber`); out of range is `code` (E_SPEC by default). */
export function numIn(
  x: unknown,
  argument: string,
  r: { min?: number; max?: number; minEx?: boolean; maxEx?: boolean },
  code: DroErrorCode = 'E_SPEC',
): number {
  const v = num(x, argument);
  return checkNumber(v, argument, { min: r.min, max: r.max, minExclusive: r.minEx, maxExclusive: r.maxEx }, code);
}

/** A safe integer (E_DTYPE otherwise, never rounded), optionally at least `min` (E_SPEC). */
export function int(x: unknown, argument: string, min?: number, code: DroErrorCode = 'E_SPEC'): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x))
    fail('E_DTYPE', argument, 'must be a safe integer', 'an integer', x);
  if (min !== undefined && x < min) fail(code, argument, 'is out of range', `an integer ≥ ${min}`, x);
  return x;
}

export function bool(x: unknown, argument: string): boolean {
  if (typeof x !== 'boolean') fail('E_DTYPE', argument, 'must be a boolean', 'true or false', x);
  return x;
}

export function str(x: unknown, argument: string): string {
  if (typeof x !== 'string') fail('E_DTYPE', argument, 'must be a string', 'a string', x);
  return x;
}

export function oneOf<T extends string>(x: unknown, argument: string, values: readonly T[]): T {
  if (typeof x !== 'string' || !values.includes(x as T)) {
    fail('E_SPEC', argument, 'is not an accepted value', values.map((v) => JSON.stringify(v)).join(' | '), x);
  }
  return x as T;
}

export function arr(x: unknown, argument: string): readonly unknown[] {
  if (!Array.isArray(x)) fail('E_DTYPE', argument, 'must be an array', 'an array', x);
  return x;
}

/** Array of finite numbers. */
export function numArray(x: unknown, argument: string): number[] {
  const a = arr(x, argument);
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = num(a[i], `${argument}[${i}]`);
  return out;
}

export function intArray(x: unknown, argument: string): number[] {
  const a = arr(x, argument);
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = int(a[i], `${argument}[${i}]`);
  return out;
}

export function boolArray(x: unknown, argument: string): boolean[] {
  const a = arr(x, argument);
  return a.map((v, i) => bool(v, `${argument}[${i}]`));
}

export function strArray(x: unknown, argument: string): string[] {
  const a = arr(x, argument);
  return a.map((v, i) => str(v, `${argument}[${i}]`));
}

/** Throws E_NONFINITE unless every value is finite (used before committing new state). */
export function ensureFinite(values: Iterable<number>, argument: string): void {
  for (const v of values)
    if (!Number.isFinite(v)) fail('E_NONFINITE', argument, 'would become non-finite', 'finite values', v);
}

/** Throws E_SHAPE `argument message` unless `values` has length `n` (expected and received name both lengths). */
export function checkLength(values: { length: number }, n: number, argument: string, message: string): void {
  if (values.length !== n) fail('E_SHAPE', argument, message, `length ${n}`, `length ${values.length}`);
}

/** Throws E_SHAPE naming `argB` unless `b` has the length of `a`. */
export function sameLength(a: { length: number }, b: { length: number }, argA: string, argB: string): void {
  checkLength(b, a.length, argB, `must have the length of ${argA}`);
}
