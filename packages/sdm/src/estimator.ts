import { createRng, DroError, decodeF32, encodeF32, type RngState } from '@drojs/dro-core';
import { sdmProbsHost } from './activation.js';
import {
  type AdaptorKind,
  type AdaptorTensors,
  type AdaptorWeights,
  applyNormalization,
  disposeWeights,
  forwardHost,
  type Normalization,
  uploadWeights,
} from './adaptor.js';
import { type CalibrationData, calibrateFromStatistics } from './calibration.js';
import { NEAR_CHANCE_THRESHOLD, OOD_LABEL, UNLABELED } from './constants.js';
import { distanceQuantile } from './distance.js';
import { distanceBounds, effectiveSampleSizes } from './dkw.js';
import {
  checkLabelRange,
  checkRows,
  concatColumns,
  concatRows,
  type HostMatrix,
  type LabelInput,
  type MatrixInput,
  rowArgmax,
  takeRows,
  toHostMatrix,
  toLabels,
} from './inputs.js';
import {
  disposeSupport,
  type HostSupport,
  neighbourStatistics,
  type SupportTensors,
  uploadSupport,
} from './neighbours.js';
import { checkAlpha, type DecisionRule, resolveOptions, type SdmFitOptions } from './options.js';
import {
  findHighReliabilityRegion,
  type HighReliabilityRegion,
  highReliabilityIndicator,
  rescaledSimilarity,
} from './region.js';
import { type SdmEstimatorState, type SdmResolvedOptions, validateState } from './state.js';
import {
  checkAllClassesPresent,
  type EpochRecord,
  type LabelledRows,
  largestClassCount,
  normalizationFor,
  type Split,
  trainAdaptor,
} from './train.js';

/** Training data of {@link SdmEstimator.fit}. */
export interface SdmFitData {
  /** The pool, or D_tr when `calibration` is given. */
  embeddings: MatrixInput;
  labels: LabelInput;
  /** The frozen model's logits: required for 'frozen', else optional features. */
  logits?: MatrixInput;
  ids?: string[];
  calibration?: { embeddings: MatrixInput; labels: LabelInput; logits?: MatrixInput; ids?: string[] };
  /** Extra support rows labelled OOD_LABEL or UNLABELED (never trained on, never in the CDFs). */
  oodSupport?: { embeddings: MatrixInput; labels: LabelInput; logits?: MatrixInput; ids?: string[] };
}

/** Per-input output of {@link SdmEstimator.predict} (spec §6.3). */
export interface SdmPrediction {
  /** ŷ = argmax z′, reported whether admitted or not. */
  label: number;
  logits: Float64Array;
  q: number;
  /** d₀: squared L2 to the nearest support exemplar (float64 recomputation). */
  dNearest: number;
  d: number;
  sdmProbs: Float64Array;
  qPrime: number;
  floorQPrime: number;
  /** SDM_HR (point rule). */
  isHighReliability: boolean;
  effectiveSampleSizes: Float64Array;
  sampleSizeErrors: Float64Array;
  dLower: number;
  dUpper: number;
  sdmProbsLower: Float64Array;
  sdmProbsUpper: Float64Array;
  qPrimeLower: number;
  floorQPrimeLower: number;
  /** SDM_HR^lower. */
  isHighReliabilityLower: boolean;
  isOodBySimilarity: boolean;
  isOodByDistance: boolean;
  isOod: boolean;
  /** Admitted under the decision rule. */
  valid: boolean;
  reliability: 'high' | 'ood' | 'near-chance' | 'low';
  nearestSupportIndex: number;
  nearestSupportId?: string;
}

interface Parsed {
  x: HostMatrix;
  y: Int32Array;
  logits?: HostMatrix;
  ids?: string[];
}

interface Core {
  options: SdmResolvedOptions;
  numClasses: number;
  alpha: number;
  decisionRule: DecisionRule;
  k: number;
  kind: AdaptorKind;
  inputDim: number;
  exemplarDim: number;
  appendLogits: boolean;
  normalization: Normalization;
  weights?: AdaptorWeights;
  support: HostSupport & { ids?: string[] };
  calibration: CalibrationData;
  region: HighReliabilityRegion;
  rng: { seed: number | string; state: RngState };
  training?: { bestShuffle: number; bestEpoch: number; calibrationBalancedLoss: number; history: EpochRecord[] };
}

function parseRows(
  part: { embeddings: MatrixInput; labels: LabelInput; logits?: MatrixInput; ids?: string[] },
  name: string,
  numClasses: number,
  extraLabels: readonly number[],
  onlyExtra = false,
): Parsed {
  const x = toHostMatrix(part.embeddings, `${name}.embeddings`);
  const y = toLabels(part.labels, `${name}.labels`);
  checkRows(y.length, x.rows, `${name}.labels`, 'embedding row');
  if (onlyExtra) checkLabelRange(y, 0, `${name}.labels`, extraLabels);
  else checkLabelRange(y, numClasses, `${name}.labels`, extraLabels);
  const out: Parsed = { x, y };
  if (part.logits !== undefined) {
    const l = toHostMatrix(part.logits, `${name}.logits`);
    checkRows(l.rows, x.rows, `${name}.logits`, 'embedding row');
    if (l.rows > 0 && l.cols !== numClasses) {
      throw new DroError('E_SHAPE', `${name}.logits must have one column per class`, {
        argument: `${name}.logits`,
        expected: `${numClasses} columns`,
        received: `${l.cols}`,
      });
    }
    out.logits = l.rows > 0 ? l : { data: l.data, rows: 0, cols: numClasses };
  }
  if (part.ids !== undefined) {
    if (!Array.isArray(part.ids) || !part.ids.every((s) => typeof s === 'string')) {
      throw new DroError('E_SPEC', `${name}.ids must be an array of strings`, { argument: `${name}.ids` });
    }
    checkRows(part.ids.length, x.rows, `${name}.ids`, 'embedding row');
    out.ids = [...part.ids];
  }
  return out;
}

function checkWidth(m: HostMatrix, cols: number, argument: string): void {
  if (m.rows > 0 && m.cols !== cols) {
    throw new DroError('E_SHAPE', `${argument} has the wrong width`, {
      argument,
      expected: `${cols} columns (the fitted input width)`,
      received: `${m.cols}`,
    });
  }
}

function take(p: Parsed, idx: Int32Array): Parsed {
  const out: Parsed = { x: takeRows(p.x, idx), y: Int32Array.from(idx, (i) => p.y[i]!) };
  if (p.logits) out.logits = takeRows(p.logits, idx);
  if (p.ids) out.ids = Array.from(idx, (i) => p.ids![i]!);
  return out;
}

function joinParts(a: Parsed, b: Parsed): Parsed {
  const out: Parsed = { x: concatRows([a.x, b.x], a.x.cols), y: Int32Array.from([...a.y, ...b.y]) };
  if (a.logits && b.logits) out.logits = concatRows([a.logits, b.logits], a.logits.cols);
  if (a.ids && b.ids) out.ids = [...a.ids, ...b.ids];
  return out;
}

/** Adaptor input: embeddings, with the logits appended when that option is on. */
function inputOf(p: Parsed, appendLogits: boolean): HostMatrix {
  return appendLogits ? concatColumns(p.x, p.logits!) : p.x;
}

function _toF64Rows(m: Float32Array, rows: number, cols: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let i = 0; i < rows; i++) out.push(Float64Array.from(m.subarray(i * cols, (i + 1) * cols)));
  return out;
}

/**
 * The SDM estimator (spec §4): an exemplar adaptor trained with the SDM loss (or a frozen model's
 * embeddings and logits), calibrated by Algorithm 1, returning per input ŷ, q, d, the SDM output, OOD
 * flags and an admission decision for the high-reliability region (lower DKW rule by default).
 */
export class SdmEstimator {
  private core: Core;
  private weightsT?: AdaptorTensors;
  private supportT?: SupportTensors;
  private disposed = false;

  private constructor(core: Core) {
    this.core = core;
  }

  /** Train (unless 'frozen') and calibrate. Every check runs before any tensor is created. */
  static async fit(data: SdmFitData, opts: SdmFitOptions): Promise<SdmEstimator> {
    if (!data || typeof data !== 'object') {
      throw new DroError('E_SPEC', 'data must be an object', { argument: 'data' });
    }
    const hasLogits = data.logits !== undefined;
    const options = resolveOptions(opts, hasLogits, data.calibration !== undefined);
    const C = options.numClasses;
    const main = parseRows(data, 'data', C, []);
    if (main.x.rows === 0) {
      throw new DroError('E_EMPTY', 'data.embeddings has no rows', {
        argument: 'data.embeddings',
        expected: 'at least 2 rows',
      });
    }
    const needLogits = options.appendLogits || options.adaptor === 'frozen';
    const cal = data.calibration ? parseRows(data.calibration, 'data.calibration', C, []) : undefined;
    const ood = data.oodSupport
      ? parseRows(data.oodSupport, 'data.oodSupport', C, [UNLABELED, OOD_LABEL], true)
      : undefined;
    for (const [p, name] of [
      [cal, 'data.calibration'],
      [ood, 'data.oodSupport'],
    ] as const) {
      if (!p) continue;
      checkWidth(p.x, main.x.cols, `${name}.embeddings`);
      if (needLogits && !p.logits && p.x.rows > 0) {
        throw new DroError('E_SPEC', `${name}.logits are required when the training data has logits in use`, {
          argument: `${name}.logits`,
          received: 'undefined',
        });
      }
    }
    if (cal && cal.x.rows === 0) {
      throw new DroError('E_EMPTY', 'data.calibration has no rows', { argument: 'data.calibration.embeddings' });
    }
    const root = createRng(options.seed);
    const splitRng = root.fork('split');
    const makeSplit = (): { tr: Parsed; ca: Parsed } => {
      let tr: Parsed;
      let ca: Parsed;
      if (options.split === 'fixed') {
        tr = main;
        ca = cal!;
      } else {
        const pool = cal ? joinParts(main, cal) : main;
        const perm = new Int32Array(pool.x.rows);
        for (let i = 0; i < perm.length; i++) perm[i] = i;
        splitRng.shuffle(perm);
        const h = Math.floor(perm.length / 2);
        tr = take(pool, perm.subarray(0, h));
        ca = take(pool, perm.subarray(h));
      }
      if (tr.x.rows < 2) {
        throw new DroError('E_EMPTY', 'fewer than 2 support points', {
          argument: 'data.embeddings',
          received: `${tr.x.rows}`,
        });
      }
      checkAllClassesPresent(tr.y, C, 'the training half (D_tr)');
      checkAllClassesPresent(ca.y, C, 'the calibration set (D_ca)');
      return { tr, ca };
    };

    let est: SdmEstimator | undefined;
    try {
      if (options.adaptor === 'frozen') {
        const { tr, ca } = makeSplit();
        const normalization = normalizationFor(tr.x, options.normalize);
        const k = options.maxQ === 'largest-class' ? largestClassCount(tr.y, C) : options.maxQ;
        const core: Core = {
          options,
          numClasses: C,
          alpha: options.alpha,
          decisionRule: options.decisionRule,
          k,
          kind: 'frozen',
          inputDim: main.x.cols,
          exemplarDim: main.x.cols,
          appendLogits: false,
          normalization,
          support: {
            exemplars: applyNormalization(tr.x, normalization),
            labels: tr.y,
            predicted: rowArgmax(tr.logits!.data, tr.x.rows, C),
          },
          calibration: undefined as unknown as CalibrationData,
          region: undefined as unknown as HighReliabilityRegion,
          rng: { seed: options.seed, state: root.getState() },
        };
        if (tr.ids) core.support.ids = tr.ids;
        if (ood)
          SdmEstimator.appendHost(
            core,
            applyNormalization(ood.x, normalization),
            ood.y,
            rowArgmax(ood.logits!.data, ood.x.rows, C),
            ood.ids,
          );
        est = new SdmEstimator(core);
        // Frozen mode: h′ are the (normalised) embeddings and z′ the given logits.
        await est.calibrateExemplars(applyNormalization(ca.x, normalization), ca.logits!.data, ca.y, ca.ids);
        return est;
      }
      const splits: { tr: Parsed; ca: Parsed }[] = [];
      const result = await trainAdaptor(
        (j): Split => {
          const s = makeSplit();
          splits[j] = s;
          return {
            train: { x: inputOf(s.tr, options.appendLogits), y: s.tr.y },
            calibration: { x: inputOf(s.ca, options.appendLogits), y: s.ca.y },
          };
        },
        ood ? ({ x: inputOf(ood, options.appendLogits), y: ood.y } as LabelledRows) : undefined,
        {
          kind: options.adaptor,
          exemplarDim: options.exemplarDim,
          numClasses: C,
          epochs: options.epochs,
          shuffles: options.shuffles,
          batchSize: options.batchSize,
          learningRate: options.learningRate,
          maxQ: options.maxQ,
          normalize: options.normalize,
          chunkSize: options.knnChunkSize ?? undefined,
          onEpochEnd: opts.onEpochEnd,
          signal: opts.signal,
        },
        { init: root.fork('init'), batches: root.fork('batches') },
      );
      const chosen = splits[result.bestShuffle]!;
      const D = result.split.train.x.cols;
      const M = options.adaptor === 'identity' ? D : options.exemplarDim;
      const core: Core = {
        options,
        numClasses: C,
        alpha: options.alpha,
        decisionRule: options.decisionRule,
        k: result.k,
        kind: options.adaptor,
        inputDim: main.x.cols,
        exemplarDim: M,
        appendLogits: options.appendLogits,
        normalization: result.normalization,
        weights: result.weights,
        support: {
          exemplars: { data: new Float32Array(0), rows: 0, cols: M },
          labels: new Int32Array(0),
          predicted: new Int32Array(0),
        },
        calibration: undefined as unknown as CalibrationData,
        region: undefined as unknown as HighReliabilityRegion,
        rng: { seed: options.seed, state: root.getState() },
        training: {
          bestShuffle: result.bestShuffle,
          bestEpoch: result.bestEpoch,
          calibrationBalancedLoss: result.calibrationBalancedLoss,
          history: result.history,
        },
      };
      est = new SdmEstimator(core);
      const w = est.weightTensors();
      const trF = await forwardHost(w, applyNormalization(result.split.train.x, result.normalization), C);
      core.support = {
        exemplars: trF.exemplars,
        labels: chosen.tr.y,
        predicted: rowArgmax(trF.logits, chosen.tr.x.rows, C),
      };
      if (chosen.tr.ids) core.support.ids = chosen.tr.ids;
      if (ood && ood.x.rows > 0) {
        const oF = await forwardHost(
          w,
          applyNormalization(inputOf(ood, options.appendLogits), result.normalization),
          C,
        );
        SdmEstimator.appendHost(core, oF.exemplars, ood.y, rowArgmax(oF.logits, ood.x.rows, C), ood.ids);
      }
      const caF = await forwardHost(w, applyNormalization(result.split.calibration.x, result.normalization), C);
      await est.calibrateExemplars(caF.exemplars, caF.logits, chosen.ca.y, chosen.ca.ids);
      return est;
    } catch (e) {
      est?.dispose();
      throw e;
    }
  }

  private static appendHost(
    core: Core,
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

  private async calibrateExemplars(
    ex: HostMatrix,
    logits: Float32Array,
    labels: Int32Array,
    ids?: string[],
  ): Promise<void> {
    const c = this.core;
    const pred = rowArgmax(logits, ex.rows, c.numClasses);
    const st = await neighbourStatistics(
      ex,
      pred,
      c.support,
      this.supportTensors(),
      Math.min(c.k, c.support.labels.length),
      {
        chunkSize: c.options.knnChunkSize ?? undefined,
      },
    );
    const { calibration, region } = calibrateFromStatistics({
      q: st.q,
      d0: st.d0,
      logits,
      predictions: pred,
      labels,
      numClasses: c.numClasses,
      alpha: c.alpha,
    });
    if (ids) calibration.ids = ids;
    c.calibration = calibration;
    c.region = region;
  }

  private checkLive(what: string): void {
    if (this.disposed) {
      throw new DroError('E_SPEC', `SdmEstimator.${what} called after dispose()`, {
        argument: 'this',
        expected: 'a live estimator',
      });
    }
  }

  private weightTensors(): AdaptorTensors {
    if (!this.weightsT) {
      const c = this.core;
      const D = c.inputDim + (c.appendLogits ? c.numClasses : 0);
      this.weightsT = uploadWeights(c.weights!, D, c.exemplarDim, c.numClasses, false);
    }
    return this.weightsT;
  }

  private supportTensors(): SupportTensors {
    if (!this.supportT) this.supportT = uploadSupport(this.core.support);
    return this.supportT;
  }

  /** Validates predict/addToSupport inputs and maps them to exemplars and logits. */
  private parseQueries(
    embeddings: MatrixInput,
    logits: MatrixInput | undefined,
    what: string,
  ): { x: HostMatrix; z?: HostMatrix } {
    const c = this.core;
    const x = toHostMatrix(embeddings, `${what}.embeddings`);
    checkWidth(x, c.inputDim, `${what}.embeddings`);
    const needLogits = c.kind === 'frozen' || c.appendLogits;
    if (needLogits && logits === undefined) {
      throw new DroError('E_SPEC', `${what} needs logits: the estimator was fitted with them`, {
        argument: `${what}.logits`,
        received: 'undefined',
      });
    }
    if (!needLogits && logits !== undefined) {
      throw new DroError('E_SPEC', `${what} got logits but the estimator was fitted without them`, {
        argument: `${what}.logits`,
        expected: 'undefined',
      });
    }
    if (logits === undefined) return { x };
    const z = toHostMatrix(logits, `${what}.logits`);
    checkRows(z.rows, x.rows, `${what}.logits`, 'embedding row');
    if (z.rows > 0 && z.cols !== c.numClasses) {
      throw new DroError('E_SHAPE', `${what}.logits must have one column per class`, {
        argument: `${what}.logits`,
        expected: `${c.numClasses} columns`,
        received: `${z.cols}`,
      });
    }
    return { x, z };
  }

  /** Exemplars h′ and logits z′ of validated queries. */
  private async exemplarsOf(
    x: HostMatrix,
    z: HostMatrix | undefined,
  ): Promise<{ ex: HostMatrix; logits: Float32Array }> {
    const c = this.core;
    if (c.kind === 'frozen') return { ex: applyNormalization(x, c.normalization), logits: z!.data };
    const input = applyNormalization(c.appendLogits ? concatColumns(x, z!) : x, c.normalization);
    const f = await forwardHost(this.weightTensors(), input, c.numClasses);
    return { ex: f.exemplars, logits: f.logits };
  }

  /** Batch inference (spec §6.3). `logits` are required for 'frozen' and when appendLogits was used. */
  async predict(
    embeddings: MatrixInput,
    logits?: MatrixInput,
    opts: { decisionRule?: DecisionRule } = {},
  ): Promise<SdmPrediction[]> {
    this.checkLive('predict');
    const rule = opts.decisionRule ?? this.core.decisionRule;
    if (rule !== 'lower' && rule !== 'point') {
      throw new DroError('E_SPEC', 'unknown decision rule', {
        argument: 'opts.decisionRule',
        expected: "'lower' | 'point'",
      });
    }
    const { x, z } = this.parseQueries(embeddings, logits, 'predict');
    if (x.rows === 0) return [];
    const c = this.core;
    const C = c.numClasses;
    const { ex, logits: zq } = await this.exemplarsOf(x, z);
    const pred = rowArgmax(zq, x.rows, C);
    const st = await neighbourStatistics(
      ex,
      pred,
      c.support,
      this.supportTensors(),
      Math.min(c.k, c.support.labels.length),
      {
        chunkSize: c.options.knnChunkSize ?? undefined,
      },
    );
    const out: SdmPrediction[] = [];
    for (let i = 0; i < x.rows; i++)
      out.push(this.describe(zq.subarray(i * C, (i + 1) * C), pred[i]!, st.q[i]!, st.d0[i]!, st.nearest[i]!, rule));
    return out;
  }

  /** All per-input quantities from (z′, ŷ, q, d₀) under the stored calibration. */
  private describe(
    z: Float32Array,
    label: number,
    q: number,
    d0: number,
    nearest: number,
    rule: DecisionRule,
  ): SdmPrediction {
    const c = this.core;
    const region = c.region;
    const logits = Float64Array.from(z);
    const d = distanceQuantile(d0, c.calibration.distanceCdfs).d;
    const sdm = sdmProbsHost(logits, q, d);
    const qPrime = rescaledSimilarity(q, sdm[label]!);
    const point = highReliabilityIndicator(qPrime, sdm, label, region);
    const ess = effectiveSampleSizes(qPrime, c.calibration.qPrimeSortedPerClass, c.alpha);
    const { dLower, dUpper } = distanceBounds(d, ess.eps);
    const sdmLower = sdmProbsHost(logits, q, dLower);
    const sdmUpper = sdmProbsHost(logits, q, dUpper);
    const qPrimeLower = rescaledSimilarity(q, sdmLower[label]!);
    const lower = highReliabilityIndicator(qPrimeLower, sdmLower, label, region);
    const ruleD = rule === 'lower' ? dLower : d;
    const ruleProbs = rule === 'lower' ? sdmLower : sdm;
    const isOodBySimilarity = point.isOod;
    const isOodByDistance = ruleD === 0;
    const isOod = isOodBySimilarity || isOodByDistance;
    const valid = rule === 'lower' ? lower.isHighReliability : point.isHighReliability;
    const reliability = valid
      ? 'high'
      : isOod
        ? 'ood'
        : ruleProbs[label]! < NEAR_CHANCE_THRESHOLD
          ? 'near-chance'
          : 'low';
    const p: SdmPrediction = {
      label,
      logits,
      q,
      dNearest: d0,
      d,
      sdmProbs: sdm,
      qPrime,
      floorQPrime: point.floorQPrime,
      isHighReliability: point.isHighReliability,
      effectiveSampleSizes: ess.n,
      sampleSizeErrors: ess.eps,
      dLower,
      dUpper,
      sdmProbsLower: sdmLower,
      sdmProbsUpper: sdmUpper,
      qPrimeLower,
      floorQPrimeLower: lower.floorQPrime,
      isHighReliabilityLower: lower.isHighReliability,
      isOodBySimilarity,
      isOodByDistance,
      isOod,
      valid,
      reliability,
      nearestSupportIndex: nearest,
    };
    const id = c.support.ids?.[nearest];
    if (id) p.nearestSupportId = id;
    return p;
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

  /** Appends points to the support set without retraining (spec §4.15); labels in [0, C) ∪ {−1, −99}. */
  async addToSupport(embeddings: MatrixInput, labels: LabelInput, logits?: MatrixInput, ids?: string[]): Promise<void> {
    this.checkLive('addToSupport');
    const { x, z } = this.parseQueries(embeddings, logits, 'addToSupport');
    const y = toLabels(labels, 'addToSupport.labels');
    checkRows(y.length, x.rows, 'addToSupport.labels', 'embedding row');
    checkLabelRange(y, this.core.numClasses, 'addToSupport.labels', [UNLABELED, OOD_LABEL]);
    if (ids !== undefined) {
      if (!Array.isArray(ids) || !ids.every((s) => typeof s === 'string')) {
        throw new DroError('E_SPEC', 'ids must be an array of strings', { argument: 'ids' });
      }
      checkRows(ids.length, x.rows, 'ids', 'embedding row');
    }
    if (x.rows === 0) return;
    const { ex, logits: zq } = await this.exemplarsOf(x, z);
    SdmEstimator.appendHost(this.core, ex, y, rowArgmax(zq, x.rows, this.core.numClasses), ids);
    disposeSupport(this.supportT);
    this.supportT = undefined;
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
    const s = this.core.support;
    const idx: number[] = [];
    for (let i = 0; i < s.labels.length; i++) if (s.labels[i]! >= 0) idx.push(i);
    const self = Int32Array.from(idx);
    const ex = takeRows(s.exemplars, self);
    const pred = Int32Array.from(idx, (i) => s.predicted[i]!);
    const st = await neighbourStatistics(
      ex,
      pred,
      s,
      this.supportTensors(),
      Math.min(this.core.k, s.labels.length - 1),
      {
        selfIndices: self,
        chunkSize: this.core.options.knnChunkSize ?? undefined,
      },
    );
    return { q: st.q, d0: st.d0 };
  }

  /** Headline numbers of the fitted estimator. */
  summary(): {
    numClasses: number;
    alpha: number;
    decisionRule: DecisionRule;
    regionFound: boolean;
    qPrimeMin: number;
    thresholds: number[];
    supportSize: number;
    calibrationSize: number;
    bestShuffle: number;
    bestEpoch: number;
    calibrationBalancedLoss: number;
    calibrationAccuracy: number;
    calibrationOodFraction: number;
    emptyDistanceClasses: number[];
  } {
    this.checkLive('summary');
    const c = this.core;
    const k = c.calibration;
    const n = k.labels.length;
    let hits = 0;
    let ood = 0;
    for (let i = 0; i < n; i++) {
      if (k.predicted[i] === k.labels[i]) hits++;
      if (k.isOod[i]) ood++;
    }
    return {
      numClasses: c.numClasses,
      alpha: c.alpha,
      decisionRule: c.decisionRule,
      regionFound: c.region.found,
      qPrimeMin: c.region.qPrimeMin,
      thresholds: Array.from(c.region.thresholds),
      supportSize: c.support.labels.length,
      calibrationSize: n,
      bestShuffle: c.training?.bestShuffle ?? 0,
      bestEpoch: c.training?.bestEpoch ?? -1,
      calibrationBalancedLoss: c.training?.calibrationBalancedLoss ?? Number.NaN,
      calibrationAccuracy: n > 0 ? hits / n : 0,
      calibrationOodFraction: n > 0 ? ood / n : 0,
      emptyDistanceClasses: k.distanceCdfs.flatMap((s, i) => (s.length === 0 ? [i] : [])),
    };
  }

  /** Plain JSON state (spec §7). */
  getState(): SdmEstimatorState {
    this.checkLive('getState');
    const c = this.core;
    const enc = (a: Float32Array | undefined, shape: number[]) => (a === undefined ? undefined : encodeF32(a, shape));
    const D = c.inputDim + (c.appendLogits ? c.numClasses : 0);
    const w = c.weights;
    const state: SdmEstimatorState = {
      kind: 'sdm-estimator',
      version: 1,
      options: { ...c.options },
      numClasses: c.numClasses,
      alpha: c.alpha,
      decisionRule: c.decisionRule,
      maxQResolved: c.k,
      adaptor: {
        kind: c.kind,
        inputDim: c.inputDim,
        exemplarDim: c.exemplarDim,
        appendLogits: c.appendLogits,
        normalize: { ...c.normalization },
      },
      support: {
        exemplars: encodeF32(c.support.exemplars.data, [c.support.labels.length, c.exemplarDim]),
        labels: Array.from(c.support.labels),
        predicted: Array.from(c.support.predicted),
      },
      calibration: {
        labels: Array.from(c.calibration.labels),
        predicted: Array.from(c.calibration.predicted),
        q: Array.from(c.calibration.q),
        d0: Array.from(c.calibration.d0),
        d: Array.from(c.calibration.d),
        sdmProbs: c.calibration.sdmProbs.map((r) => Array.from(r)),
        qPrime: Array.from(c.calibration.qPrime),
        distanceCdfs: c.calibration.distanceCdfs.map((r) => Array.from(r)),
        qPrimeSortedPerClass: c.calibration.qPrimeSortedPerClass.map((r) => Array.from(r)),
        isOod: Array.from(c.calibration.isOod),
      },
      region: {
        alpha: c.region.alpha,
        found: c.region.found,
        qPrimeMin: Number.isFinite(c.region.qPrimeMin) ? c.region.qPrimeMin : null,
        thresholds: Array.from(c.region.thresholds),
        classConditionalAccuracy: c.region.classConditionalAccuracy,
      },
      rng: { seed: c.rng.seed, state: c.rng.state },
    };
    if (w) {
      state.adaptor.weights = {
        W2: enc(w.W2, [w.W1 ? c.exemplarDim : D, c.numClasses])!,
        b2: enc(w.b2, [c.numClasses])!,
      };
      if (w.W1) state.adaptor.weights.W1 = enc(w.W1, [D, c.exemplarDim]);
      if (w.b1) state.adaptor.weights.b1 = enc(w.b1, [c.exemplarDim]);
    }
    if (c.support.ids) state.support.ids = [...c.support.ids];
    if (c.calibration.ids) state.calibration.ids = [...c.calibration.ids];
    if (c.training) state.training = { ...c.training, history: c.training.history.map((h) => ({ ...h })) };
    return JSON.parse(JSON.stringify(state)) as SdmEstimatorState;
  }

  /** = getState(), so JSON.stringify(estimator) works. */
  toJSON(): SdmEstimatorState {
    return this.getState();
  }

  /** Rebuilds an estimator whose every output is identical (spec §7). */
  static fromState(state: SdmEstimatorState): SdmEstimator {
    validateState(state);
    const s = state;
    const C = s.numClasses;
    const M = s.adaptor.exemplarDim;
    const D = s.adaptor.inputDim + (s.adaptor.appendLogits ? C : 0);
    let weights: AdaptorWeights | undefined;
    if (s.adaptor.weights) {
      const w = s.adaptor.weights;
      weights = { W2: decodeF32(w.W2, 'state.adaptor.weights.W2'), b2: decodeF32(w.b2, 'state.adaptor.weights.b2') };
      if (w.W1) weights.W1 = decodeF32(w.W1, 'state.adaptor.weights.W1');
      if (w.b1) weights.b1 = decodeF32(w.b1, 'state.adaptor.weights.b1');
      const hidden = weights.W1 ? M : D;
      if (weights.W2.length !== hidden * C || (weights.W1 && weights.W1.length !== D * M)) {
        throw new DroError('E_SHAPE', 'adaptor weights do not match the stored dimensions', {
          argument: 'state.adaptor.weights',
        });
      }
    }
    const cal = s.calibration;
    const calibration: CalibrationData = {
      labels: Int32Array.from(cal.labels),
      predicted: Int32Array.from(cal.predicted),
      q: Float64Array.from(cal.q),
      d0: Float64Array.from(cal.d0),
      d: Float64Array.from(cal.d),
      sdmProbs: cal.sdmProbs.map((r) => Float64Array.from(r)),
      qPrime: Float64Array.from(cal.qPrime),
      distanceCdfs: cal.distanceCdfs.map((r) => Float64Array.from(r)),
      qPrimeSortedPerClass: cal.qPrimeSortedPerClass.map((r) => Float64Array.from(r)),
      isOod: Uint8Array.from(cal.isOod),
    };
    if (cal.ids) calibration.ids = [...cal.ids];
    const n = s.support.labels.length;
    const core: Core = {
      options: { ...s.options },
      numClasses: C,
      alpha: s.alpha,
      decisionRule: s.decisionRule,
      k: s.maxQResolved,
      kind: s.adaptor.kind,
      inputDim: s.adaptor.inputDim,
      exemplarDim: M,
      appendLogits: s.adaptor.appendLogits,
      normalization: { ...s.adaptor.normalize },
      support: {
        exemplars: {
          data: Float32Array.from(decodeF32(s.support.exemplars, 'state.support.exemplars')),
          rows: n,
          cols: M,
        },
        labels: Int32Array.from(s.support.labels),
        predicted: Int32Array.from(s.support.predicted),
      },
      calibration,
      region: {
        alpha: s.region.alpha,
        found: s.region.found,
        qPrimeMin: s.region.qPrimeMin === null ? Number.POSITIVE_INFINITY : s.region.qPrimeMin,
        thresholds: Float64Array.from(s.region.thresholds),
        classConditionalAccuracy: s.region.classConditionalAccuracy,
      },
      rng: { seed: s.rng.seed, state: s.rng.state },
    };
    if (weights) core.weights = weights;
    if (s.support.ids) core.support.ids = [...s.support.ids];
    if (s.training) core.training = { ...s.training, history: s.training.history.map((h) => ({ ...h })) };
    return new SdmEstimator(core);
  }

  /** Node only: writes the JSON state atomically (temporary file + rename). */
  async save(path: string): Promise<void> {
    this.checkLive('save');
    const text = JSON.stringify(this.getState());
    const node = await loadNodeHelpers();
    await node.writeFileAtomic(path, text);
  }

  /** Node only: reads a state written by {@link save}. */
  static async load(path: string): Promise<SdmEstimator> {
    const node = await loadNodeHelpers();
    let text: string;
    try {
      text = await node.readFile(path, 'utf8');
    } catch (e) {
      throw new DroError('E_IO', `cannot read ${path}`, { argument: 'path', cause: e });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new DroError('E_SPEC', `${path} is not JSON`, { argument: 'path', cause: e });
    }
    return SdmEstimator.fromState(parsed as SdmEstimatorState);
  }

  /** Releases the estimator's tensors; any later call throws DroError E_SPEC. */
  dispose(): void {
    disposeWeights(this.weightsT);
    disposeSupport(this.supportT);
    this.weightsT = undefined;
    this.supportT = undefined;
    this.disposed = true;
  }
}

async function loadNodeHelpers(): Promise<{
  writeFileAtomic: (path: string, data: string) => void | Promise<void>;
  readFile: (path: string, enc: 'utf8') => Promise<string>;
}> {
  const isNode = typeof globalThis.process === 'object' && typeof globalThis.process?.versions?.node === 'string';
  if (!isNode) {
    throw new DroError('E_SPEC', 'save/load need Node.js', { argument: 'path', expected: 'a Node.js runtime' });
  }
  const coreNode = '@drojs/dro-core/node';
  const fsName = 'node:fs/promises';
  const [m, fs] = await Promise.all([
    import(/* @vite-ignore */ coreNode) as Promise<{
      writeFileAtomic?: (p: string, d: string) => void | Promise<void>;
    }>,
    import(/* @vite-ignore */ fsName) as Promise<{ readFile: (p: string, e: 'utf8') => Promise<string> }>,
  ]);
  if (typeof m.writeFileAtomic !== 'function') {
    throw new DroError('E_SPEC', 'writeFileAtomic is missing from @drojs/dro-core/node', { argument: 'path' });
  }
  return { writeFileAtomic: m.writeFileAtomic, readFile: fs.readFile };
}
