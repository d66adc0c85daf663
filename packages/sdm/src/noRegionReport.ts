// What fit reports when Algorithm 1 finds no high-reliability region at α′: the binding class, how far it
// is, the largest α′ with a region and what calibration data would change (spec §12, issue 13).
import { lowerRuleDataNeed } from './lowerRuleNeed.js';
import { findHighReliabilityRegion, type RegionArgs, scanRegionCandidates } from './region.js';
import { diagnoseRegion, type RegionDiagnosis } from './regionDiagnosis.js';

/** Why no region exists at `alpha`, from the calibration set ({@link explainNoRegion}). */
export interface NoRegionReport {
  alpha: number;
  /** The class with the smallest ψ at the most favourable threshold (−1 when every point is OOD). */
  bindingClass: number;
  /** Its ψ there (the region needs ψ ≥ α′ for every class at one threshold). */
  bindingPsi: number;
  /** That threshold t: the calibration q′ at which the worst class's ψ is largest. */
  bestQPrime: number;
  /** Calibration points of the binding class with q′ ≥ t. */
  bindingCount: number;
  /**
   * Share of those points whose SDM output for their true class is below α′. Algorithm 1 needs it
   * ≤ 1 − α′ (ψ is the ⌊(1−α′)n⌋-th smallest output), so this rate, not the count, decides.
   */
  bindingErrorRate: number;
  /**
   * Whether the excess of `bindingErrorRate` over 1 − α′ is within two binomial standard errors at
   * `bindingCount` points: then a larger calibration set may find a region; otherwise more data of the
   * same kind is not expected to help (lower α′ or improve the model on the binding class).
   */
  withinSamplingNoise: boolean;
  /** The largest α′ with a region (pass it to `recalibrate`), or null when none exists above 0.5. */
  largestAlpha: number | null;
  /** Calibration points of each true class now (OOD ones included). */
  perClassNow: number[];
  /**
   * Calibration points per class at which the lower (DKW) rule's margin clears d for the median
   * calibration point at q′ ≥ t ({@link lowerRuleDataNeed}); below it such points are
   * 'insufficient-evidence'. Null when it cannot be estimated.
   */
  perClassForLowerRule: number | null;
  /** One line for a log: all of the above in words. */
  message: string;
}

/**
 * Explain a missing region (null when Algorithm 1 finds one at `alpha`). Inputs are the calibration
 * details of a fitted estimator: `{ ...est.calibrationDetails(), alpha, numClasses }`. Builds on
 * {@link diagnoseRegion}; measured data needs are in the package README.
 */
export function explainNoRegion(args: RegionArgs & { d: ArrayLike<number> }): NoRegionReport | null {
  const diagnosis: RegionDiagnosis = diagnoseRegion(args);
  if (diagnosis.found) return null;
  const { alpha, numClasses, labels, qPrime } = args;
  const perClassNow = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (y >= 0 && y < numClasses) perClassNow[y] = (perClassNow[y] as number) + 1;
  }
  const b = diagnosis.bindingClass;
  const t = diagnosis.bestQPrime;
  let count = 0;
  let below = 0;
  if (b >= 0) {
    scanRegionCandidates(args, (cand, _psi, counts, under) => {
      if (cand !== t) return false;
      count = counts[b] as number;
      below = under[b] as number;
      return true;
    });
  }
  const slack = 1 - alpha;
  const rate = count > 0 ? below / count : 1;
  const withinNoise = count > 0 && rate - slack <= 2 * Math.sqrt((slack * (1 - slack)) / count);
  const forLower = lowerRuleDataNeed({
    d: args.d,
    qPrime,
    labels,
    qPrimeSortedPerClass: findHighReliabilityRegion(args).qPrimeSortedPerClass,
    alpha,
    include: (i) => (qPrime[i] as number) >= t,
  });
  const lo = Math.min(...perClassNow);
  const hi = Math.max(...perClassNow);
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const parts = [
    `no high-reliability region at α′ = ${alpha}`,
    b < 0
      ? 'every calibration point is OOD by similarity (q = 0)'
      : `class ${b} binds: ψ = ${diagnosis.minPsi.toFixed(3)} at q′ ≥ ${t.toFixed(1)}, where ${pct(rate)} of its ${count} points have an SDM output below α′ (at most ${pct(slack)} allowed)`,
    diagnosis.largestAlpha === null
      ? 'no α′ above 0.5 has a region'
      : `largest α′ with a region: ${diagnosis.largestAlpha.toFixed(4)} (recalibrate(${diagnosis.largestAlpha.toFixed(4)}))`,
    `calibration points per class: ${lo === hi ? lo : `${lo}–${hi}`}`,
    b < 0
      ? 'more data of the same kind is not expected to help'
      : withinNoise
        ? 'the excess is within sampling noise: a larger calibration set may find a region'
        : `more calibration data of the same kind is not expected to help at this α′ (lower α′ or improve class ${b})`,
  ];
  if (forLower !== null) {
    parts.push(
      `the lower rule needs ≈ ${forLower} per class for a typical point at q′ ≥ ${t.toFixed(1)} to clear its margin`,
    );
  }
  return {
    alpha,
    bindingClass: b,
    bindingPsi: b >= 0 ? diagnosis.minPsi : 0,
    bestQPrime: t,
    bindingCount: count,
    bindingErrorRate: rate,
    withinSamplingNoise: withinNoise,
    largestAlpha: diagnosis.largestAlpha,
    perClassNow,
    perClassForLowerRule: forLower,
    message: `SdmEstimator: ${parts.join('; ')}.`,
  };
}
