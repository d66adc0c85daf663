/** A tolerance: |actual − expected| ≤ atol + rtol·|expected|, or exact equality. */
export interface Tol {
  rtol: number;
  atol: number;
  exact?: boolean;
}

export const EXACT: Tol = { rtol: 0, atol: 0, exact: true };

function decode(v: unknown): unknown {
  if (v === 'inf') return Number.POSITIVE_INFINITY;
  if (v === '-inf') return Number.NEGATIVE_INFINITY;
  return v;
}

function show(v: unknown): string {
  if (ArrayBuffer.isView(v)) return `[${Array.from(v as unknown as ArrayLike<number>).join(', ')}]`;
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/**
 * The first difference between an actual value and an expected vectors value (numbers by tolerance,
 * 'inf'/'-inf' strings as infinities, arrays element by element with the index in the path), or null.
 */
export function mismatch(actual: unknown, expectedRaw: unknown, tol: Tol, path = ''): string | null {
  const expected = decode(expectedRaw);
  if (expected === null) return actual === null ? null : `${path}: expected null, got ${show(actual)}`;
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return `${path}: expected ${expected}, got ${show(actual)}`;
    if (tol.exact || !Number.isFinite(expected)) {
      return actual === expected ? null : `${path}: expected ${expected}, got ${actual}`;
    }
    if (Number.isNaN(actual)) return `${path}: expected ${expected}, got NaN`;
    return Math.abs(actual - expected) <= tol.atol + tol.rtol * Math.abs(expected)
      ? null
      : `${path}: expected ${expected}, got ${actual} (|diff| ${Math.abs(actual - expected).toExponential(3)})`;
  }
  if (typeof expected === 'boolean' || typeof expected === 'string') {
    return actual === expected ? null : `${path}: expected ${JSON.stringify(expected)}, got ${show(actual)}`;
  }
  if (Array.isArray(expected)) {
    const isList = Array.isArray(actual) || ArrayBuffer.isView(actual);
    if (!isList) return `${path}: expected a list of ${expected.length}, got ${show(actual)}`;
    const a = actual as ArrayLike<unknown>;
    if (a.length !== expected.length) return `${path}: expected length ${expected.length}, got ${a.length}`;
    for (let i = 0; i < expected.length; i++) {
      const m = mismatch(a[i], expected[i], tol, `${path}[${i}]`);
      if (m !== null) return m;
    }
    return null;
  }
  return `${path}: unsupported expected value ${show(expected)}`;
}
