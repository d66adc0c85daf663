/**
 * The tensor-free part of dro-core: errors and their code table, the validation layer (options schema,
 * seeds, host matrix/vector/labels adapters, sentinels), the seeded RNG, state helpers, robust-weight specs
 * and their float64 solvers, divergences, root finding and special functions. Importing it loads no
 * TensorFlow.js, so host-only users (controllers, services, closed-form estimators) start fast and need no
 * tfjs install. The main entry re-exports all of it.
 * @packageDocumentation
 */

export {
  chi2Quantile,
  chi2Sf,
  fQuantile,
  fSf,
  logGamma,
  normalTwoSided,
  regularizedBeta,
  regularizedGammaQ,
  studentTQuantile,
  studentTTwoSided,
} from './distributions.js';
export { chi2ToUniform, klToUniform, tvToUniform } from './divergence.js';
export * from './errors.js';
export { cholesky, cholSolve, gram, quadForm, ridge, shermanMorrison } from './linalg.js';
export { chi2To, klTo, tvTo } from './nominalDivergence.js';
export { type Coupling1d, quantileCoupling, type SampleWeights, uniformCoupling } from './quantileCoupling.js';
export * from './rng.js';
export { bisect, expandBracket } from './rootFinding.js';
export { type SeededWeightsOptions, seededWeights, type WeightInitScheme } from './seededWeights.js';
export { sliceDirections } from './sliceDirections.js';
export { type SolveInfo, type SolveResult, solveWeights } from './solve.js';
export * from './spec.js';
export * from './state.js';
export { betaContinuedFraction, erfc, normalCdf, normalQuantile } from './stats.js';
export {
  checkIndex,
  checkLength,
  checkNumClasses,
  type HostInputOptions,
  type HostMatrix,
  isTensorLike,
  type LabelsInput,
  type LabelsOptions,
  type MatrixInput,
  type TensorLikeObject,
  toHostMatrix,
  toHostVector,
  toLabels,
  type VectorInput,
} from './validate/hostInputs.js';
export { checkOptions, type OptionRule, OptionRuleBuilder, type OptionSchema, opt } from './validate/options.js';
export { checkSeed, type Seed } from './validate/seed.js';
export { ABSTAIN, UNLABELED } from './validate/sentinels.js';
export { sortedW2Host, type W2Reduction, type W2Result1d, w2Squared1d } from './w2Squared1d.js';
export {
  type NominalInfo,
  type NominalSpec,
  type WorstCaseResult,
  worstCaseExpectation,
} from './worstCaseExpectation.js';
