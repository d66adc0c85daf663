import { DroError } from './errors.js';
import { type Coupling1d, checkSamples, couplingOf, type SampleWeights } from './quantileCoupling.js';
import { toHostMatrix } from './validate/hostInputs.js';
import { checkOptions, opt } from './validate/options.js';

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
  const v = checkSamples(a, b, opts, 'w2Squared1d');
  return w2Of(v.a, v.b, couplingOf(v.a, v.b, v.wa, v.wb));
}

/** @internal W₂², W₁ and gradients of validated samples along a coupling. */
function w2Of(a: Float64Array, b: Float64Array, coupling: Coupling1d): W2Result1d {
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

/** @internal Validates the options of the W2 ops (`reduction` only), returning the reduction. */
export function checkReduction(
  opts: { reduction?: W2Reduction } | undefined,
  caller: string,
  allowed: readonly W2Reduction[] = ['mean', 'sum', 'none'],
): W2Reduction {
  return checkOptions(opts, { reduction: opt.oneOf(allowed) }, caller).reduction ?? 'mean';
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
  const reduction = checkReduction(opts, 'sortedW2Host');
  const A = toHostMatrix(a, 'a', 'sortedW2Host');
  const B = toHostMatrix(b, 'b', 'sortedW2Host');
  const d = A.cols;
  if (B.cols !== d) {
    throw new DroError('E_SHAPE', 'sortedW2Host: a and b must have the same number of columns', {
      argument: 'b',
      expected: `${d} columns`,
      received: `${B.cols} columns`,
    });
  }
  const scale = reduction === 'mean' ? 1 / d : 1;
  const perColumn = new Float64Array(d);
  const gradA = Array.from({ length: A.rows }, () => new Array<number>(d).fill(0));
  const gradB = Array.from({ length: B.rows }, () => new Array<number>(d).fill(0));
  const column = (M: typeof A, c: number) => Float64Array.from({ length: M.rows }, (_, i) => M.data[i * d + c]!);
  for (let c = 0; c < d; c++) {
    const ac = column(A, c);
    const bc = column(B, c);
    const r = w2Of(ac, bc, couplingOf(ac, bc));
    perColumn[c] = r.value;
    for (let i = 0; i < A.rows; i++) gradA[i]![c] = scale * r.gradA[i]!;
    for (let j = 0; j < B.rows; j++) gradB[j]![c] = scale * r.gradB[j]!;
  }
  let value = 0;
  for (let c = 0; c < d; c++) value += perColumn[c]!;
  if (reduction === 'mean') value /= d;
  return { value, perColumn, gradA, gradB };
}
