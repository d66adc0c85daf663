/** Run configuration of the example. */
export interface Config {
  name: 'quick' | 'full';
  /** Training images (first N of the 60 000) and epochs. */
  trainImages: number;
  epochs: number;
  /** Test images certified: indices 0, skip, 2·skip, … (count of them). */
  testCount: number;
  skip: number;
  n0: number;
  n: number;
  alpha: number;
  batchSize: number;
  sigmas: number[];
  seed: number;
}

/**
 * `quick` is sized for `pnpm demo` on a shared 2-core machine (≲ 90 s): fewer training images, one epoch,
 * 30 test images at N = 1000. `full` is the spec's full configuration (3 epochs, 200 images,
 * N = 10⁴) reduced to what the shared CPU allows: 1 epoch on all 60 000 images, 50 test images
 * (every 200th), N = 10⁴; run it one σ at a time (`--sigma=0.25`, `--sigma=0.5`).
 */
export const CONFIGS: Record<Config['name'], Config> = {
  quick: {
    name: 'quick',
    trainImages: 8000,
    epochs: 1,
    testCount: 30,
    skip: 300,
    n0: 100,
    n: 1000,
    alpha: 0.001,
    batchSize: 1000,
    sigmas: [0.25, 0.5],
    seed: 2026,
  },
  full: {
    name: 'full',
    trainImages: 60_000,
    epochs: 1,
    testCount: 50,
    skip: 200,
    n0: 100,
    n: 10_000,
    alpha: 0.001,
    batchSize: 1000,
    sigmas: [0.25, 0.5],
    seed: 2026,
  },
};
