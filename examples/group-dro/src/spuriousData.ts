import type { Rng } from '@drojs/dro-core';

/**
 * The group-shifted task built from Fashion-MNIST (a Waterbirds/CelebA-style construction at CPU scale):
 *
 * - label `y = 1` for upper-body garments (T-shirt/top, Pullover, Coat, Shirt), `y = 0` for the rest;
 * - a spurious attribute `a ∈ {0, 1}`: a bright square patch stamped in the top-left corner when `a = 1`;
 * - `P(a = y) = agreement` — 0.95 in training (the patch is a shortcut for the label), 0.5 in validation
 *   and test (the shortcut is useless);
 * - groups `g = 2·y + a`: 0 = (not upper, no patch), 1 = (not upper, patch), 2 = (upper, no patch),
 *   3 = (upper, patch). Groups 1 and 2 are the training minorities.
 */
export const UPPER_BODY_CLASSES: readonly number[] = [0, 2, 4, 6];
export const GROUP_NAMES = ['other/no-patch', 'other/patch', 'upper/no-patch', 'upper/patch'] as const;
export const N_GROUPS = 4;
export const PIXELS = 784;

export interface GroupedSplit {
  /** n · 784 pixels in [0, 1], patch applied. */
  x: Float32Array;
  /** Binary task label. */
  y: Int32Array;
  /** Spurious attribute (1 = patch). */
  a: Int32Array;
  /** Group id 2·y + a. */
  g: Int32Array;
  n: number;
}

export interface PatchOptions {
  /** Side of the square patch in pixels (default 4). */
  size?: number;
  /** Pixel value written into the patch (default 1). */
  value?: number;
}

/** Stamps the patch into one 28 × 28 image (row-major) in place. */
function stamp(x: Float32Array, offset: number, size: number, value: number): void {
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) x[offset + r * 28 + c] = value;
}

/**
 * Builds a grouped split from Fashion-MNIST images and 10-class labels. Each row draws its attribute
 * from `rng`: `a = y` with probability `agreement`, else `1 − y`.
 */
export function makeGroupedSplit(
  images: Float32Array,
  labels: Int32Array,
  rows: ArrayLike<number>,
  agreement: number,
  rng: Rng,
  patch: PatchOptions = {},
): GroupedSplit {
  const size = patch.size ?? 4;
  const value = patch.value ?? 1;
  const n = rows.length;
  const x = new Float32Array(n * PIXELS);
  const y = new Int32Array(n);
  const a = new Int32Array(n);
  const g = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const i = rows[j] as number;
    x.set(images.subarray(i * PIXELS, (i + 1) * PIXELS), j * PIXELS);
    const yj = UPPER_BODY_CLASSES.includes(labels[i] as number) ? 1 : 0;
    const aj = rng.uniform() < agreement ? yj : 1 - yj;
    if (aj === 1) stamp(x, j * PIXELS, size, value);
    y[j] = yj;
    a[j] = aj;
    g[j] = 2 * yj + aj;
  }
  return { x, y, a, g, n };
}

/** Number of rows per group. */
export function groupCounts(g: Int32Array, nGroups = N_GROUPS): number[] {
  const counts = new Array<number>(nGroups).fill(0);
  for (const v of g) counts[v]!++;
  return counts;
}
