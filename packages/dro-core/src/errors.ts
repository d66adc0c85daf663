/** Stable error codes; see conventions.md. */
export type DroErrorCode =
  | 'E_SHAPE'
  | 'E_DTYPE'
  | 'E_LABEL_RANGE'
  | 'E_NONFINITE'
  | 'E_SPEC'
  | 'E_EMPTY'
  | 'E_STATE_VERSION'
  | 'E_INDEX_RANGE'
  | 'E_RANK'
  | 'E_BACKEND'
  | 'E_ABORTED'
  | 'E_IO'
  | 'E_INTERNAL'
  | 'E_SIMPLEX';

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

/** Throws E_SPEC unless `x` is a finite number in the given range. */
export function checkNumber(
  x: unknown,
  argument: string,
  range: {
    min?: number;
    max?: number;
    minExclusive?: boolean;
    maxExclusive?: boolean;
    integer?: boolean;
    allowInfinity?: boolean;
  } = {},
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
