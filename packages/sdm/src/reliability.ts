// The per-prediction status (SdmPrediction.reliability), shared by predict and the calibration summary.
import { NEAR_CHANCE_THRESHOLD } from './constants.js';

/**
 * The status of one prediction, checked in this order:
 * - `'high'`: admitted under the decision rule (in the high-reliability region);
 * - `'ood'`: out of distribution — the nearest-support distance d₀ exceeds the conformal (1 − δ) quantile
 *   of the calibration points' d₀ (`opts.oodRate` = δ, default 0.01): on inputs exchangeable with the
 *   calibration data at most a share δ is flagged (package extension; upstream calls q = 0 OOD);
 * - `'insufficient-evidence'`: the decision rule's distance quantile is 0 (lower rule: d_lower = d − ε = 0,
 *   which includes point d = 0): the calibration evidence at this q′ cannot separate it from chance. More
 *   calibration data per class shrinks ε and raises the class-wise distance quantiles;
 * - `'no-support'`: q = 0 — the nearest support exemplars do not back the prediction (not a correctly
 *   predicted neighbour of the predicted class); typical of the model's weak regions, not of new inputs;
 *   under the lower rule q = 0 always gives d_lower = 0 (q′ = 0, so every n_c = 0 and ε = 1), so this
 *   status appears under the point rule only;
 * - `'near-chance'`: the decision rule's SDM probability of the label is < {@link NEAR_CHANCE_THRESHOLD};
 * - `'low'`: everything else that is not admitted (e.g. no region exists at α′).
 */
export type SdmReliability = 'high' | 'ood' | 'insufficient-evidence' | 'no-support' | 'near-chance' | 'low';

/** The status from the facts it is decided on (see {@link SdmReliability} for the order). */
export function reliabilityOf(f: {
  valid: boolean;
  isOod: boolean;
  ruleD: number;
  isOodBySimilarity: boolean;
  ruleProbOfLabel: number;
}): SdmReliability {
  if (f.valid) return 'high';
  if (f.isOod) return 'ood';
  if (f.ruleD === 0) return 'insufficient-evidence';
  if (f.isOodBySimilarity) return 'no-support';
  return f.ruleProbOfLabel < NEAR_CHANCE_THRESHOLD ? 'near-chance' : 'low';
}
