/**
 * @drojs/causal — IV-like regression from data augmentation, 2SLS/k-class with diagnostics, EACS and DRM.
 * @packageDocumentation
 */
export { exampleLoss } from './example-loss.js';
