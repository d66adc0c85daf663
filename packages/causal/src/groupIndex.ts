import { DroError } from '@drojs/dro-core';

/**
 * Dense group ids 0..G−1 in order of first appearance for categorical labels (environments, clusters);
 * a non-finite numeric label is E_NONFINITE naming `argument[i]`.
 */
export function groupIndex(groups: ArrayLike<number | string>, argument: string): { gi: Int32Array; G: number } {
  const index = new Map<number | string, number>();
  const gi = new Int32Array(groups.length);
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (typeof g === 'number' && !Number.isFinite(g))
      throw new DroError('E_NONFINITE', `${argument}[${i}] is not finite`, { argument });
    let k = index.get(g);
    if (k === undefined) {
      k = index.size;
      index.set(g, k);
    }
    gi[i] = k;
  }
  return { gi, G: index.size };
}
