/**
 * @drojs/ldr-loss — Label-distributionally-robust losses (LDR-KL, ALDR-KL), noisy-label baselines and SogCLR/iSogCLR for TensorFlow.js.
 * @packageDocumentation
 */
export { exampleLoss } from './example-loss.js';
