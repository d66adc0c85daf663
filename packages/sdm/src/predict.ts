// SdmEstimator.predict and addToSupport's query side: validating queries, mapping them to exemplars h′ and
// logits z′, and every per-input quantity of spec §6.3 under the stored calibration.
import { DroError } from '@drojs/dro-core';
import { sdmProbsHost } from './activation.js';
import { applyNormalization, forwardHost } from './adaptor.js';
import { distanceQuantile } from './distance.js';
import { distanceBounds, effectiveSampleSizes } from './dkw.js';
import type { Core, CoreTensors } from './estimatorCore.js';
import { checkLogits, checkWidth } from './fitData.js';
import { concatColumns, type HostMatrix, toF32Matrix } from './hostMatrix.js';
import type { DecisionRule } from './options.js';
import { highReliabilityIndicator, rescaledSimilarity } from './region.js';
import { reliabilityOf, type SdmReliability } from './reliability.js';

export type { SdmReliability } from './reliability.js';

/** Per-input output of {@link SdmEstimator.predict} (spec §6.3). */
export interface SdmPrediction {
  /**
   * The label SDM judges: ŷ = argmax z′, reported whether admitted or not. In frozen mode
   * (`adaptor: 'frozen'`, {@link SdmEstimator.fitFrozen}) z′ are the model's own logits, so this is **the
   * model's argmax**; with a trained adaptor ('linear'/'identity') it is the **adaptor's** argmax, which
   * can differ from the model's prediction.
   */
  label: number;
  logits: Float64Array;
  q: number;
  /** d₀: squared L2 to the nearest support exemplar (float64 recomputation). */
  dNearest: number;
  d: number;
  sdmProbs: Float64Array;
  qPrime: number;
  floorQPrime: number;
  /** SDM_HR (point rule). */
  isHighReliability: boolean;
  effectiveSampleSizes: Float64Array;
  sampleSizeErrors: Float64Array;
  dLower: number;
  dUpper: number;
  sdmProbsLower: Float64Array;
  sdmProbsUpper: Float64Array;
  qPrimeLower: number;
  floorQPrimeLower: number;
  /** SDM_HR^lower. */
  isHighReliabilityLower: boolean;
  /**
   * ⌊q′⌋ ≤ 0, i.e. q = 0 (upstream's and the vectors' `is_ood`): no correctly predicted support neighbour
   * of the predicted class backs the prediction. Reported as reliability `'no-support'`, not `'ood'`.
   */
  isOodBySimilarity: boolean;
  /**
   * The point distance quantile d is 0: farther from its nearest support exemplar than every calibration
   * distance of some class (spec §4.14). Reported as `'insufficient-evidence'`, not `'ood'`: d comes from the
   * minimum over thin class-wise distance CDFs and reaches 0 on clean in-distribution inputs too.
   */
  isOodByDistance: boolean;
  /**
   * Calibrated OOD test (package extension): the nearest-support distance d₀ ({@link dNearest}) exceeds the
   * conformal (1 − δ) quantile of the calibration points' d₀ (δ = `opts.oodRate`, default 0.01). On inputs
   * exchangeable with the calibration data at most a share δ is flagged. Upstream's q = 0 is
   * {@link isOodBySimilarity}.
   */
  isOod: boolean;
  /**
   * Not `isOod`, but the decision rule's distance quantile is 0 (lower rule: d_lower = d − ε = 0, which
   * includes point d = 0; point rule: d = 0): the calibration evidence at this q′ is too thin to separate
   * the input from chance — more calibration data per class would be needed to admit it.
   */
  isInsufficientEvidence: boolean;
  /** Admitted under the decision rule. */
  valid: boolean;
  /** The status; see {@link SdmReliability}. */
  reliability: SdmReliability;
  nearestSupportIndex: number;
  nearestSupportId?: string;
}

/** Validates predict/addToSupport inputs (`what` names the call) and copies them to the host. */
export function parseQueries(
  c: Core,
  embeddings: unknown,
  logits: unknown,
  what: string,
): { x: HostMatrix; z?: HostMatrix } {
  const x = toF32Matrix(embeddings, `${what}.embeddings`, `SdmEstimator.${what}`);
  checkWidth(x, c.inputDim, `${what}.embeddings`);
  const needLogits = c.kind === 'frozen' || c.appendLogits;
  if (needLogits && logits === undefined) {
    throw new DroError('E_SPEC', `${what} needs logits: the estimator was fitted with them`, {
      argument: `${what}.logits`,
      received: 'undefined',
    });
  }
  if (!needLogits && logits !== undefined) {
    throw new DroError('E_SPEC', `${what} got logits but the estimator was fitted without them`, {
      argument: `${what}.logits`,
      expected: 'undefined',
    });
  }
  if (logits === undefined) return { x };
  return { x, z: checkLogits(logits, x.rows, c.numClasses, `${what}.logits`, `SdmEstimator.${what}`) };
}

/** Exemplars h′ and logits z′ of validated queries. */
export async function exemplarsOf(
  c: Core,
  tensors: CoreTensors,
  x: HostMatrix,
  z: HostMatrix | undefined,
): Promise<{ ex: HostMatrix; logits: Float32Array }> {
  if (c.kind === 'frozen') return { ex: applyNormalization(x, c.normalization), logits: (z as HostMatrix).data };
  const input = applyNormalization(c.appendLogits ? concatColumns(x, z as HostMatrix) : x, c.normalization);
  const f = await forwardHost(tensors.weightsOf(c), input, c.numClasses);
  return { ex: f.exemplars, logits: f.logits };
}

/** All per-input quantities from (z′, ŷ, q, d₀) under the stored calibration. */
export function describePrediction(
  c: Core,
  z: Float32Array,
  label: number,
  q: number,
  d0: number,
  nearest: number,
  rule: DecisionRule,
): SdmPrediction {
  const region = c.region;
  const logits = Float64Array.from(z);
  const d = distanceQuantile(d0, c.calibration.distanceCdfs).d;
  const sdm = sdmProbsHost(logits, q, d);
  const qPrime = rescaledSimilarity(q, sdm[label] as number);
  const point = highReliabilityIndicator(qPrime, sdm, label, region);
  const ess = effectiveSampleSizes(qPrime, c.calibration.qPrimeSortedPerClass, c.alpha);
  const { dLower, dUpper } = distanceBounds(d, ess.eps);
  const sdmLower = sdmProbsHost(logits, q, dLower);
  const sdmUpper = sdmProbsHost(logits, q, dUpper);
  const qPrimeLower = rescaledSimilarity(q, sdmLower[label] as number);
  const lower = highReliabilityIndicator(qPrimeLower, sdmLower, label, region);
  const ruleD = rule === 'lower' ? dLower : d;
  const ruleProbs = rule === 'lower' ? sdmLower : sdm;
  const isOodBySimilarity = point.isOod;
  const isOodByDistance = d === 0;
  // The calibrated test: a strictly larger d₀ than the calibration quantile (false-alarm rate ≤ δ).
  const isOod = d0 > c.calibration.oodDistanceThreshold;
  const isInsufficientEvidence = !isOod && ruleD === 0;
  const valid = rule === 'lower' ? lower.isHighReliability : point.isHighReliability;
  const reliability = reliabilityOf({
    valid,
    isOod,
    ruleD,
    isOodBySimilarity,
    ruleProbOfLabel: ruleProbs[label] as number,
  });
  const p: SdmPrediction = {
    label,
    logits,
    q,
    dNearest: d0,
    d,
    sdmProbs: sdm,
    qPrime,
    floorQPrime: point.floorQPrime,
    isHighReliability: point.isHighReliability,
    effectiveSampleSizes: ess.n,
    sampleSizeErrors: ess.eps,
    dLower,
    dUpper,
    sdmProbsLower: sdmLower,
    sdmProbsUpper: sdmUpper,
    qPrimeLower,
    floorQPrimeLower: lower.floorQPrime,
    isHighReliabilityLower: lower.isHighReliability,
    isOodBySimilarity,
    isOodByDistance,
    isOod,
    isInsufficientEvidence,
    valid,
    reliability,
    nearestSupportIndex: nearest,
  };
  const id = c.support.ids?.[nearest];
  if (id) p.nearestSupportId = id;
  return p;
}
