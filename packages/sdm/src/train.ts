import { checkAborted, DroError, type Rng } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  type AdaptorTensors,
  type AdaptorWeights,
  adaptorForward,
  applyNormalization,
  disposeWeights,
  downloadWeights,
  forwardHost,
  globalMoments,
  initAdaptorWeights,
  type Normalization,
  uploadWeights,
} from './adaptor.js';
import { SOFTMAX_EQUIVALENT_Q } from './constants.js';
import { buildDistanceCdfs, distanceQuantile } from './distance.js';
import { concatRows, type HostMatrix, rowArgmax, takeRows } from './hostMatrix.js';
import { sdmLoss, sdmLossHost } from './loss.js';
import { disposeSupport, type HostSupport, neighbourStatistics, uploadSupport } from './neighbours.js';

/** One epoch's record in the training history. */
export interface EpochRecord {
  shuffle: number;
  epoch: number;
  calibrationBalancedLoss: number;
  calibrationAccuracy: number;
  medianQ: number;
  fractionQZero: number;
}

/** What `onEpochEnd` receives. */
export interface EpochInfo extends EpochRecord {
  seconds: number;
}

/** Labelled rows (inputs already include appended logits when that option is on). */
export interface LabelledRows {
  x: HostMatrix;
  y: Int32Array;
}

export interface TrainConfig {
  kind: 'linear' | 'identity';
  exemplarDim: number;
  numClasses: number;
  epochs: number;
  shuffles: number;
  batchSize: number;
  learningRate: number;
  maxQ: number | 'largest-class';
  normalize: 'global' | 'none';
  chunkSize?: number;
  onEpochEnd?: (info: EpochInfo) => void;
  signal?: AbortSignal;
}

/** A 50/50 split (or the given one) of the labelled rows into D_tr and D_ca. */
export interface Split {
  train: LabelledRows;
  calibration: LabelledRows;
}

export interface TrainResult {
  weights: AdaptorWeights;
  normalization: Normalization;
  split: Split;
  k: number;
  bestShuffle: number;
  bestEpoch: number;
  calibrationBalancedLoss: number;
  history: EpochRecord[];
}

/** Largest class count of a label array (for maxQ: 'largest-class'). */
export function largestClassCount(y: Int32Array, numClasses: number): number {
  const counts = new Int32Array(numClasses);
  for (const v of y) if (v >= 0 && v < numClasses) counts[v]! += 1;
  return Math.max(1, ...counts);
}

/** E_EMPTY unless every class occurs in `y`. */
export function checkAllClassesPresent(y: Int32Array, numClasses: number, argument: string): void {
  const seen = new Uint8Array(numClasses);
  for (const v of y) if (v >= 0 && v < numClasses) seen[v] = 1;
  const missing = [...seen.keys()].filter((c) => !seen[c]);
  if (missing.length > 0) {
    throw new DroError('E_EMPTY', `a class has no example in ${argument}`, {
      argument,
      expected: `every class 0..${numClasses - 1}`,
      received: `missing ${missing.join(', ')}`,
    });
  }
}

/** Global normalisation statistics of D_tr (E_SPEC for σ = 0). */
export function normalizationFor(x: HostMatrix, mode: 'global' | 'none'): Normalization {
  if (mode === 'none') return { mode, mean: 0, std: 1 };
  const { mean, std } = globalMoments(x);
  if (!(std > 0)) {
    throw new DroError('E_SPEC', 'the training inputs have zero spread; use normalize: "none"', {
      argument: 'embeddings',
      expected: 'a standard deviation > 0 over all entries',
      received: String(std),
    });
  }
  return { mode, mean, std };
}

/**
 * One Adam step on the mean SDM loss of a batch (q and d are constants). Exported for the leak test.
 */
export function sdmTrainStep(
  optimizer: tf.Optimizer,
  weights: AdaptorTensors,
  x: tf.Tensor2D,
  y: tf.Tensor1D,
  q: tf.Tensor1D,
  d: tf.Tensor1D,
): void {
  const vars: tf.Tensor[] = [];
  for (const v of [weights.W1, weights.b1, weights.W2, weights.b2]) if (v !== undefined) vars.push(v);
  optimizer.minimize(
    () => {
      const { exemplars, logits } = adaptorForward(weights, x);
      exemplars.dispose();
      return sdmLoss(logits, y, q, d) as tf.Scalar;
    },
    false,
    vars as tf.Variable[],
  );
}

function median(v: Float64Array): number {
  if (v.length === 0) return 0;
  const s = Float64Array.from(v).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** Per-epoch q/d of D_tr (self-excluded, training CDFs) and of D_ca (calibration CDFs), spec §4.9 step 4. */
async function epochStatistics(
  weights: AdaptorTensors,
  tr: LabelledRows,
  ca: LabelledRows,
  ood: LabelledRows | undefined,
  numClasses: number,
  k: number,
  chunkSize: number | undefined,
): Promise<{ qTr: Float64Array; dTr: Float64Array; qCa: Float64Array; dCa: Float64Array; zCa: Float32Array }> {
  const ftr = await forwardHost(weights, tr.x, numClasses);
  const fca = await forwardHost(weights, ca.x, numClasses);
  const predTr = rowArgmax(ftr.logits, tr.x.rows, numClasses);
  const predCa = rowArgmax(fca.logits, ca.x.rows, numClasses);
  let support: HostSupport = { exemplars: ftr.exemplars, labels: tr.y, predicted: predTr };
  if (ood && ood.x.rows > 0) {
    const fo = await forwardHost(weights, ood.x, numClasses);
    support = {
      exemplars: concatRows([ftr.exemplars, fo.exemplars], ftr.exemplars.cols),
      labels: Int32Array.from([...tr.y, ...ood.y]),
      predicted: Int32Array.from([...predTr, ...rowArgmax(fo.logits, ood.x.rows, numClasses)]),
    };
  }
  const st = uploadSupport(support);
  try {
    const ns = support.labels.length;
    const self = new Int32Array(tr.x.rows);
    for (let i = 0; i < self.length; i++) self[i] = i;
    const a = await neighbourStatistics(ftr.exemplars, predTr, support, st, Math.min(k, ns - 1), {
      selfIndices: self,
      chunkSize,
    });
    const b = await neighbourStatistics(fca.exemplars, predCa, support, st, Math.min(k, ns), { chunkSize });
    const trCdfs = buildDistanceCdfs(a.d0, a.q, tr.y, numClasses);
    const caCdfs = buildDistanceCdfs(b.d0, b.q, ca.y, numClasses);
    const dTr = a.d0.map((v) => distanceQuantile(v, trCdfs).d);
    const dCa = b.d0.map((v) => distanceQuantile(v, caCdfs).d);
    return { qTr: a.q, dTr, qCa: b.q, dCa, zCa: fca.logits };
  } finally {
    disposeSupport(st);
  }
}

/**
 * Trains the exemplar adaptor (spec §4.9): J splits, fresh init and Adam each, E epochs with q and d
 * recomputed after every epoch, selection of the epoch and split with the lowest balanced SDM loss on
 * D_ca (ties → later). Returns the selected weights and split; calibration is done by the caller.
 */
export async function trainAdaptor(
  makeSplit: (shuffle: number) => Split,
  ood: LabelledRows | undefined,
  cfg: TrainConfig,
  streams: { init: Rng; batches: Rng },
): Promise<TrainResult> {
  const C = cfg.numClasses;
  let best: TrainResult | undefined;
  const history: EpochRecord[] = [];
  for (let j = 0; j < cfg.shuffles; j++) {
    checkAborted(cfg.signal, 'SdmEstimator.fit');
    const split = makeSplit(j);
    const normalization = normalizationFor(split.train.x, cfg.normalize);
    const tr: LabelledRows = { x: applyNormalization(split.train.x, normalization), y: split.train.y };
    const ca: LabelledRows = { x: applyNormalization(split.calibration.x, normalization), y: split.calibration.y };
    const oo = ood ? { x: applyNormalization(ood.x, normalization), y: ood.y } : undefined;
    const k = cfg.maxQ === 'largest-class' ? largestClassCount(tr.y, C) : cfg.maxQ;
    const D = tr.x.cols;
    const M = cfg.kind === 'identity' ? D : cfg.exemplarDim;
    const init = initAdaptorWeights(cfg.kind, D, M, C, streams.init);
    const vars = uploadWeights(init, D, M, C, true);
    const optimizer = tf.train.adam(cfg.learningRate, 0.9, 0.999, 1e-8);
    try {
      const n = tr.x.rows;
      let qTr: Float64Array = new Float64Array(n).fill(SOFTMAX_EQUIVALENT_Q);
      let dTr: Float64Array = new Float64Array(n).fill(1);
      let bestLoss = Number.POSITIVE_INFINITY;
      let bestEpoch = -1;
      let bestWeights: AdaptorWeights | undefined;
      const order = new Int32Array(n);
      for (let e = 0; e < cfg.epochs; e++) {
        const t0 = Date.now();
        for (let i = 0; i < n; i++) order[i] = i;
        streams.batches.shuffle(order);
        for (let s = 0; s < n; s += cfg.batchSize) {
          checkAborted(cfg.signal, 'SdmEstimator.fit');
          const idx = order.subarray(s, Math.min(n, s + cfg.batchSize));
          const xb = takeRows(tr.x, idx);
          const yb = new Int32Array(idx.length);
          const qb = new Float32Array(idx.length);
          const db = new Float32Array(idx.length);
          for (let i = 0; i < idx.length; i++) {
            yb[i] = tr.y[idx[i]!]!;
            qb[i] = qTr[idx[i]!]!;
            db[i] = dTr[idx[i]!]!;
          }
          tf.tidy(() =>
            sdmTrainStep(
              optimizer,
              vars,
              tf.tensor2d(xb.data, [idx.length, D]),
              tf.tensor1d(yb, 'int32'),
              tf.tensor1d(qb),
              tf.tensor1d(db),
            ),
          );
        }
        const st = await epochStatistics(vars, tr, ca, oo, C, k, cfg.chunkSize);
        qTr = st.qTr;
        dTr = st.dTr;
        const zRows: Float32Array[] = [];
        for (let i = 0; i < ca.x.rows; i++) zRows.push(st.zCa.subarray(i * C, (i + 1) * C));
        const loss = sdmLossHost(zRows, ca.y, st.qCa, st.dCa, C).balanced;
        const predCa = rowArgmax(st.zCa, ca.x.rows, C);
        let hits = 0;
        let zeros = 0;
        for (let i = 0; i < ca.x.rows; i++) {
          if (predCa[i] === ca.y[i]) hits++;
          if (st.qCa[i] === 0) zeros++;
        }
        const rec: EpochRecord = {
          shuffle: j,
          epoch: e,
          calibrationBalancedLoss: loss,
          calibrationAccuracy: hits / ca.x.rows,
          medianQ: median(st.qCa),
          fractionQZero: zeros / ca.x.rows,
        };
        history.push(rec);
        if (loss <= bestLoss) {
          bestLoss = loss;
          bestEpoch = e;
          bestWeights = await downloadWeights(vars);
        }
        cfg.onEpochEnd?.({ ...rec, seconds: (Date.now() - t0) / 1000 });
      }
      if (bestWeights && (best === undefined || bestLoss <= best.calibrationBalancedLoss)) {
        best = {
          weights: bestWeights,
          normalization,
          split,
          k,
          bestShuffle: j,
          bestEpoch,
          calibrationBalancedLoss: bestLoss,
          history,
        };
      }
    } finally {
      disposeWeights(vars);
      optimizer.dispose();
    }
  }
  if (!best) {
    throw new DroError('E_INTERNAL', 'training selected no model (non-finite calibration loss)', {
      argument: 'embeddings',
    });
  }
  best.history = history;
  return best;
}
