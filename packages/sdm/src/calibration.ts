import { sdmProbsHost } from './activation.js';
import { buildDistanceCdfs, distanceQuantile } from './distance.js';
import { conformalDistanceThreshold } from './oodThreshold.js';
import { findHighReliabilityRegion, type HighReliabilityRegion, rescaledSimilarity } from './region.js';

/** Everything the estimator keeps about its calibration set (spec §7 `calibration`). */
export interface CalibrationData {
  labels: Int32Array;
  /** ŷ = argmax z′ of each calibration point. */
  predicted: Int32Array;
  q: Float64Array;
  d0: Float64Array;
  d: Float64Array;
  sdmProbs: Float64Array[];
  qPrime: Float64Array;
  distanceCdfs: Float64Array[];
  qPrimeSortedPerClass: Float64Array[];
  isOod: Uint8Array;
  /**
   * The conformal (1 − δ) quantile of `d0` (δ = the estimator's `oodRate`): inputs with a larger d₀ are
   * `isOod`. Derived from `d0`, never stored in the state; +∞ when the calibration set is too small for δ.
   */
  oodDistanceThreshold: number;
  ids?: string[];
}

/**
 * Calibration from the calibration points' q, d₀, logits and labels (spec §4.5, §4.10, §4.11): the class
 * distance eCDFs, d, the SDM outputs, q′, Algorithm 1's region and the OOD distance threshold at `oodRate`.
 */
export function calibrateFromStatistics(args: {
  q: Float64Array;
  d0: Float64Array;
  logits: ArrayLike<number>;
  predictions: Int32Array;
  labels: Int32Array;
  numClasses: number;
  alpha: number;
  oodRate: number;
}): { calibration: CalibrationData; region: HighReliabilityRegion } {
  const { q, d0, logits, predictions, labels, numClasses, alpha, oodRate } = args;
  const n = labels.length;
  const distanceCdfs = buildDistanceCdfs(d0, q, labels, numClasses);
  const d = new Float64Array(n);
  const qPrime = new Float64Array(n);
  const sdmProbs: Float64Array[] = [];
  const row = new Float64Array(numClasses);
  for (let i = 0; i < n; i++) {
    d[i] = distanceQuantile(d0[i]!, distanceCdfs).d;
    for (let c = 0; c < numClasses; c++) row[c] = logits[i * numClasses + c] as number;
    const p = sdmProbsHost(row, q[i]!, d[i]!);
    sdmProbs.push(p);
    qPrime[i] = rescaledSimilarity(q[i]!, p[predictions[i]!]!);
  }
  const { region, calibrationIsOod, qPrimeSortedPerClass } = findHighReliabilityRegion({
    sdmProbs,
    qPrime,
    labels,
    alpha,
    numClasses,
  });
  return {
    calibration: {
      labels,
      predicted: predictions,
      q,
      d0,
      d,
      sdmProbs,
      qPrime,
      distanceCdfs,
      qPrimeSortedPerClass,
      isOod: calibrationIsOod,
      oodDistanceThreshold: conformalDistanceThreshold(d0, oodRate),
    },
    region,
  };
}
