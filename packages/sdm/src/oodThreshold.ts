// The calibrated out-of-distribution test behind `isOod` / reliability 'ood' (package extension, not in
// the papers or upstream): a split-conformal threshold on the nearest-support distance d₀.
import { DroError } from '@drojs/dro-core';

/** Default false-alarm rate δ of the distance OOD test (`opts.oodRate`). */
export const DEFAULT_OOD_RATE = 0.01;

/**
 * The conformal (1 − δ) quantile of the calibration points' nearest-support distances d₀, pooled over
 * classes (every calibration point counts, whatever its q): the k-th smallest with k = ⌈(n + 1)(1 − δ)⌉,
 * or +∞ when k > n (too few points to flag anything at this δ).
 *
 * An input is OOD when its d₀ is **strictly greater**. If the calibration points and a new input are
 * exchangeable (drawn from the same distribution, the support set fixed), the new input is flagged with
 * probability at most 1 − k/(n + 1) ≤ δ; ties only lower it. `(n + 1)(1 − δ)` is evaluated literally in
 * float64 (a rounding up can only raise k, i.e. make the test more conservative).
 */
export function conformalDistanceThreshold(d0: ArrayLike<number>, rate: number): number {
  if (!(rate > 0 && rate < 0.5)) {
    throw new DroError('E_SPEC', 'oodRate must be in (0, 0.5)', { argument: 'oodRate', received: String(rate) });
  }
  const n = d0.length;
  const k = Math.ceil((n + 1) * (1 - rate));
  if (k > n) return Number.POSITIVE_INFINITY;
  const sorted = Float64Array.from(d0).sort();
  return sorted[k - 1] as number;
}
