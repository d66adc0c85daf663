/** Closeness helpers shared by the tests and the conformance runners (no test-runner dependency). */
/** True when |a − e| ≤ abs + rel·|e| (NaN equals NaN, ±Infinity must match exactly). */
export function isClose(a: number, e: number, tol: { abs?: number; rel?: number }): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= (tol.abs ?? 0) + (tol.rel ?? 0) * Math.abs(e);
}

/** Returns a description of the first mismatch, or null when everything is close. */
export function findMismatch(
  actual: unknown,
  expected: unknown,
  tol: { abs?: number; rel?: number },
  path = 'value',
): string | null {
  if (typeof expected === 'number' || expected === null) {
    const e = expected === null ? Number.NaN : expected;
    const a = actual === null ? Number.NaN : (actual as number);
    if (typeof a !== 'number' || !isClose(a, e, tol)) return `${path}: expected ${e}, got ${String(actual)}`;
    return null;
  }
  if (Array.isArray(expected) || ArrayBuffer.isView(expected)) {
    const ex = expected as ArrayLike<unknown>;
    const ac = actual as ArrayLike<unknown>;
    if (!ac || typeof ac !== 'object' || ac.length !== ex.length) {
      return `${path}: expected length ${ex.length}, got ${ac && typeof ac === 'object' ? ac.length : String(ac)}`;
    }
    for (let i = 0; i < ex.length; i++) {
      const m = findMismatch(ac[i], ex[i], tol, `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (typeof expected === 'boolean' || typeof expected === 'string') {
    return actual === expected ? null : `${path}: expected ${String(expected)}, got ${String(actual)}`;
  }
  return `${path}: cannot compare ${typeof expected}`;
}
