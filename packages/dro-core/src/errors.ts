/**
 * The one table of error codes: one fault, one code, in every drojs package. The README's table is this
 * object, and `errors.test.ts` checks each row once against the shared validators.
 */
export const ERROR_CODES = {
  E_DTYPE: 'not a tensor or array, not numeric, or the wrong dtype (e.g. float labels, an int32 tensor for features)',
  E_SHAPE: 'wrong rank, shape or length (ragged rows, one value per row missing, mismatched sizes)',
  E_LABEL_RANGE: 'a class label outside [0, numClasses)',
  E_NONFINITE: 'NaN or ±Infinity where finite numbers are required',
  E_SPEC: 'a bad option or argument value, or an unknown option key (a typo)',
  E_EMPTY: 'an empty input where at least one element is required',
  E_STATE_VERSION: 'a state of another class (kind), an unsupported version, or invalid values in a state',
  E_INDEX_RANGE: 'an index (row, instance, group, arm) outside its range',
  E_RANK: 'a singular or rank-deficient matrix where an estimate needs full rank',
  E_BACKEND: 'a backend that is unknown, unavailable, or lacks what the call needs',
  E_ABORTED: 'the caller aborted the work through its AbortSignal',
  E_IO: 'a file could not be read or written',
  E_INTERNAL: 'a defect in drojs: an invariant failed (please report it)',
} as const;

/** Stable error codes; see {@link ERROR_CODES}. */
export type DroErrorCode = keyof typeof ERROR_CODES;

export interface DroErrorDetails {
  /** The argument at fault, e.g. `'losses'` or `'spec.alpha'`. */
  argument?: string;
  /** What was expected, in words. */
  expected?: string;
  /** What was given, in words. */
  received?: string;
  cause?: unknown;
}

/**
 * The one error type of every drojs package. Thrown before any state changes; `code` is stable,
 * the message names the argument, what was expected and what was given.
 */
export class DroError extends Error {
  readonly code: DroErrorCode;
  readonly argument?: string;
  readonly expected?: string;
  readonly received?: string;

  constructor(code: DroErrorCode, message: string, details: DroErrorDetails = {}) {
    const parts = [message];
    if (details.argument !== undefined && !message.includes(details.argument)) parts.unshift(`${details.argument}:`);
    if (details.expected !== undefined) parts.push(`expected ${details.expected}`);
    if (details.received !== undefined) parts.push(`received ${details.received}`);
    super(`[${code}] ${parts.join(' ')}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DroError';
    this.code = code;
    this.argument = details.argument;
    this.expected = details.expected;
    this.received = details.received;
  }
}

/** True when `e` is a DroError, optionally with the given code. */
export function isDroError(e: unknown, code?: DroErrorCode): e is DroError {
  return e instanceof DroError && (code === undefined || e.code === code);
}

/** Short description of a value for error messages. */
export function describeValue(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${(v as unknown as ArrayLike<number>).length}`;
  return typeof v;
}

/** The range a number must lie in (see {@link checkNumber}). */
export interface NumberRange {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** Whole numbers only. */
  integer?: boolean;
  /** Accept +Infinity (e.g. λ = ∞ for the mean). */
  allowInfinity?: boolean;
}

/** Throws E_SPEC unless `x` is a finite number in the given range. */
export function checkNumber(
  x: unknown,
  argument: string,
  range: NumberRange = {},
  code: DroErrorCode = 'E_SPEC',
): number {
  const { min, max, minExclusive = false, maxExclusive = false, integer = false, allowInfinity = false } = range;
  const lo = min === undefined ? '' : `${minExclusive ? '>' : '≥'} ${min}`;
  const hi = max === undefined ? '' : `${maxExclusive ? '<' : '≤'} ${max}`;
  const expected = [`a ${integer ? 'whole ' : ''}number`, lo, lo && hi ? 'and' : '', hi].filter(Boolean).join(' ');
  const ok =
    typeof x === 'number' &&
    !Number.isNaN(x) &&
    (Number.isFinite(x) || (allowInfinity && x === Number.POSITIVE_INFINITY)) &&
    (!integer || Number.isInteger(x)) &&
    (min === undefined || (minExclusive ? x > min : x >= min)) &&
    (max === undefined || (maxExclusive ? x < max : x <= max));
  if (!ok) throw new DroError(code, `${argument} is out of range`, { argument, expected, received: describeValue(x) });
  return x as number;
}

/** Throws E_NONFINITE naming the first non-finite entry. */
export function checkFinite(values: ArrayLike<number>, argument: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      throw new DroError('E_NONFINITE', `${argument}[${i}] is not finite`, {
        argument,
        expected: 'finite numbers',
        received: describeValue(v),
      });
    }
  }
}

/** Throws E_ABORTED when the signal is aborted. */
export function checkAborted(signal: AbortSignal | undefined, what = 'operation'): void {
  if (signal?.aborted) {
    throw new DroError('E_ABORTED', `${what} was aborted`, { argument: 'signal', cause: signal.reason });
  }
}
