import { DroError } from '@drojs/dro-core/host';
import { runAsync, runSync, type Steps } from '../drive.js';
import { type Columns, isConstantColumn, toColumns, toVector } from '../input.js';
import { checkOptions, opt } from '../options.js';
import type { Matrix, Progress, Vector } from '../types.js';
import { centredProducts, dcorFromSums, distanceMeans } from './dcor.js';
import { gridBound, kdeGrid, kernelRows, kernelRowsFromTable, kernelTable, miBinary, miFromKernels } from './miKde.js';
import { doubledRanks, halfRankScores, normalScoresOf } from './normalScores.js';
import { pearsonAbsRaw } from './pearson.js';

/** Options of {@link screen}. */
export interface ScreenOptions {
  /** 'mi-kde' (default), 'pearson' or 'dcor'. */
  method?: 'mi-kde' | 'pearson' | 'dcor';
  /** 'continuous' (default) or 'binary' (y takes exactly two values; class 1 = the larger). */
  outcome?: 'continuous' | 'binary';
  /** How many columns to keep (default min(p, ⌊n/ln n⌋), Fan & Lv's SIS size). */
  keep?: number;
  /** KDE grid size ≥ 8 (default 64 continuous, 256 binary). */
  grid?: number;
  /** Fixed KDE bandwidth (continuous MI only; default 1.06·n^(−1/5)). */
  bandwidth?: number;
  /** Bandwidth factor c (default 1.06). */
  bandwidthFactor?: number;
  /** A constant column: 'error' (E_RANK, default) or 'zero' (score 0). */
  onConstant?: 'error' | 'zero';
}

/** Ranked covariates. */
export interface ScreenResult {
  readonly method: string;
  readonly outcome: string;
  /** One score per column. */
  readonly scores: Float64Array;
  /** Columns by decreasing score (ties: lower index first). */
  readonly order: Int32Array;
  /** The first `keep` of `order`. */
  readonly keep: Int32Array;
}

export const SCREEN_SCHEMA = {
  method: opt.oneOf(['mi-kde', 'pearson', 'dcor']),
  outcome: opt.oneOf(['continuous', 'binary']),
  keep: opt.integer({ min: 1 }),
  grid: opt.integer({ min: 8 }),
  bandwidth: opt.number({ min: 0, minExclusive: true }),
  bandwidthFactor: opt.number({ min: 0, minExclusive: true }),
  onConstant: opt.oneOf(['error', 'zero']),
};

/** Validated outcome side of a screen, computed once per call. @internal */
export interface OutcomeSide {
  y: Float64Array;
  /** Binary: class (0/1) of every row. */
  cls?: Uint8Array;
}

/** Checks y for the outcome type: binary needs exactly two values with ≥ 2 rows each (E_SPEC); a constant continuous y is E_RANK. @internal */
export function checkOutcome(y: Float64Array, outcome: 'continuous' | 'binary', argument = 'y'): OutcomeSide {
  const values = [...new Set(y)].sort((a, b) => a - b);
  if (outcome === 'binary') {
    if (values.length !== 2) {
      throw new DroError('E_SPEC', `${argument} must take exactly two values for a binary outcome`, {
        argument,
        expected: 'two distinct values',
        received: `${values.length}`,
      });
    }
    const cls = Uint8Array.from(y, (v) => (v === values[1] ? 1 : 0));
    let ones = 0;
    for (const c of cls) ones += c;
    if (ones < 2 || y.length - ones < 2) {
      throw new DroError('E_SPEC', `each class of ${argument} needs at least 2 rows`, {
        argument,
        expected: '≥ 2 rows per class',
        received: `${y.length - ones} and ${ones}`,
      });
    }
    return { y: Float64Array.from(cls), cls };
  }
  if (values.length < 2) {
    throw new DroError('E_RANK', `${argument} is constant`, { argument, expected: 'a non-constant outcome' });
  }
  return { y };
}

/** Checks n ≥ 3 (E_SPEC). @internal */
export function checkRows(n: number, argument = 'X'): void {
  if (n < 3) {
    throw new DroError('E_SPEC', `screening needs at least 3 rows`, {
      argument,
      expected: '≥ 3 rows',
      received: String(n),
    });
  }
}

/** Descending order with ties broken by the lower index. @internal */
export function rankScores(scores: Float64Array): Int32Array {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  idx.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return Int32Array.from(idx);
}

function* screenSteps(X: Matrix, y: Vector, o: ScreenOptions): Steps<ScreenResult> {
  const c: Columns = toColumns(X, 'X');
  const { n, p } = c;
  const yy = toVector(y, 'y', n);
  checkRows(n);
  const method = o.method ?? 'mi-kde';
  const outcome = o.outcome ?? 'continuous';
  const keep = o.keep ?? Math.min(p, Math.floor(n / Math.log(n)));
  if (keep > p) {
    throw new DroError('E_SPEC', 'keep exceeds the number of columns', { argument: 'keep', received: String(keep) });
  }
  const side = checkOutcome(yy, outcome);
  const constant = new Uint8Array(p);
  for (let j = 0; j < p; j++) {
    if (!isConstantColumn(c, j)) continue;
    if ((o.onConstant ?? 'error') === 'error') {
      throw new DroError('E_RANK', `X column ${j} is constant`, {
        argument: 'X',
        expected: "non-constant columns (or onConstant: 'zero')",
        received: `column ${j} constant`,
      });
    }
    constant[j] = 1;
  }
  const factor = o.bandwidthFactor ?? 1.06;
  const G = o.grid ?? (outcome === 'binary' ? 256 : 64);
  const scores = new Float64Array(p);
  // the y side is computed once per call
  let scoreOf: (x: Float64Array) => number;
  if (method === 'pearson') scoreOf = (x) => pearsonAbsRaw(x, side.y);
  else if (method === 'dcor') {
    const my = distanceMeans(side.y);
    const bb = centredProducts(side.y, side.y, my, my).aa;
    scoreOf = (x) => {
      const mx = distanceMeans(x);
      const s = centredProducts(x, side.y, mx, my);
      return dcorFromSums(s.ab, s.aa, bb, n);
    };
  } else if (outcome === 'binary') {
    // normal scores are one of 2n + 2 values (average ranks are multiples of ½): one table per call
    const q = halfRankScores(n);
    scoreOf = (x) =>
      miBinary(
        Float64Array.from(doubledRanks(x), (k) => q[k]!),
        side.cls!,
        G,
        factor,
      );
  } else {
    const h = o.bandwidth ?? factor * n ** -0.2;
    const grid = kdeGrid(gridBound(n, h), G);
    const ky = kernelRows(normalScoresOf(side.y), grid, h);
    // every x-side kernel entry is one of G·(2n + 2) values (half-rank scores): computed once, gathered per column
    const table = kernelTable(halfRankScores(n), grid, h);
    scoreOf = (x) => miFromKernels(kernelRowsFromTable(doubledRanks(x), table, G, 2 * n + 2), ky, G, n);
  }
  const block = 50;
  for (let j = 0; j < p; j++) {
    scores[j] = constant[j] === 1 ? 0 : scoreOf(c.data.subarray(j * n, (j + 1) * n));
    if ((j + 1) % block === 0 && j + 1 < p) yield [j + 1, p];
  }
  const order = rankScores(scores);
  return { method, outcome, scores, order, keep: order.slice(0, keep) };
}

/**
 * Ranks the columns of X by a marginal dependence score with y and keeps the top ones (spec §8):
 * copula-KDE mutual information (default; continuous or binary y), |Pearson| or distance correlation.
 *
 * @example
 * ```ts
 * const { keep, scores } = screen(X, y, { method: 'mi-kde', keep: 50 });
 * ```
 * @throws DroError E_SPEC (fewer than 3 rows, bad options, binary y without two classes of ≥ 2 rows),
 * E_RANK (constant column or constant continuous y), E_SHAPE, E_NONFINITE, E_EMPTY.
 */
export function screen(X: Matrix, y: Vector, o?: ScreenOptions): ScreenResult {
  checkOptions(o, SCREEN_SCHEMA, 'screen');
  return runSync(screenSteps(X, y, o ?? {}));
}

/** {@link screen} yielding to the event loop every 50 columns, with progress and an AbortSignal (E_ABORTED). */
export async function screenAsync(X: Matrix, y: Vector, o?: ScreenOptions & Progress): Promise<ScreenResult> {
  const { onProgress, signal, ...rest } = o ?? {};
  checkOptions({ onProgress, signal }, { onProgress: opt.function(), signal: opt.signal() }, 'screenAsync');
  checkOptions(rest, SCREEN_SCHEMA, 'screenAsync');
  const steps = screenSteps(X, y, rest);
  return runAsync(steps, { ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) }, 'screenAsync');
}
