/**
 * The pipeline's settings. `quick` (what `pnpm demo` runs) uses the vendored Fashion-MNIST subset of
 * @drojs/datasets; `full` the whole data set (FASHION_MNIST_DIR or another location the loader finds);
 * `slice` is the CI integration test's smaller run.
 */
export interface PipelineConfig {
  mode: 'quick' | 'full' | 'slice';
  seed: number;
  /** Where the images come from: the vendored subset, or the loader's search (FASHION_MNIST_DIR first). */
  data: 'vendored' | 'search';
  /** Training images (labels corrupted by symmetric noise of `labelNoise`), from the start of the train split. */
  numTrain: number;
  /** Clean ("trusted") training images after those: SDM's support (frozen) and training pool (adaptor). */
  numSupport: number;
  /** Clean test images that calibrate SDM (its D_ca, both modes). */
  numCalibration: number;
  /** Clean test images after the calibration ones, certified and verified. */
  numEval: number;
  labelNoise: number;
  /** Gaussian noise σ of training and certification (pixels in [0, 1]). */
  sigma: number;
  /** The radius at which "certified" is judged (L2, pixels in [0, 1]). */
  radius: number;
  hidden: [number, number];
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** CERTIFY's selection and estimation draws and its failure probability. */
  n0: number;
  n: number;
  certAlpha: number;
  /** SDM's α′ (its default) and the trained adaptor's epochs. */
  sdmAlpha: number;
  sdmEpochs: number;
}

const BASE = {
  seed: 0,
  labelNoise: 0.2,
  sigma: 0.25,
  radius: 0.25,
  hidden: [256, 128] as [number, number],
  batchSize: 128,
  learningRate: 2e-3,
  certAlpha: 0.001,
  sdmAlpha: 0.95,
} as const;

/** About a minute on 2 cores: the vendored subset (6,000 train / 2,000 test images). */
export const QUICK: PipelineConfig = {
  ...BASE,
  mode: 'quick',
  data: 'vendored',
  numTrain: 4000,
  numSupport: 2000,
  numCalibration: 1500,
  numEval: 300,
  epochs: 20,
  n0: 64,
  n: 400,
  sdmEpochs: 10,
};

/**
 * The whole data set: 50,000 noisy training images, 10,000 trusted; test split 9,000 calibration (about 900 per
 * class: SDM's region at α′ = 0.95 was within sampling noise with 5,000), 1,000 certified.
 */
export const FULL: PipelineConfig = {
  ...BASE,
  mode: 'full',
  data: 'search',
  numTrain: 50000,
  numSupport: 10000,
  numCalibration: 9000,
  numEval: 1000,
  epochs: 30,
  n0: 100,
  n: 2000,
  sdmEpochs: 30,
};

/** The CI integration test: the vendored subset, fewer certified points and draws. */
export const SLICE: PipelineConfig = {
  ...QUICK,
  mode: 'slice',
  numTrain: 3000,
  numEval: 100,
  epochs: 8,
  n0: 32,
  n: 200,
  sdmEpochs: 5,
};
