import { DroError, describeValue } from './errors.js';
import { type Coupling1d, quantileCoupling, type SampleWeights } from './quantileCoupling.js';

/** Result of {@link w2Squared1d}. */
export interface W2Result1d {
  /** `W₂² = ∫₀¹ (Q_a(t) − Q_b(t))² dt` (squared distance, no square root). */
  value: number;
  /** `W₁ = ∫₀¹ |Q_a(t) − Q_b(t)| dt`. */
  w1: number;
  coupling: Coupling1d;
  /** ∂W₂²/∂a (the coupling held fixed; at ties only sums over a tie group are order-free). */
  gradA: Float64Array;
  /** ∂W₂²/∂b. */
  gradB: Float64Array;
}

/**
 * Exact squared 2-Wasserstein distance between two weighted 1-D samples (any sizes), through the quantile
 * coupling: `Σ mass·(a_i − b_j)²` over its rows — sums of differences, never `E a² − 2E ab + E b²`, so
 * large common offsets cost no digits. Also returns W₁ and the gradients of W₂² in both samples.
 *
 * @example
 * ```ts
 * w2Squared1d([0, 1], [0.5, 1.5, 2.5]).value;
 * ```
 */
export function w2Squared1d(a: ArrayLike<number>, b: ArrayLike<number>, opts: SampleWeights = {}): W2Result1d {
  const coupling = quantileCoupling(a, b, opts);
  const gradA = new Float64Array(a.length);
  const gradB = new Float64Array(b.length);
  let value = 0;
  let w1 = 0;
  for (let r = 0; r < coupling.mass.length; r++) {
    const i = coupling.src[r]!;
    const j = coupling.tgt[r]!;
    const dt = coupling.mass[r]!;
    const diff = a[i]! - b[j]!;
    value += dt * diff * diff;
    w1 += dt * Math.abs(diff);
    gradA[i]! += 2 * dt * diff;
    gradB[j]! -= 2 * dt * diff;
  }
  return { value, w1, coupling, gradA, gradB };
}

/** How per-column values are combined: mean (default), sum, or none (one value per column). */
export type W2Reduction = 'mean' | 'sum' | 'none';

/** @internal Validates a W2 reduction option. */
export function checkReduction(r: unknown, allowed: readonly W2Reduction[] = ['mean', 'sum', 'none']): W2Reduction {
  if (r === undefined) return 'mean';
  if (!allowed.includes(r as W2Reduction)) {
    throw new DroError('E_SPEC', 'opts.reduction is not a reduction', {
      argument: 'opts.reduction',
      expected: allowed.map((x) => `'${x}'`).join(', '),
      received: describeValue(r),
    });
  }
  return r as W2Reduction;
}

function checkMatrix(x: number[][], argument: string): number {
  if (!Array.isArray(x) || x.length === 0) {
    throw new DroError(Array.isArray(x) ? 'E_EMPTY' : 'E_DTYPE', `${argument} must be a non-empty [n, d] array`, {
      argument,
      received: describeValue(x),
    });
  }
  const d = Array.isArray(x[0]) ? x[0].length : -1;
  if (d < 1) throw new DroError('E_SHAPE', `${argument} must be [n, d] with d ≥ 1`, { argument });
  for (let i = 0; i < x.length; i++) {
    const row = x[i];
    if (!Array.isArray(row) || row.length !== d) {
      throw new DroError('E_SHAPE', `${argument}[${i}] must have ${d} entries`, {
        argument,
        received: describeValue(row),
      });
    }
  }
  return d;
}

/**
 * Float64 twin of the tensor op `sortedW2`: column c of `a [n, d]` against column c of `b [m, d]`, uniform
 * weights, exact quantile coupling (n ≠ m allowed). `value` is the mean (default) or sum of the per-column
 * W₂²; with `'none'` it is the sum, and `gradA`/`gradB` are then each column's own gradient.
 * `a` and `b` must have the same number of columns (`E_SHAPE`).
 */
export function sortedW2Host(
  a: number[][],
  b: number[][],
  opts: { reduction?: W2Reduction } = {},
): { value: number; perColumn: Float64Array; gradA: number[][]; gradB: number[][] } {
  const reduction = checkReduction(opts.reduction);
  const d = checkMatrix(a, 'a');
  const db = checkMatrix(b, 'b');
  if (d !== db) {
    throw new DroError('E_SHAPE', 'a and b must have the same number of columns', {
      argument: 'b',
      expected: `${d} columns`,
      received: `${db} columns`,
    });
  }
  const scale = reduction === 'mean' ? 1 / d : 1;
  const perColumn = new Float64Array(d);
  const gradA = a.map(() => new Array<number>(d).fill(0));
  const gradB = b.map(() => new Array<number>(d).fill(0));
  for (let c = 0; c < d; c++) {
    const r = w2Squared1d(
      a.map((row) => row[c]!),
      b.map((row) => row[c]!),
    );
    perColumn[c] = r.value;
    for (let i = 0; i < a.length; i++) gradA[i]![c] = scale * r.gradA[i]!;
    for (let j = 0; j < b.length; j++) gradB[j]![c] = scale * r.gradB[j]!;
  }
  let value = 0;
  for (let c = 0; c < d; c++) value += perColumn[c]!;
  if (reduction === 'mean') value /= d;
  return { value, perColumn, gradA, gradB };
}
