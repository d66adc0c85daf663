/** Options, schemas and state types of {@link CometTrainer} (kept apart so the trainer file holds the training). */
import { type Classifier, DroError, opt, Rng, type RngState, type Seed } from '@drojs/dro-core';
import { type CometLossOptions, type CometTerms, LOSS_OPTIONS } from './cometLoss.js';
import type { Fill } from './inputs.js';
import type { MaskMode } from './mask.js';
import type { TrainableNet } from './nets.js';
import type { OptimizerSpec, OptimizerState } from './optim.js';
import type { UpsampleMode } from './resize.js';

/** Options of {@link CometTrainer}: the loss options plus training. */
export interface CometTrainerOptions extends CometLossOptions {
  /** `'frozen'` (default, the code's 2p): never updated; `'adversarial'` (3p): trained on `ℓ_D`. */
  detectorMode?: 'frozen' | 'adversarial';
  /** Selector and predictor optimiser; default `{ name: 'adam', learningRate: 1e-3 }`. */
  optimizer?: OptimizerSpec;
  /** Adversarial detector only; default = `optimizer`. */
  detectorOptimizer?: OptimizerSpec;
  /** Batch size of {@link CometTrainer.fit}; default 64. */
  batchSize?: number;
  /** Seed of the batch order (default 0); give `seed` or `rng`, not both. */
  seed?: Seed;
  /** The base stream instead of a seed (cloned: the trainer never advances it). */
  rng?: Rng;
}

/** One step's terms (before its update), with its position. */
export interface CometStepInfo extends CometTerms {
  step: number;
  epoch: number;
}

/** Means of one epoch. */
export interface CometEpochMeans {
  sufficiency: number;
  complement: number;
  completenessArg: number | null;
  areaMean: number;
  total: number;
}

/** A trained (or training) COMET model as `explain` needs it. */
export interface CometModel {
  selector: TrainableNet | Classifier;
  predictor: TrainableNet | Classifier;
  detector?: Classifier | TrainableNet;
  upsample: UpsampleMode;
  maskMode: MaskMode;
  fill: Fill;
}

/** The JSON state of a {@link CometTrainer}. */
export interface CometTrainerState {
  kind: string;
  version: 1;
  options: Record<string, unknown>;
  step: number;
  epoch: number;
  stepInEpoch: number;
  numTrain: number | null;
  rng: RngState;
  nets: { selector: unknown[]; predictor: unknown[]; detector: unknown[] };
  optimizers: { selector: OptimizerState; predictor: OptimizerState; detector: OptimizerState | null };
  history: CometEpochMeans[];
  epochSums: number[];
}

/** The networks a trainer updates. */
export interface CometNets {
  selector: TrainableNet;
  predictor: TrainableNet;
  detector: Classifier | TrainableNet;
}

export const OPTIONS = {
  ...LOSS_OPTIONS,
  detectorMode: opt.oneOf(['frozen', 'adversarial'] as const),
  optimizer: opt.object(),
  detectorOptimizer: opt.object(),
  batchSize: opt.integer({ min: 1 }),
  seed: opt.seed(),
  rng: opt.custom('an Rng', (v, argument) => {
    if (!(v instanceof Rng)) throw new DroError('E_SPEC', `${argument} must be an Rng`, { argument });
  }),
};

export const FIT_OPTIONS = {
  epochs: opt.integer({ min: 1 }).require(),
  onProgress: opt.function(),
  progressEvery: opt.integer({ min: 1 }),
  onEpochEnd: opt.function(),
  checkpointEvery: opt.integer({ min: 1 }),
  onCheckpoint: opt.function(),
  signal: opt.signal(),
};

/** Options of {@link CometTrainer.fit}. */
export interface CometFitOptions {
  /** The epoch count to reach (a resumed trainer finishes the interrupted epoch first). */
  epochs: number;
  onProgress?: (info: CometStepInfo) => void;
  /** Default 10 steps. */
  progressEvery?: number;
  onEpochEnd?: (epoch: number, means: CometEpochMeans) => void;
  checkpointEvery?: number;
  onCheckpoint?: (state: CometTrainerState) => void | Promise<void>;
  signal?: AbortSignal;
}
