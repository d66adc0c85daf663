/**
 * The conformance-runner kit shared by every package (tensor-free, no test runner): the closing protocol
 * (`conformance: N passed, M failed`) and the one tolerance comparator.
 * @packageDocumentation
 */

export { findMismatch, isClose, type MismatchOptions, type NullPolicy, type Tolerance } from './compare.js';
export { type ConformanceOutcome, reportConformance, reportConformanceCrash } from './report.js';
