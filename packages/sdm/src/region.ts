import { checkNumber, DroError } from '@drojs/dro-core';
import { OOD_LIMIT, Q_RESCALE_OFFSET } from './constants.js';

/** Rescaled similarity q′ = min(q, (2+q)^p) with p the SDM probability of ŷ (spec §4.10); 0 iff q = 0. */
export function rescaledSimilarity(q: number, sdmProbForPrediction: number): number {
  return Math.min(q, (Q_RESCALE_OFFSET + q) ** sdmProbForPrediction);
}

/** The high-reliability region of Algorithm 1. */
export interface HighReliabilityRegion {
  alpha: number;
  found: boolean;
  /** +Infinity when no region was found. */
  qPrimeMin: number;
  /** ψ_c (zeros when not found). */
  thresholds: Float64Array;
  /** α′ when found, else 0. */
  classConditionalAccuracy: number;
}

/** Ascending copy of the q′ of all points of each true class (OOD points included; spec §4.13). */
function sortedPerClass(qPrime: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): Float64Array[] {
  const lists: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (y >= 0 && y < numClasses) lists[y]!.push(qPrime[i] as number);
  }
  return lists.map((l) => Float64Array.from(l).sort());
}

/** Left insertion point of v in an ascending JS array. */
function lowerBound(a: number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Arguments of Algorithm 1: the calibration SDM outputs, q′ and true labels, and α′. */
export interface RegionArgs {
  sdmProbs: ArrayLike<number>[];
  qPrime: ArrayLike<number>;
  labels: ArrayLike<number>;
  alpha: number;
  numClasses: number;
}

/**
 * Validate Algorithm 1's arguments and visit every candidate threshold t (the distinct q′ of non-OOD
 * calibration points) in ascending order with ψ_c(t), the per-class counts of points with q′ ≥ t and, of
 * those, the counts whose true-class SDM output is below α′ (ψ_c(t) ≥ α′ iff below_c ≤ ⌊(1−α′)·counts_c⌋).
 * `visit` returns true to stop. Points below the candidate are removed from per-class sorted arrays as
 * the scan advances, so a full scan costs O(N²) at worst rather than O(N² log N). The arrays passed to
 * `visit` are reused between calls.
 * @internal
 */
export function scanRegionCandidates(
  args: RegionArgs,
  visit: (t: number, psi: Float64Array, counts: Int32Array, below: Int32Array) => boolean,
): { calibrationIsOod: Uint8Array } {
  const { sdmProbs, qPrime, labels, alpha, numClasses } = args;
  checkNumber(alpha, 'alpha', { min: 0.5, max: 1, minExclusive: true });
  checkNumber(numClasses, 'numClasses', { min: 1, integer: true });
  const n = labels.length;
  if (sdmProbs.length !== n || qPrime.length !== n) {
    throw new DroError('E_SHAPE', 'sdmProbs, qPrime and labels must have the same length', {
      argument: 'sdmProbs',
      expected: `${n}`,
      received: `${sdmProbs.length} and ${qPrime.length}`,
    });
  }
  const isOod = new Uint8Array(n);
  const members: number[] = [];
  for (let i = 0; i < n; i++) {
    if (Math.floor(qPrime[i] as number) <= OOD_LIMIT) isOod[i] = 1;
    else {
      const y = labels[i] as number;
      if (y >= 0 && y < numClasses) members.push(i);
    }
  }
  members.sort((a, b) => (qPrime[a] as number) - (qPrime[b] as number));
  // Per-class ascending SDM outputs for the true class of the points still at or above the candidate.
  const values: number[][] = Array.from({ length: numClasses }, () => []);
  for (const i of members) {
    const y = labels[i] as number;
    values[y]!.push((sdmProbs[i] as ArrayLike<number>)[y] as number);
  }
  for (const v of values) v.sort((a, b) => a - b);
  const psi = new Float64Array(numClasses);
  const counts = new Int32Array(numClasses);
  const below = new Int32Array(numClasses);
  let next = 0;
  while (next < members.length) {
    const t = qPrime[members[next]!] as number;
    for (let c = 0; c < numClasses; c++) {
      const v = values[c]!;
      const m = v.length;
      counts[c] = m;
      psi[c] = m === 0 ? 0 : Math.max(0, v[Math.min(Math.floor((1 - alpha) * m), m - 1)]!);
      below[c] = lowerBound(v, alpha);
    }
    if (visit(t, psi, counts, below)) break;
    // Drop every point with q′ = t before moving to the next distinct candidate.
    while (next < members.length && (qPrime[members[next]!] as number) === t) {
      const i = members[next]!;
      const y = labels[i] as number;
      const v = values[y]!;
      v.splice(lowerBound(v, (sdmProbs[i] as ArrayLike<number>)[y] as number), 1);
      next++;
    }
  }
  return { calibrationIsOod: isOod };
}

/**
 * Algorithm 1 (spec §4.11): the smallest candidate q′ (distinct q′ of non-OOD calibration points) at
 * which, for every true class c, the ⌊(1−α′)·n⌋-th smallest SDM output for c among the class-c points
 * with q′ ≥ t reaches α′. When none qualifies, `found` is false and SDM admits nothing; see
 * {@link diagnoseRegion} for why and at which α′ a region would exist.
 */
export function findHighReliabilityRegion(args: RegionArgs): {
  region: HighReliabilityRegion;
  calibrationIsOod: Uint8Array;
  qPrimeSortedPerClass: Float64Array[];
} {
  const { qPrime, labels, alpha, numClasses } = args;
  const thresholds = new Float64Array(numClasses);
  let found = false;
  let qPrimeMin = Number.POSITIVE_INFINITY;
  const { calibrationIsOod } = scanRegionCandidates(args, (t, psi) => {
    if (!psi.every((p) => p >= alpha)) return false;
    found = true;
    qPrimeMin = t;
    thresholds.set(psi);
    return true;
  });
  return {
    region: { alpha, found, qPrimeMin, thresholds, classConditionalAccuracy: found ? alpha : 0 },
    calibrationIsOod,
    qPrimeSortedPerClass: sortedPerClass(qPrime, labels, numClasses),
  };
}

/**
 * Admission rule SDM_HR (spec §4.12): a region exists, ⌊q′⌋ > 0, q′ ≥ q′_min, and {c : p_c ≥ ψ_c} = {ŷ}.
 */
export function highReliabilityIndicator(
  qPrime: number,
  sdmProbs: ArrayLike<number>,
  prediction: number,
  region: HighReliabilityRegion,
): { floorQPrime: number; isHighReliability: boolean; isOod: boolean } {
  const floorQPrime = Math.floor(qPrime);
  const isOod = floorQPrime <= OOD_LIMIT;
  let admitted = region.classConditionalAccuracy > 0 && !isOod && qPrime >= region.qPrimeMin;
  if (admitted) {
    for (let c = 0; c < sdmProbs.length; c++) {
      const passes = (sdmProbs[c] as number) >= (region.thresholds[c] as number);
      if (passes !== (c === prediction)) {
        admitted = false;
        break;
      }
    }
  }
  return { floorQPrime, isHighReliability: admitted, isOod };
}
