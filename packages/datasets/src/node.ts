/**
 * @drojs/datasets/node — Node-only file loading (uses `node:fs` and `node:zlib`).
 * @packageDocumentation
 */

export {
  DEBIAN_FASHION_MNIST_DIR,
  FASHION_MNIST_FILES,
  type FashionMnist,
  type FashionMnistSource,
  type FashionMnistSplit,
  type LoadFashionMnistOptions,
  loadFashionMnist,
  resolveFashionMnistDir,
  vendoredFashionMnistDir,
} from './fashionMnistLoader.js';
export * from './index.js';
