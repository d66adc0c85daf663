/**
 * @drojs/datasets — data for drojs examples and tests. This entry is browser-safe (no `node:` imports):
 * IDX parsing, seeded label noise, one-hot encoding and Fashion-MNIST class names. The Node-only
 * Fashion-MNIST loader lives in `@drojs/datasets/node`.
 * @packageDocumentation
 */
export { FASHION_MNIST_CLASSES, FASHION_MNIST_NUM_CLASSES, FASHION_MNIST_SIDE } from './classes.js';
export { encodeIdx, type IdxArray, parseIdx } from './idx.js';
export { toOneHot } from './labels.js';
export {
  classDependentNoiseMatrix,
  expectedFlipRate,
  injectLabelNoise,
  type LabelNoiseOptions,
  type LabelNoiseResult,
  type LabelNoiseType,
  symmetricNoiseMatrix,
} from './noise.js';
