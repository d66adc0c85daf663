/**
 * The tensor-free part of dro-core: errors, the seeded RNG, state helpers, robust-weight specs and their
 * float64 solvers, divergences, root finding and normal statistics. Importing it loads no TensorFlow.js, so
 * host-only users (controllers, services, closed-form estimators) start fast and need no tfjs install.
 * @packageDocumentation
 */

export { type ConformanceOutcome, reportConformance, reportConformanceCrash } from './conformance-report.js';
export { chi2ToUniform, klToUniform, tvToUniform } from './divergence.js';
export * from './errors.js';
export * from './rng.js';
export { bisect, expandBracket } from './root-finding.js';
export { type SolveInfo, type SolveResult, solveWeights } from './solve.js';
export * from './spec.js';
export * from './state.js';
export { betaContinuedFraction, erfc, normalCdf, normalQuantile } from './stats.js';
export { findMismatch, isClose } from './testing/compare.js';
