import { checkNumber, DroError } from '@drojs/dro-core';

/**
 * Class-wise distance eCDF arrays (spec §4.5): for each TRUE class, the ascending d₀ (clamped at 0) of
 * the points with that label and q > 0. Points with q = 0 are treated as OOD and left out.
 */
export function buildDistanceCdfs(
  d0: ArrayLike<number>,
  q: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
): Float64Array[] {
  checkNumber(numClasses, 'numClasses', { min: 1, integer: true });
  if (d0.length !== q.length || d0.length !== labels.length) {
    throw new DroError('E_SHAPE', 'd0, q and labels must have the same length', {
      argument: 'd0',
      expected: `${labels.length}`,
      received: `${d0.length} and ${q.length}`,
    });
  }
  const lists: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < d0.length; i++) {
    const y = labels[i] as number;
    if ((q[i] as number) > 0 && y >= 0 && y < numClasses) {
      const v = d0[i] as number;
      lists[y]!.push(Math.max(v, 0));
    }
  }
  return lists.map((l) => Float64Array.from(l).sort());
}

/** Number of entries of an ascending array strictly below t (left insertion point). */
export function countBelow(sorted: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Distance quantile d = min_c Q_c(d₀) with Q_c = 1 − #{v ∈ S_c : v < d₀}/n_c and Q_c = 0 for an empty
 * class (spec §4.5). The minimum runs over all classes, whatever the prediction.
 */
export function distanceQuantile(
  d0: number,
  cdfs: readonly ArrayLike<number>[],
): { d: number; perClass: Float64Array } {
  const perClass = new Float64Array(cdfs.length);
  let d = Number.POSITIVE_INFINITY;
  for (let c = 0; c < cdfs.length; c++) {
    const s = cdfs[c]!;
    const v = s.length === 0 ? 0 : 1 - countBelow(s, d0) / s.length;
    perClass[c] = v;
    if (v < d) d = v;
  }
  return { d: cdfs.length === 0 ? 0 : d, perClass };
}
