// SdmEstimator.fit: the train/calibration split, adaptor training (or the frozen model's features) and
// calibration by Algorithm 1. Every check runs before any tensor is created.
import { createRng, DroError } from '@drojs/dro-core';
import { applyNormalization, forwardHost } from './adaptor.js';
import { type CalibrationData, calibrateFromStatistics } from './calibration.js';
import { OOD_LABEL, UNLABELED } from './constants.js';
import { appendSupport, type Core, type CoreBase, CoreTensors } from './estimatorCore.js';
import { checkWidth, inputOf, joinParts, type Parsed, parseRows, type SdmFitData, take } from './fitData.js';
import { type HostMatrix, rowArgmax } from './hostMatrix.js';
import { neighbourStatistics } from './neighbours.js';
import { resolveOptions, type SdmFitOptions } from './options.js';
import type { HighReliabilityRegion } from './region.js';
import {
  checkAllClassesPresent,
  type LabelledRows,
  largestClassCount,
  normalizationFor,
  type Split,
  trainAdaptor,
} from './train.js';

/**
 * Algorithm 1 on calibration exemplars h′ and logits z′ against the core's support set: the stored
 * calibration statistics and the high-reliability region.
 */
export async function calibrate(
  c: CoreBase,
  tensors: CoreTensors,
  ex: HostMatrix,
  logits: Float32Array,
  labels: Int32Array,
  ids?: string[],
): Promise<{ calibration: CalibrationData; region: HighReliabilityRegion }> {
  const pred = rowArgmax(logits, ex.rows, c.numClasses);
  const st = await neighbourStatistics(
    ex,
    pred,
    c.support,
    tensors.supportOf(c),
    Math.min(c.k, c.support.labels.length),
    { chunkSize: c.options.knnChunkSize ?? undefined },
  );
  const { calibration, region } = calibrateFromStatistics({
    q: st.q,
    d0: st.d0,
    logits,
    predictions: pred,
    labels,
    numClasses: c.numClasses,
    alpha: c.alpha,
    oodRate: c.options.oodRate,
  });
  if (ids) calibration.ids = ids;
  return { calibration, region };
}

/** Validated data of one fit call. */
interface FitInputs {
  main: Parsed;
  cal?: Parsed;
  ood?: Parsed;
}

function parseFitData(data: SdmFitData, numClasses: number, needLogits: boolean): FitInputs {
  const main = parseRows(data, 'data', numClasses);
  if (main.x.rows === 0) {
    throw new DroError('E_EMPTY', 'data.embeddings has no rows', {
      argument: 'data.embeddings',
      expected: 'at least 2 rows',
    });
  }
  const cal = data.calibration ? parseRows(data.calibration, 'data.calibration', numClasses) : undefined;
  const ood = data.oodSupport
    ? parseRows(data.oodSupport, 'data.oodSupport', numClasses, [UNLABELED, OOD_LABEL], true)
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
  return { main, cal, ood };
}

/** Fits an estimator's host data and returns it with the tensors uploaded on the way. */
export async function fitCore(data: SdmFitData, opts: SdmFitOptions): Promise<{ core: Core; tensors: CoreTensors }> {
  if (!data || typeof data !== 'object') {
    throw new DroError('E_SPEC', 'data must be an object', { argument: 'data' });
  }
  const options = resolveOptions(opts, data.logits !== undefined, data.calibration !== undefined);
  // Logits given with appendLogits: false would be dropped here and then refused by predict; say so now.
  if (options.adaptor !== 'frozen' && !options.appendLogits) {
    const given =
      data.logits !== undefined
        ? 'data.logits'
        : data.calibration?.logits !== undefined
          ? 'data.calibration.logits'
          : null;
    if (given) {
      throw new DroError(
        'E_SPEC',
        `${given} is given but appendLogits is false, so it would be ignored; drop it or append it`,
        {
          argument: given,
          expected: 'no logits with appendLogits: false',
        },
      );
    }
  }
  const C = options.numClasses;
  const { main, cal, ood } = parseFitData(data, C, options.appendLogits || options.adaptor === 'frozen');
  const root = createRng(options.seed);
  const splitRng = root.fork('split');
  const makeSplit = (): { tr: Parsed; ca: Parsed } => {
    let tr: Parsed;
    let ca: Parsed;
    if (options.split === 'fixed') {
      tr = main;
      ca = cal as Parsed;
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

  const tensors = new CoreTensors();
  try {
    if (options.adaptor === 'frozen') {
      const { tr, ca } = makeSplit();
      const normalization = normalizationFor(tr.x, options.normalize);
      const base: CoreBase = {
        options,
        numClasses: C,
        alpha: options.alpha,
        decisionRule: options.decisionRule,
        k: options.maxQ === 'largest-class' ? largestClassCount(tr.y, C) : options.maxQ,
        kind: 'frozen',
        inputDim: main.x.cols,
        exemplarDim: main.x.cols,
        appendLogits: false,
        normalization,
        support: {
          exemplars: applyNormalization(tr.x, normalization),
          labels: tr.y,
          predicted: rowArgmax((tr.logits as HostMatrix).data, tr.x.rows, C),
        },
        rng: { seed: options.seed, state: root.getState() },
      };
      if (tr.ids) base.support.ids = tr.ids;
      if (ood) {
        const oodLogits = (ood.logits as HostMatrix).data;
        appendSupport(
          base,
          applyNormalization(ood.x, normalization),
          ood.y,
          rowArgmax(oodLogits, ood.x.rows, C),
          ood.ids,
        );
      }
      // Frozen mode: h′ are the (normalised) embeddings and z′ the given logits.
      const caLogits = (ca.logits as HostMatrix).data;
      const fitted = await calibrate(base, tensors, applyNormalization(ca.x, normalization), caLogits, ca.y, ca.ids);
      return { core: { ...base, ...fitted }, tensors };
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
    const chosen = splits[result.bestShuffle] as { tr: Parsed; ca: Parsed };
    const M = options.adaptor === 'identity' ? result.split.train.x.cols : options.exemplarDim;
    const base: CoreBase = {
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
      rng: { seed: options.seed, state: root.getState() },
      training: {
        bestShuffle: result.bestShuffle,
        bestEpoch: result.bestEpoch,
        calibrationBalancedLoss: result.calibrationBalancedLoss,
        history: result.history,
      },
    };
    const w = tensors.weightsOf(base);
    const trF = await forwardHost(w, applyNormalization(result.split.train.x, result.normalization), C);
    base.support = {
      exemplars: trF.exemplars,
      labels: chosen.tr.y,
      predicted: rowArgmax(trF.logits, chosen.tr.x.rows, C),
    };
    if (chosen.tr.ids) base.support.ids = chosen.tr.ids;
    if (ood && ood.x.rows > 0) {
      const oF = await forwardHost(w, applyNormalization(inputOf(ood, options.appendLogits), result.normalization), C);
      appendSupport(base, oF.exemplars, ood.y, rowArgmax(oF.logits, ood.x.rows, C), ood.ids);
    }
    const caF = await forwardHost(w, applyNormalization(result.split.calibration.x, result.normalization), C);
    const fitted = await calibrate(base, tensors, caF.exemplars, caF.logits, chosen.ca.y, chosen.ca.ids);
    return { core: { ...base, ...fitted }, tensors };
  } catch (e) {
    tensors.dispose();
    throw e;
  }
}
