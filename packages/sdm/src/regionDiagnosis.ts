import { checkNumber } from '@drojs/dro-core';
import { findHighReliabilityRegion, type RegionArgs, scanRegionCandidates } from './region.js';

/** Why Algorithm 1 did or did not find a high-reliability region, and how far it was. */
export interface RegionDiagnosis {
  alpha: number;
  /** Whether Algorithm 1 finds a region at `alpha` (same as `findHighReliabilityRegion`). */
  found: boolean;
  /**
   * The candidate threshold t at which the smallest ψ_c over classes is largest (the smaller t on
   * ties); +Infinity when every calibration point is OOD by similarity.
   */
  bestQPrime: number;
  /** ψ_c at `bestQPrime` (0 for a class without points at or above it). */
  psi: Float64Array;
  /** Number of non-OOD calibration points of each true class with q′ ≥ `bestQPrime`. */
  counts: Int32Array;
  /** The class with the smallest ψ at `bestQPrime` (lowest index on ties); −1 without candidates. */
  bindingClass: number;
  /** min_c ψ_c at `bestQPrime`: the region exists at `alpha` when this is ≥ `alpha`. */
  minPsi: number;
  /**
   * The largest α′ ∈ (0.5, 1] at which Algorithm 1 finds a region, from below to within `tolerance`
   * (a region exists at this value and none at `largestAlpha + tolerance`); null when there is none
   * even at 0.5 + `tolerance`. Pass it to `SdmEstimator.recalibrate` to use it.
   */
  largestAlpha: number | null;
}

/**
 * Explain Algorithm 1's outcome on a calibration set (spec §12: one weak class makes the estimator reject
 * everything). Scans every candidate threshold for the one that maximises the worst class's ψ, names
 * that class, and finds by bisection the largest α′ with a region. Region existence is monotone in α′:
 * for a fixed threshold, ψ_c(α′) can only fall as α′ rises (the quantile index ⌊(1−α′)n⌋ does not grow)
 * while the requirement ψ_c ≥ α′ rises, so bisection is exact up to `tolerance`.
 *
 * Inputs are those of {@link findHighReliabilityRegion}; for a fitted estimator pass
 * `{ ...est.calibrationDetails(), alpha, numClasses }`.
 */
export function diagnoseRegion(args: RegionArgs & { tolerance?: number }): RegionDiagnosis {
  const { alpha, numClasses } = args;
  const tolerance = args.tolerance ?? 1e-4;
  checkNumber(tolerance, 'tolerance', { min: 0, max: 0.25, minExclusive: true });
  checkNumber(numClasses, 'numClasses', { min: 1, integer: true });
  const psiBest = new Float64Array(numClasses);
  const countsBest = new Int32Array(numClasses);
  let bestQPrime = Number.POSITIVE_INFINITY;
  let minPsi = Number.NEGATIVE_INFINITY;
  scanRegionCandidates(args, (t, psi, counts) => {
    const worst = Math.min(...psi);
    if (worst > minPsi) {
      minPsi = worst;
      bestQPrime = t;
      psiBest.set(psi);
      countsBest.set(counts);
    }
    return false;
  });
  const hasCandidate = Number.isFinite(bestQPrime);
  const bindingClass = hasCandidate ? psiBest.indexOf(minPsi) : -1;
  const found = (a: number) => findHighReliabilityRegion({ ...args, alpha: a }).region.found;
  let largestAlpha: number | null = null;
  if (found(1)) largestAlpha = 1;
  else if (found(0.5 + tolerance)) {
    let lo = 0.5 + tolerance; // a region exists here
    let hi = 1; // and none here
    while (hi - lo > tolerance) {
      const mid = (lo + hi) / 2;
      if (found(mid)) lo = mid;
      else hi = mid;
    }
    largestAlpha = lo;
  }
  return {
    alpha,
    // A region exists at α′ iff some candidate has every ψ_c ≥ α′, i.e. iff the best worst-class ψ does.
    found: hasCandidate && minPsi >= alpha,
    bestQPrime,
    psi: psiBest,
    counts: countsBest,
    bindingClass,
    minPsi: hasCandidate ? minPsi : 0,
    largestAlpha,
  };
}
