/**
 * @drojs/smoothing — Certified robustness by randomized smoothing and dual randomized smoothing for TensorFlow.js.
 * @packageDocumentation
 */
export { exampleLoss } from './example-loss.js';
