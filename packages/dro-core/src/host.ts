/**
 * The tensor-free part of dro-core: errors, the seeded RNG, state helpers, robust-weight specs and their
 * float64 solvers, divergences, root finding and normal statistics. Importing it loads no TensorFlow.js, so
 * host-only users (controllers, services, closed-form estimators) start fast and need no tfjs install.
 * @packageDocumentation
 */

export { type ConformanceOutcome, reportConformance, reportConformanceCrash } from './conformance-report.js';
export { chi2ToUniform, klToUniform, tvToUniform } from './divergence.js';
export * from './errors.js';
export { cholesky, cholSolve, gram, quadForm, ridge, shermanMorrison } from './linalg.js';
export { chi2To, klTo, tvTo } from './nominalDivergence.js';
export { type Coupling1d, quantileCoupling, type SampleWeights, uniformCoupling } from './quantileCoupling.js';
export * from './rng.js';
export { bisect, expandBracket } from './root-finding.js';
export { sliceDirections } from './sliceDirections.js';
export { type SolveInfo, type SolveResult, solveWeights } from './solve.js';
export * from './spec.js';
export * from './state.js';
export { betaContinuedFraction, erfc, normalCdf, normalQuantile } from './stats.js';
export { findMismatch, isClose } from './testing/compare.js';
export { sortedW2Host, type W2Reduction, type W2Result1d, w2Squared1d } from './w2Squared1d.js';
export {
  type NominalInfo,
  type NominalSpec,
  type WorstCaseResult,
  worstCaseExpectation,
} from './worstCaseExpectation.js';
