import { DroError, type DroErrorCode, describeValue } from '@drojs/dro-core/host';

/** Internal argument checks: every failure is a DroError naming the argument (with its path). */

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

/** Options object (or undefined) with only the accepted keys (E_SPEC naming the unknown key). */
export function checkOptions(o: unknown, argument: string, allowed: readonly string[]): Record<string, unknown> {
  if (o === undefined) return {};
  if (!isPlainObject(o)) fail('E_SPEC', argument, 'must be an options object', 'an object', o);
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) {
      fail('E_SPEC', `${argument}.${k}`, `is not a known option (accepted: ${allowed.join(', ')})`);
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

/** A finite number in a range; out of range is `code` (E_SPEC by default). */
export function numIn(
  x: unknown,
  argument: string,
  r: { min?: number; max?: number; minEx?: boolean; maxEx?: boolean },
  code: DroErrorCode = 'E_SPEC',
): number {
  const v = num(x, argument);
  const lo = r.min === undefined || (r.minEx ? v > r.min : v >= r.min);
  const hi = r.max === undefined || (r.maxEx ? v < r.max : v <= r.max);
  if (!lo || !hi) {
    const e = [
      r.min === undefined ? '' : `${r.minEx ? '>' : '≥'} ${r.min}`,
      r.max === undefined ? '' : `${r.maxEx ? '<' : '≤'} ${r.max}`,
    ]
      .filter(Boolean)
      .join(' and ');
    fail(code, argument, 'is out of range', `a number ${e}`, v);
  }
  return v;
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

/** Left-to-right sum (the package's fixed summation order). */
export function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s;
}

/** Softmax of `x` with max shift; throws E_NONFINITE when the result is not finite. */
export function softmax(x: readonly number[], argument: string): number[] {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of x) if (v > m) m = v;
  const e = x.map((v) => Math.exp(v - m));
  const s = sum(e);
  const out = e.map((v) => v / s);
  ensureFinite(out, argument);
  return out;
}

/** categorical(p, u) of the spec (§1.2). */
export function categorical(p: readonly number[], u: number): number {
  const total = sum(p);
  let cum = 0;
  for (let k = 0; k < p.length; k++) {
    cum += p[k] as number;
    if (u < cum / total) return k;
  }
  for (let k = p.length - 1; k >= 0; k--) if ((p[k] as number) > 0) return k;
  return p.length - 1;
}

/** uniformIndex(m, u) of the spec (§1.2). */
export function uniformIndex(m: number, u: number): number {
  return Math.min(m - 1, Math.floor(u * m));
}
