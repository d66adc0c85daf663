// Field comparison of the sdm conformance evaluators, on dro-core's findMismatch. The vectors write
// ±Infinity as strings and booleans for 0/1 flags; both sides are normalised to numbers before comparing.
import { findMismatch, type Tolerance } from '@drojs/dro-core/conformance';

/** Tolerance classes of spec §A.1. */
export type TolKind = 'host' | 'prob' | 'f32' | 'exact';

/** Outcome of one vectors case. */
export interface CaseResult {
  id: string;
  failures: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: vectors are untyped JSON
export type J = any;

/** "Infinity" strings → ±Infinity, booleans → 0/1 (a flag compares with a 0/1 array), typed arrays → arrays. */
export function num(v: unknown): number {
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v as number;
}

function normalise(v: unknown): unknown {
  if (v === 'Infinity' || v === '-Infinity' || typeof v === 'boolean') return num(v);
  if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) {
    return Array.from(v as ArrayLike<unknown>, normalise);
  }
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x)]));
  }
  return v;
}

/**
 * The spec's tolerances as findMismatch's |a − e| ≤ abs + rel·|e|. The spec states them as
 * max(abs, rel·|e|); halving both constants keeps the sum form within the spec's bound everywhere
 * (abs/2 + rel/2·|e| ≤ max(abs, rel·|e|)), so no comparison is looser than before.
 */
function tolerance(kind: TolKind, probTol: number): Tolerance {
  switch (kind) {
    case 'exact':
      return { abs: 0 };
    case 'host':
      return { abs: 0.5e-12, rel: 0.5e-9 };
    case 'prob':
      return { abs: probTol };
    case 'f32':
      return { abs: 0.5e-5, rel: 0.5e-4 };
  }
}

/** Collects field mismatches of one case. */
export class Checker {
  readonly failures: string[] = [];
  constructor(private readonly probTol: number) {}

  /** Compares nested arrays / numbers / booleans; `expected` may use "Infinity" strings. Absent → skipped. */
  field(name: string, actual: unknown, expected: unknown, kind: TolKind): void {
    if (expected === undefined) return;
    const m = findMismatch(normalise(actual), normalise(expected), tolerance(kind, this.probTol), name, {
      nullPolicy: 'strict',
    });
    if (m) this.failures.push(m);
  }
}

/** Runs one case, turning a throw into a failure. */
export async function run(id: string, probTol: number, fn: (c: Checker) => Promise<void> | void): Promise<CaseResult> {
  const c = new Checker(probTol);
  try {
    await fn(c);
  } catch (e) {
    c.failures.push(`threw ${e instanceof Error ? e.message : String(e)}`);
  }
  return { id, failures: c.failures };
}

export function asList(x: J): J[] {
  return Array.isArray(x) ? x : x === undefined ? [] : [x];
}

/** Per-class dictionary {"0": [...], ...} → array indexed by class. */
export function perClass(d: J): number[][] {
  const keys = Object.keys(d).map(Number);
  const n = keys.length === 0 ? 0 : Math.max(...keys) + 1;
  return Array.from({ length: n }, (_, c) => (d[String(c)] ?? []).map(num));
}

/** Array indexed by class → {"0": [...]} for comparison with the vectors. */
export function dict(a: ArrayLike<number>[]): Record<string, number[]> {
  const o: Record<string, number[]> = {};
  for (let i = 0; i < a.length; i++) o[String(i)] = Array.from(a[i] as ArrayLike<number>);
  return o;
}

/** The region fields the vectors list. */
export function regionFields(r: J, calibrationIsOod: Uint8Array, sorted: Float64Array[]): J {
  return {
    q_prime_min: r.qPrimeMin,
    thresholds: Array.from(r.thresholds as Float64Array),
    class_conditional_accuracy: r.classConditionalAccuracy,
    calibration_is_ood: Array.from(calibrationIsOod),
    q_prime_sorted_per_class: dict(sorted),
  };
}
