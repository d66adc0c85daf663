import { findMismatch } from '@drojs/dro-core/conformance';

type Obj = Record<string, unknown>;

/**
 * The format's rule that an expected `null` means "null or absent": the actual value is given `null` where
 * the expected one is `null` and the actual is `undefined`, so dro-core's strict null policy applies.
 */
function absentAsNull(actual: unknown, expected: unknown): unknown {
  if (expected === null) return actual === undefined ? null : actual;
  if (Array.isArray(expected) && Array.isArray(actual))
    return actual.map((a, i) => (i < expected.length ? absentAsNull(a, expected[i]) : a));
  if (expected !== null && typeof expected === 'object' && actual !== null && typeof actual === 'object') {
    const e = expected as Obj;
    const a = actual as Obj;
    const out: Obj = { ...a };
    for (const k of Object.keys(e)) out[k] = absentAsNull(a[k], e[k]);
    return out;
  }
  return actual;
}

/**
 * The format's maps are compared by key set too (an output key the vectors do not list is a failure, not
 * ignored): the first object whose defined keys differ from the expected ones, or null.
 */
function keySetMismatch(actual: unknown, expected: unknown, path: string): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return null; // findMismatch reports it
    for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
      const m = keySetMismatch(actual[i], expected[i], `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (expected === null || typeof expected !== 'object' || actual === null || typeof actual !== 'object') return null;
  const e = expected as Obj;
  const a = actual as Obj;
  const ek = Object.keys(e).sort();
  const ak = Object.keys(a)
    .filter((k) => a[k] !== undefined)
    .sort();
  if (ek.join('\u0000') !== ak.join('\u0000'))
    return `${path}: expected keys ${JSON.stringify(ek)}, got ${JSON.stringify(ak)}`;
  for (const k of ek) {
    const m = keySetMismatch(a[k], e[k], `${path}.${k}`);
    if (m) return m;
  }
  return null;
}

/**
 * Compares one output field with dro-core's `findMismatch` (numbers within `tol` absolute, and also within
 * `rel` relative when given — both must hold, as the format states for the √-law multiplier) and pushes the
 * first mismatch onto `out`.
 */
export function compare(
  actual: unknown,
  expected: unknown,
  path: string,
  tol: number,
  out: string[],
  rel?: number,
): void {
  const a = absentAsNull(actual, expected);
  const m =
    findMismatch(a, expected, { abs: tol }, path, { nullPolicy: 'strict' }) ??
    (rel === undefined ? null : findMismatch(a, expected, { rel }, path, { nullPolicy: 'strict' })) ??
    keySetMismatch(a, expected, path);
  if (m) out.push(m);
}
