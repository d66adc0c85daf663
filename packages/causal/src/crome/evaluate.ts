import { DroError, describeValue } from '@drojs/dro-core/host';
import { checkFiniteVector } from './pairs.js';

/**
 * Pair accuracy `(#{Δ > 0} + ½·#{Δ = 0}) / n` of reward differences `Δ_i = r(chosen_i) − r(rejected_i)`
 * (−0 is a tie). Empty → E_EMPTY; NaN/±Inf → E_NONFINITE.
 */
export function pairAccuracy(delta: ArrayLike<number>): number {
  const d = checkFiniteVector(delta, null, 'delta', 'pairAccuracy');
  if (d.length === 0) throw new DroError('E_EMPTY', 'pairAccuracy: delta is empty', { argument: 'delta' });
  let wins = 0;
  for (const v of d) wins += v > 0 ? 1 : v === 0 ? 0.5 : 0;
  return wins / d.length;
}

/** Best-of-N at one N: the chosen candidate of each trial and the mean true quality of those choices. */
export interface BestOfNPoint {
  chosen: Int32Array;
  meanQuality: number;
}

/** A T×N finite matrix (E_SHAPE naming the row / E_NONFINITE naming the entry). */
function checkMatrix(m: unknown, argument: string, cols: number | null): number[][] {
  if (!Array.isArray(m) || m.length === 0)
    throw new DroError('E_SHAPE', `bestOfN: ${argument} must be a non-empty array of rows`, {
      argument,
      received: describeValue(m),
    });
  const width = cols ?? (Array.isArray(m[0]) ? (m[0] as unknown[]).length : -1);
  m.forEach((row, t) => {
    if (!Array.isArray(row) || row.length !== width || width < 1)
      throw new DroError('E_SHAPE', `bestOfN: ${argument}[${t}] must be a row of ${width} numbers`, {
        argument: `${argument}[${t}]`,
        expected: `${width} entries`,
        received: describeValue(row),
      });
    checkFiniteVector(row as number[], width, `${argument}[${t}]`, 'bestOfN');
  });
  return m as number[][];
}

/**
 * Index of the first maximum of `row[0..n)`: the lowest index wins ties, so constant or quantised reward
 * models pick deterministically (spec §4 item 5).
 */
export function firstArgmax(row: ArrayLike<number>, n = row.length): number {
  let best = 0;
  for (let j = 1; j < n; j++) if ((row[j] as number) > (row[best] as number)) best = j;
  return best;
}

/**
 * Best-of-N evaluation (spec §3.6) over T trials of `N_max` candidates: `scores[t][j]` from a reward model,
 * `quality[t][j]` the true quality. For each N in `ns`, trial t picks the first maximum of its first N scores
 * (nested prefixes, so the oracle's curve is non-decreasing) and `meanQuality(N)` is the mean true quality of
 * the picks. Shapes must agree (E_SHAPE), values be finite (E_NONFINITE), N an integer in [1, N_max] (E_SPEC).
 */
export function bestOfN(scores: number[][], quality: number[][], ns: number[]): Record<number, BestOfNPoint> {
  const S = checkMatrix(scores, 'scores', null);
  const nMax = (S[0] as number[]).length;
  if (!Array.isArray(quality) || quality.length !== S.length)
    throw new DroError('E_SHAPE', `bestOfN: quality must have ${S.length} rows like scores`, {
      argument: 'quality',
      expected: `${S.length} rows`,
      received: describeValue(quality),
    });
  const Q = checkMatrix(quality, 'quality', nMax);
  if (!Array.isArray(ns))
    throw new DroError('E_SPEC', 'bestOfN: ns must be an array of integers', {
      argument: 'ns',
      received: describeValue(ns),
    });
  ns.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1 || n > nMax)
      throw new DroError('E_SPEC', `bestOfN: ns[${i}] must be an integer in [1, ${nMax}]`, {
        argument: `ns[${i}]`,
        expected: `an integer in [1, ${nMax}]`,
        received: describeValue(n),
      });
  });
  const out: Record<number, BestOfNPoint> = {};
  for (const n of ns) {
    const chosen = new Int32Array(S.length);
    let sum = 0;
    S.forEach((row, t) => {
      const j = firstArgmax(row, n);
      chosen[t] = j;
      sum += (Q[t] as number[])[j] as number;
    });
    out[n] = { chosen, meanQuality: sum / S.length };
  }
  return out;
}
