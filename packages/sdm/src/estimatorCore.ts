// The fitted estimator's host data (Core) and its lazily uploaded tensors, shared by fit, predict, summary
// and state. Everything the estimator knows lives in Core; the tensors are a cache rebuilt from it.
import type { RngState, Seed } from '@drojs/dro-core';
import {
  type AdaptorKind,
  type AdaptorTensors,
  type AdaptorWeights,
  disposeWeights,
  type Normalization,
  uploadWeights,
} from './adaptor.js';
import type { CalibrationData } from './calibration.js';
import { concatRows, type HostMatrix } from './hostMatrix.js';
import { disposeSupport, type HostSupport, type SupportTensors, uploadSupport } from './neighbours.js';
import type { DecisionRule } from './options.js';
import type { HighReliabilityRegion } from './region.js';
import type { SdmResolvedOptions } from './state.js';
import type { EpochRecord } from './train.js';

/** Everything of a fitted estimator except its calibration (what fit has before calibrating). */
export interface CoreBase {
  options: SdmResolvedOptions;
  numClasses: number;
  alpha: number;
  decisionRule: DecisionRule;
  /** k actually used (maxQ resolved). */
  k: number;
  kind: AdaptorKind;
  inputDim: number;
  exemplarDim: number;
  appendLogits: boolean;
  normalization: Normalization;
  weights?: AdaptorWeights;
  support: HostSupport & { ids?: string[] };
  rng: { seed: Seed; state: RngState };
  training?: { bestShuffle: number; bestEpoch: number; calibrationBalancedLoss: number; history: EpochRecord[] };
}

/** A fitted estimator's host data. */
export interface Core extends CoreBase {
  calibration: CalibrationData;
  region: HighReliabilityRegion;
}

/** The adaptor weights and support set on the device, uploaded on first use and released by dispose(). */
export class CoreTensors {
  private weights?: AdaptorTensors;
  private support?: SupportTensors;

  weightsOf(c: CoreBase): AdaptorTensors {
    if (!this.weights) {
      const D = c.inputDim + (c.appendLogits ? c.numClasses : 0);
      this.weights = uploadWeights(c.weights as AdaptorWeights, D, c.exemplarDim, c.numClasses, false);
    }
    return this.weights;
  }

  supportOf(c: CoreBase): SupportTensors {
    if (!this.support) this.support = uploadSupport(c.support);
    return this.support;
  }

  /** Drops the uploaded support (after the host support set changed). */
  resetSupport(): void {
    disposeSupport(this.support);
    this.support = undefined;
  }

  dispose(): void {
    disposeWeights(this.weights);
    this.weights = undefined;
    this.resetSupport();
  }
}

/** Appends exemplars (with labels, predictions and optional ids) to the host support set. */
export function appendSupport(
  core: CoreBase,
  ex: HostMatrix,
  labels: Int32Array,
  predicted: Int32Array,
  ids?: string[],
): void {
  const s = core.support;
  const before = s.labels.length;
  s.exemplars = concatRows([s.exemplars, ex], s.exemplars.cols);
  s.labels = Int32Array.from([...s.labels, ...labels]);
  s.predicted = Int32Array.from([...s.predicted, ...predicted]);
  // Ids are kept when any were given; rows without one get '' (reported as no id).
  if (ids || s.ids)
    s.ids = [...(s.ids ?? new Array<string>(before).fill('')), ...(ids ?? new Array<string>(labels.length).fill(''))];
}
