/** Messages between the page (main.ts) and the worker (worker.ts). Plain JSON-cloneable objects only. */
import type { SdmReliability } from '@drojs/sdm';

/** Backends the page offers; `webgpu` only where `navigator.gpu` exists. */
export type BackendChoice = 'wasm' | 'webgl' | 'webgpu' | 'cpu';

/** The three losses compared on the first tab. */
export type LossName = 'CE' | 'LDR-KL' | 'ALDR-KL';
export const LOSS_NAMES: readonly LossName[] = ['CE', 'LDR-KL', 'ALDR-KL'];

export interface TrainRequest {
  losses: LossName[];
  /** Symmetric label-noise rate in [0, 1). */
  noiseRate: number;
  epochs: number;
  numTrain: number;
  /** Std of the Gaussian input noise added while training (0 = none): the σ the model is later certified at. */
  trainSigma: number;
  seed: number;
}

export interface CertifyRequest {
  loss: LossName;
  sigma: number;
  numImages: number;
  /** Monte Carlo samples of the estimation phase (selection uses n0 = 64). */
  numSamples: number;
  seed: number;
}

export type ToWorker =
  | { type: 'init'; backend: BackendChoice; dataUrl: string }
  | { type: 'train'; request: TrainRequest }
  | { type: 'certify'; request: CertifyRequest }
  | { type: 'fit-sdm'; loss: LossName; alpha: number }
  | { type: 'recalibrate'; alpha: number }
  | { type: 'inspect'; loss: LossName; index: number; sigma: number; numSamples: number }
  | { type: 'iv'; instruments: string[] }
  | { type: 'abort' };

export interface SdmAnswer {
  index: number;
  label: number;
  /** SDM's prediction ŷ = argmax of its adaptor's logits z′: the prediction SDM admits or rejects. */
  prediction: number;
  /** The trained network's own prediction and its softmax probability. */
  modelPrediction: number;
  modelProb: number;
  admitted: boolean;
  /** SDM's status of its own label (see @drojs/sdm's README status table). */
  reliability: SdmReliability;
  /** Lower SDM probability of the predicted class. */
  sdmProbLower: number;
  /** Rescaled similarity q′ at the lower distance bound, and the region's minimum q′ (+Infinity: no region found). */
  qPrimeLower: number;
  qPrimeMin: number;
  /** The region's SDM-probability threshold ψ for the predicted class. */
  threshold: number;
  regionFound: boolean;
  /** Similarity q: consecutive nearest support exemplars that agree with the prediction. */
  q: number;
  /** Distance quantile d (0 = as close as calibration points get, 1 = farther than all). */
  d: number;
  isOod: boolean;
  alpha: number;
  certified: { prediction: number; radius: number; samples: number; seconds: number };
}

/** SDM's high-reliability region at the chosen α′, and why there is none (dro-core-free copy of diagnoseRegion). */
export interface RegionInfo {
  alpha: number;
  found: boolean;
  /** The largest α′ at which a region exists; null when none exists even just above 0.5. */
  largestAlpha: number | null;
  /** The class whose ψ decides Algorithm 1, and that ψ. */
  bindingClass: number;
  minPsi: number;
}

export interface IvRow {
  method: string;
  estimate: number;
  stdError: number;
  low: number;
  high: number;
}

export interface IvAnswer {
  nobs: number;
  rows: IvRow[];
  firstStageF: number;
  anderson: string;
  sargan?: { stat: number; pValue: number };
}

export type FromWorker =
  | {
      type: 'ready';
      backend: string;
      fixes: string[];
      numTrainAvailable: number;
      classNames: string[];
      numTest: number;
      /** Test images for the gallery: `count` × 784 pixel bytes. */
      gallery: { pixels: number[]; labels: number[]; count: number };
      seconds: number;
    }
  | { type: 'epoch'; loss: LossName; epoch: number; accuracy: number; trainLoss: number; seconds: number }
  | { type: 'trained'; actualNoise: number; seconds: number }
  | { type: 'certify-progress'; done: number; total: number }
  | {
      type: 'certified';
      records: { label: number; prediction: number; radius: number }[];
      curve: { radius: number[]; accuracy: number[] };
      seconds: number;
    }
  | { type: 'sdm-ready'; loss: LossName; poolSize: number; region: RegionInfo; seconds: number }
  | { type: 'inspected'; answer: SdmAnswer }
  | { type: 'iv-result'; answer: IvAnswer }
  | { type: 'aborted'; what: string }
  | { type: 'error'; message: string };
