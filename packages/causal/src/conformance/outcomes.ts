import { type ConformanceOutcome, findMismatch, type Tolerance } from '@drojs/dro-core/conformance';

/** JSON as the vectors file holds it. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** One case of a causal vectors file (`cases.<name>`). */
export interface Case {
  description?: string;
  inputs: Record<string, Json>;
  outputs: Record<string, Json>;
  truth?: Record<string, Json>;
  crosscheck?: Record<string, Json>;
}

// Tolerances of the vectors format (spec §15.8): closed forms, p-values (relative), exact integers and labels,
// L-BFGS selector weights, selector objectives and soft mixtures.
export const CLOSED: Tolerance = { rel: 1e-8, abs: 1e-10 };
export const PVAL: Tolerance = { rel: 1e-6, abs: 0 };
export const EXACT: Tolerance = { rel: 0, abs: 0 };
export const LR: Tolerance = { rel: 0, abs: 1e-4 };
export const OBJ: Tolerance = { rel: 1e-6, abs: 0 };
export const SOFT: Tolerance = { rel: 1e-4, abs: 0 };

/** Per-key tolerances (dro-core's `keyTol`): the tolerance of a key applies to everything below it. */
export type KeyTolerances = Readonly<Record<string, Tolerance>>;

/**
 * Collects one outcome per checked output field, each compared by dro-core's `findMismatch`; JSON has no NaN,
 * so an expected `null` must be matched by `null` (`nullPolicy: 'strict'`).
 */
export class Outcomes {
  readonly list: ConformanceOutcome[] = [];

  /** Compares `actual()` with `expected`; an exception is a failure of this field only. */
  check(
    caseName: string,
    field: string,
    expected: unknown,
    actual: () => unknown,
    tol: Tolerance,
    keyTol?: KeyTolerances,
  ): void {
    let failure: string | null;
    try {
      failure = findMismatch(actual(), expected, tol, field, { keyTol, nullPolicy: 'strict' });
    } catch (e) {
      failure = `${field}: threw ${e instanceof Error ? e.message : String(e)}`;
    }
    this.list.push({ id: `${caseName} ${field}`, failure });
  }

  fail(caseName: string, field: string, why: string): void {
    this.list.push({ id: `${caseName} ${field}`, failure: why });
  }

  /** A parameter-indexed map (`{"0.5": …}`), or null after recording a failure. */
  map(v: Json, caseName: string, field: string): Record<string, Json> | null {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.fail(caseName, field, 'expected a map indexed by a parameter');
      return null;
    }
    return v;
  }
}

/** Parameter-map key → number (`"inf"` → Infinity). */
export function keyNum(k: string): number {
  if (k === 'inf') return Number.POSITIVE_INFINITY;
  if (k === '-inf') return Number.NEGATIVE_INFINITY;
  const v = Number(k);
  if (Number.isNaN(v)) throw new Error(`bad parameter key ${k}`);
  return v;
}

/** A value computed once, on first use (several fields share one fit). */
export function memo<T>(f: () => T): () => T {
  let done = false;
  let v: T;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v;
  };
}

export const mat = (v: Json | undefined): number[][] => v as unknown as number[][];
export const vec = (v: Json | undefined): number[] => v as unknown as number[];
