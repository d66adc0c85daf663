// Calibration data per class that the lower (DKW) rule needs: extrapolated from the effective sample sizes
// of the calibration points themselves, for the messages of fit (issue 13) and the README's data needs.
import { OOD_LIMIT } from './constants.js';
import { effectiveSampleSizes, samplesForMargin } from './dkw.js';

/** Calibration arrays {@link lowerRuleDataNeed} reads (as in `est.calibrationDetails()`). */
export interface LowerRuleNeedArgs {
  d: ArrayLike<number>;
  qPrime: ArrayLike<number>;
  labels: ArrayLike<number>;
  qPrimeSortedPerClass: readonly ArrayLike<number>[];
  alpha: number;
  /** Which calibration points count as candidates (default: every non-OOD point). */
  include?: (i: number) => boolean;
}

/**
 * Estimated calibration points per class at which the median candidate gets d_lower > 0 under the lower
 * rule. For a point, ε = max_c sqrt(ln(2/(1−α′)) / 2n_c) where n_c counts the class-c calibration q′
 * below its own q′ (spec §4.13), so ε falls below its d once every n_c reaches
 * {@link samplesForMargin}(d); with the q′ distribution unchanged every n_c grows in proportion to the
 * calibration size, so the point needs the calibration set scaled by samplesForMargin(d) / min_c n_c.
 * The result is the median of that factor over the candidates times today's mean per-class size
 * (rounded up); null when there are no candidates with d > 0 or the median candidate has a class
 * with n_c = 0 (then no scaling helps: its q′ is at the bottom of that class).
 */
export function lowerRuleDataNeed(args: LowerRuleNeedArgs): number | null {
  const { d, qPrime, labels, qPrimeSortedPerClass, alpha, include } = args;
  const numClasses = qPrimeSortedPerClass.length;
  const factors: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const q = qPrime[i] as number;
    const di = d[i] as number;
    if (Math.floor(q) <= OOD_LIMIT || di <= 0 || (include && !include(i))) continue;
    const need = samplesForMargin(di, alpha);
    if (need === null) continue;
    const n = Math.min(...effectiveSampleSizes(q, qPrimeSortedPerClass, alpha).n);
    factors.push(n > 0 ? need / n : Number.POSITIVE_INFINITY);
  }
  if (factors.length === 0) return null;
  factors.sort((a, b) => a - b);
  const m = factors[factors.length >> 1] as number;
  if (!Number.isFinite(m)) return null;
  let total = 0;
  for (const r of qPrimeSortedPerClass) total += r.length;
  return Math.ceil((m * total) / numClasses);
}
