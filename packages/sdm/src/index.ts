/**
 * @drojs/sdm — Similarity-distance-magnitude verification: calibrated admission of any classifier's predictions.
 * @packageDocumentation
 */
export { exampleLoss } from './example-loss.js';
