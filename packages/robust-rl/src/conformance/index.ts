/**
 * The robust-rl conformance evaluators (robust-rl spec §9), one file per case family, keyed by the vectors
 * file's top-level keys.
 */
import { policyEvalCase, robustDpCase } from './dp.js';
import { mirrorStepCase, regularizedDpCase, softValueCase } from './drrpo.js';
import { factorEstimatorsCase } from './estimators.js';
import { ridgeCase, shermanMorrisonCase } from './linalg.js';
import { r2pviFitCase } from './r2pviFit.js';
import type { CaseRunner } from './shared.js';

export { type Case, type CaseRunner, datasetFromJson, modelFromJson, type Tol } from './shared.js';

export const runners: Record<string, CaseRunner> = {
  ridge: ridgeCase,
  sherman_morrison: shermanMorrisonCase,
  factor_estimators: factorEstimatorsCase,
  robust_dp: robustDpCase,
  policy_eval: policyEvalCase,
  r2pvi_fit: r2pviFitCase,
  drrpo_mirror_step: mirrorStepCase,
  drrpo_soft_value: softValueCase,
  drrpo_regularized_dp: regularizedDpCase,
};
