import { checkOptions, DroError, opt } from '@drojs/dro-core';
import { OOD_LABEL, UNLABELED } from './constants.js';
import { appendSupport, type Core, CoreTensors } from './estimatorCore.js';
import { fitCore } from './fit.js';
import { checkIds, type SdmFitData } from './fitData.js';
import { frozenArguments, type SdmFrozenFitData, type SdmFrozenFitOptions } from './frozen.js';
import { type LabelsInput, type MatrixInput, rowArgmax, takeRows, toSdmLabels } from './hostMatrix.js';
import { neighbourStatistics } from './neighbours.js';
import { explainNoRegion, type NoRegionReport } from './noRegionReport.js';
import { checkAlpha, type DecisionRule, type SdmFitOptions } from './options.js';
import { describePrediction, exemplarsOf, parseQueries, type SdmPrediction } from './predict.js';
import { findHighReliabilityRegion, type HighReliabilityRegion } from './region.js';
import type { SdmEstimatorState } from './state.js';
import { coreFromState, coreToState } from './stateCodec.js';
import { formatSummary, type SdmSummary, summaryStats } from './summary.js';

export type { SdmFitData } from './fitData.js';
export type { SdmFrozenFitData, SdmFrozenFitOptions, SdmFrozenRows } from './frozen.js';
export type { SdmPrediction, SdmReliability } from './predict.js';

const PREDICT_SCHEMA = { decisionRule: opt.oneOf(['lower', 'point']) };

/** What `save`/`load` need from `@drojs/dro-core/node`, loaded on demand so browsers never import node:fs. */
interface NodeStateFiles {
  saveState(path: string, obj: { getState(): unknown }): void;
  loadState<T>(path: string, fromState: (state: never) => T): T;
}

async function nodeStateFiles(): Promise<NodeStateFiles> {
  const isNode = typeof globalThis.process === 'object' && typeof globalThis.process?.versions?.node === 'string';
  if (!isNode) {
    throw new DroError('E_SPEC', 'save/load need Node.js', { argument: 'path', expected: 'a Node.js runtime' });
  }
  const coreNode = '@drojs/dro-core/node';
  return (await import(/* @vite-ignore */ coreNode)) as NodeStateFiles;
}

/**
 * The SDM estimator (spec §4): an exemplar adaptor trained with the SDM loss (or a frozen model's
 * embeddings and logits), calibrated by Algorithm 1, returning per input ŷ, q, d, the SDM output, OOD
 * flags and an admission decision for the high-reliability region (lower DKW rule by default).
 *
 * Stateful contract: `getState()` is plain JSON of kind `'@drojs/sdm/SdmEstimator'` (states of the old kind
 * `'sdm-estimator'` still load); `fromState` rebuilds an estimator whose every output is identical. The
 * seed (`opts.seed`, a non-negative safe integer or a string, default 0) drives the split, initialisation
 * and batch streams of `fit`.
 */
export class SdmEstimator {
  private readonly core: Core;
  private readonly tensors: CoreTensors;
  private disposed = false;
  /** explainNoRegion memoised by α′ (the calibration never changes after fit). */
  private readonly noRegionMemo = new Map<number, NoRegionReport | null>();
  private readonly explain = (args: Parameters<typeof explainNoRegion>[0]): NoRegionReport | null => {
    if (!this.noRegionMemo.has(args.alpha)) this.noRegionMemo.set(args.alpha, explainNoRegion(args));
    return this.noRegionMemo.get(args.alpha) ?? null;
  };

  private constructor(core: Core, tensors = new CoreTensors()) {
    this.core = core;
    this.tensors = tensors;
  }

  /**
   * Train (unless 'frozen') and calibrate. Every check runs before any tensor is created. When the result
   * cannot admit anything useful (no region at α′, or mostly 'insufficient-evidence'), `opts.onWarning`
   * gets one line saying why; the same is in `summaryStats().warnings` and `.noRegion`.
   *
   * Which label is judged: with a trained adaptor ('linear', the default, or 'identity') SDM judges the
   * **adaptor's** argmax, which can differ from your model's prediction; to verify your model's own
   * predictions use {@link SdmEstimator.fitFrozen}.
   */
  static async fit(data: SdmFitData, opts: SdmFitOptions): Promise<SdmEstimator> {
    const { core, tensors } = await fitCore(data, opts);
    const est = new SdmEstimator(core, tensors);
    if (opts.onWarning) for (const w of est.summaryStats().warnings) opts.onWarning(w);
    return est;
  }

  /**
   * Verify your model's own predictions (frozen mode, spec §4.16): nothing is trained; the support set is
   * your model's embeddings with its argmax predictions, and every later `predict(embeddings, logits)`
   * judges **your model's label** (`prediction.label` = argmax of the logits you pass). Give held-out
   * labelled rows as `calibration` (the split is then used as given), or one pool that is split 50/50.
   * Training options (`epochs`, `exemplarDim`, …) are rejected by name (E_SPEC). Same warnings as `fit`.
   */
  static async fitFrozen(data: SdmFrozenFitData, opts: SdmFrozenFitOptions): Promise<SdmEstimator> {
    const args = frozenArguments(data, opts);
    return SdmEstimator.fit(args.data, args.opts);
  }

  private checkLive(what: string): void {
    if (this.disposed) {
      throw new DroError('E_SPEC', `SdmEstimator.${what} called after dispose()`, {
        argument: 'this',
        expected: 'a live estimator',
      });
    }
  }

  /**
   * Batch inference (spec §6.3). `logits` are required for 'frozen' and when appendLogits was used.
   * Embeddings and logits: a rank-2 float32 tensor, number[][] or `{data, rows, cols}`.
   */
  async predict(
    embeddings: MatrixInput,
    logits?: MatrixInput,
    opts: { decisionRule?: DecisionRule } = {},
  ): Promise<SdmPrediction[]> {
    this.checkLive('predict');
    checkOptions(opts, PREDICT_SCHEMA, 'SdmEstimator.predict');
    const c = this.core;
    const rule = opts.decisionRule ?? c.decisionRule;
    const { x, z } = parseQueries(c, embeddings, logits, 'predict');
    if (x.rows === 0) return [];
    const C = c.numClasses;
    const { ex, logits: zq } = await exemplarsOf(c, this.tensors, x, z);
    const pred = rowArgmax(zq, x.rows, C);
    const st = await neighbourStatistics(
      ex,
      pred,
      c.support,
      this.tensors.supportOf(c),
      Math.min(c.k, c.support.labels.length),
      { chunkSize: c.options.knnChunkSize ?? undefined },
    );
    const out: SdmPrediction[] = [];
    for (let i = 0; i < x.rows; i++) {
      const zi = zq.subarray(i * C, (i + 1) * C);
      out.push(
        describePrediction(
          c,
          zi,
          pred[i] as number,
          st.q[i] as number,
          st.d0[i] as number,
          st.nearest[i] as number,
          rule,
        ),
      );
    }
    return out;
  }

  /** Re-runs Algorithm 1 at a new α′ from the stored calibration outputs (spec §4.15). */
  recalibrate(alpha: number): HighReliabilityRegion {
    this.checkLive('recalibrate');
    const a = checkAlpha(alpha, 'alpha');
    const c = this.core;
    const { region } = findHighReliabilityRegion({
      sdmProbs: c.calibration.sdmProbs,
      qPrime: c.calibration.qPrime,
      labels: c.calibration.labels,
      alpha: a,
      numClasses: c.numClasses,
    });
    c.alpha = a;
    c.region = region;
    return this.region;
  }

  /**
   * Appends points to the support set without retraining (spec §4.15); labels in [0, C) ∪ {UNLABELED,
   * OOD_LABEL} (the old unlabelled marker −1 is accepted and stored as UNLABELED).
   */
  async addToSupport(
    embeddings: MatrixInput,
    labels: LabelsInput,
    logits?: MatrixInput,
    ids?: string[],
  ): Promise<void> {
    this.checkLive('addToSupport');
    const c = this.core;
    const { x, z } = parseQueries(c, embeddings, logits, 'addToSupport');
    const y = toSdmLabels(labels, 'addToSupport.labels', 'SdmEstimator.addToSupport', {
      numClasses: c.numClasses,
      length: x.rows,
      extra: [UNLABELED, OOD_LABEL],
    });
    if (ids !== undefined) checkIds(ids, x.rows, 'ids');
    if (x.rows === 0) return;
    const { ex, logits: zq } = await exemplarsOf(c, this.tensors, x, z);
    appendSupport(c, ex, y, rowArgmax(zq, x.rows, c.numClasses), ids);
    this.tensors.resetSupport();
  }

  /** The current high-reliability region (a copy). */
  get region(): HighReliabilityRegion {
    this.checkLive('region');
    const r = this.core.region;
    return { ...r, thresholds: Float64Array.from(r.thresholds) };
  }

  /** Stored calibration statistics (copies). */
  calibrationDetails(): {
    q: Float64Array;
    d0: Float64Array;
    d: Float64Array;
    sdmProbs: Float64Array[];
    qPrime: Float64Array;
    labels: Int32Array;
    distanceCdfs: Float64Array[];
    qPrimeSortedPerClass: Float64Array[];
    isOod: Uint8Array;
  } {
    this.checkLive('calibrationDetails');
    const k = this.core.calibration;
    return {
      q: Float64Array.from(k.q),
      d0: Float64Array.from(k.d0),
      d: Float64Array.from(k.d),
      sdmProbs: k.sdmProbs.map((r) => Float64Array.from(r)),
      qPrime: Float64Array.from(k.qPrime),
      labels: Int32Array.from(k.labels),
      distanceCdfs: k.distanceCdfs.map((r) => Float64Array.from(r)),
      qPrimeSortedPerClass: k.qPrimeSortedPerClass.map((r) => Float64Array.from(r)),
      isOod: Uint8Array.from(k.isOod),
    };
  }

  /** q (self excluded by index) and d₀ of every labelled support point against the support set. */
  async supportStatistics(): Promise<{ q: Float64Array; d0: Float64Array }> {
    this.checkLive('supportStatistics');
    const c = this.core;
    const s = c.support;
    const idx: number[] = [];
    for (let i = 0; i < s.labels.length; i++) if ((s.labels[i] as number) >= 0) idx.push(i);
    const self = Int32Array.from(idx);
    const ex = takeRows(s.exemplars, self);
    const pred = Int32Array.from(idx, (i) => s.predicted[i] as number);
    const st = await neighbourStatistics(ex, pred, s, this.tensors.supportOf(c), Math.min(c.k, s.labels.length - 1), {
      selfIndices: self,
      chunkSize: c.options.knnChunkSize ?? undefined,
    });
    return { q: st.q, d0: st.d0 };
  }

  /** Headline numbers of the fitted estimator, as data (what {@link summary} prints). */
  summaryStats(): SdmSummary {
    this.checkLive('summaryStats');
    return summaryStats(this.core, this.explain);
  }

  /** Printable text: the region, support and calibration sizes and the training outcome. */
  summary(): string {
    this.checkLive('summary');
    return formatSummary(summaryStats(this.core, this.explain));
  }

  /** Plain JSON state (spec §7), kind `'@drojs/sdm/SdmEstimator'`. */
  getState(): SdmEstimatorState {
    this.checkLive('getState');
    return coreToState(this.core);
  }

  /** = getState(), so JSON.stringify(estimator) works. */
  toJSON(): SdmEstimatorState {
    return this.getState();
  }

  /**
   * Rebuilds an estimator whose every output is identical (spec §7).
   * @throws DroError `E_STATE_VERSION` for a foreign kind, an unsupported version or invalid contents.
   */
  static fromState(state: SdmEstimatorState): SdmEstimator {
    return new SdmEstimator(coreFromState(state));
  }

  /** Node only: writes the JSON state atomically with dro-core's `saveState`. */
  async save(path: string): Promise<void> {
    this.checkLive('save');
    (await nodeStateFiles()).saveState(path, this);
  }

  /** Node only: reads a state written by {@link save} with dro-core's `loadState` (`E_IO`, `E_STATE_VERSION`). */
  static async load(path: string): Promise<SdmEstimator> {
    return (await nodeStateFiles()).loadState(path, SdmEstimator.fromState);
  }

  /** Releases the estimator's tensors; any later call throws DroError E_SPEC. */
  dispose(): void {
    this.tensors.dispose();
    this.disposed = true;
  }
}
