/** Closeness helpers shared by the tests and the conformance runners (no test-runner dependency). */

/** An absolute and relative tolerance: `|a − e| ≤ abs + rel·|e|`. */
export interface Tolerance {
  abs?: number;
  rel?: number;
}

/**
 * How an expected `null` (JSON has no NaN or ±Infinity) is matched:
 * - `'nan'` (default): null or NaN;
 * - `'non-finite'`: null, NaN or ±Infinity (a writer that maps every non-finite number to null);
 * - `'strict'`: only null.
 */
export type NullPolicy = 'nan' | 'non-finite' | 'strict';

export interface MismatchOptions {
  /** Tolerances by object key, inherited by everything below that key (e.g. `{ pValue: { abs: 1e-6 } }`). */
  keyTol?: Readonly<Record<string, Tolerance>>;
  nullPolicy?: NullPolicy;
}

/** True when |a − e| ≤ abs + rel·|e| (NaN equals NaN, ±Infinity must match exactly). */
export function isClose(a: number, e: number, tol: Tolerance): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= (tol.abs ?? 0) + (tol.rel ?? 0) * Math.abs(e);
}

function matchesNull(actual: unknown, policy: NullPolicy): boolean {
  if (actual === null) return true;
  if (typeof actual !== 'number') return false;
  if (policy === 'strict') return false;
  return policy === 'nan' ? Number.isNaN(actual) : !Number.isFinite(actual);
}

/**
 * Returns a description of the first mismatch between `actual` and `expected`, or null when everything is
 * close: numbers within `tol`, strings and booleans equal, arrays of equal length element by element, and
 * every key of an expected object (extra keys of `actual` are ignored). Used by every package's conformance
 * runner, so that a corrupted expected value fails in all of them alike.
 */
export function findMismatch(
  actual: unknown,
  expected: unknown,
  tol: Tolerance,
  path = 'value',
  options: MismatchOptions = {},
): string | null {
  if (expected === null) {
    return matchesNull(actual, options.nullPolicy ?? 'nan') ? null : `${path}: expected null, got ${String(actual)}`;
  }
  if (typeof expected === 'number') {
    if (typeof actual !== 'number' || !isClose(actual, expected, tol)) {
      return `${path}: expected ${expected}, got ${String(actual)}`;
    }
    return null;
  }
  if (Array.isArray(expected) || ArrayBuffer.isView(expected)) {
    const ex = expected as ArrayLike<unknown>;
    const ac = actual as ArrayLike<unknown>;
    if (!ac || typeof ac !== 'object' || ac.length !== ex.length) {
      return `${path}: expected length ${ex.length}, got ${ac && typeof ac === 'object' ? ac.length : String(ac)}`;
    }
    for (let i = 0; i < ex.length; i++) {
      const m = findMismatch(ac[i], ex[i], tol, `${path}[${i}]`, options);
      if (m) return m;
    }
    return null;
  }
  if (typeof expected === 'boolean' || typeof expected === 'string') {
    return actual === expected ? null : `${path}: expected ${String(expected)}, got ${String(actual)}`;
  }
  if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return `${path}: expected an object, got ${String(actual)}`;
    const a = actual as Record<string, unknown>;
    for (const [k, e] of Object.entries(expected)) {
      const m = findMismatch(a[k], e, options.keyTol?.[k] ?? tol, `${path}.${k}`, options);
      if (m) return m;
    }
    return null;
  }
  return `${path}: cannot compare ${typeof expected}`;
}
