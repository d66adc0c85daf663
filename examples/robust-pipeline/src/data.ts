import { injectLabelNoise } from '@drojs/datasets';
import { loadFashionMnist, vendoredFashionMnistDir } from '@drojs/datasets/node';
import type { PipelineConfig } from './config.js';

/** Rows of images (784 pixels in [0, 1] each) with their labels. */
export interface Rows {
  x: Float32Array;
  y: Int32Array;
  n: number;
}

/** The pipeline's four disjoint sets. */
export interface PipelineData {
  /** Training images with noisy labels (`clean` keeps the true ones, for reporting the noise). */
  train: Rows & { clean: Int32Array; flipRate: number };
  support: Rows;
  calibration: Rows;
  evaluation: Rows;
  source: string;
}

export const PIXELS = 784;
export const NUM_CLASSES = 10;

function slice(images: Float32Array, labels: Int32Array, from: number, to: number): Rows {
  return { x: images.subarray(from * PIXELS, to * PIXELS), y: labels.subarray(from, to), n: to - from };
}

/**
 * Loads Fashion-MNIST (10 classes) and cuts the train split into noisy training and clean support images,
 * the test split into calibration and evaluation images, in file order. Label noise: datasets'
 * `injectLabelNoise` (symmetric, seeded).
 */
export async function loadPipelineData(cfg: PipelineConfig): Promise<PipelineData> {
  const data = await loadFashionMnist(cfg.data === 'vendored' ? { dir: vendoredFashionMnistDir() } : {});
  const needTrain = cfg.numTrain + cfg.numSupport;
  const needTest = cfg.numCalibration + cfg.numEval;
  if (data.train.n < needTrain || data.test.n < needTest)
    throw new Error(
      `${data.source} data (${data.dir}) has ${data.train.n}/${data.test.n} train/test images; ` +
        `mode ${cfg.mode} needs ${needTrain}/${needTest}`,
    );
  const train = slice(data.train.images, data.train.labels, 0, cfg.numTrain);
  const noisy = injectLabelNoise(train.y, {
    type: 'symmetric',
    rate: cfg.labelNoise,
    numClasses: NUM_CLASSES,
    seed: `${cfg.seed}/label-noise`,
  });
  return {
    train: { x: train.x, y: noisy.labels, n: train.n, clean: train.y, flipRate: noisy.actualRate },
    support: slice(data.train.images, data.train.labels, cfg.numTrain, needTrain),
    calibration: slice(data.test.images, data.test.labels, 0, cfg.numCalibration),
    evaluation: slice(data.test.images, data.test.labels, cfg.numCalibration, needTest),
    source: `${data.source} (${data.dir})`,
  };
}
