import {
  classifierFeatures,
  diagnoseRegion,
  type RegionDiagnosis,
  SDM_CPU_SETTINGS,
  SdmEstimator,
  type SdmPrediction,
  type SdmSummary,
} from '@drojs/sdm';
import { type CertRecord, certifyDataset, trainWithNoise } from '@drojs/smoothing';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { PipelineConfig } from './config.js';
import { loadPipelineData, NUM_CLASSES, PIXELS, type PipelineData, type Rows } from './data.js';
import { ldrTrainingLoss } from './losses.js';
import { buildMlp } from './model.js';
import type { PointOutcome } from './quadrants.js';

/** SDM's two ways of judging: a trained linear adaptor, or frozen (the model's own logits and label). */
export type SdmMode = 'adaptor' | 'frozen';

/** What one SDM mode produced on the evaluation images. */
export interface SdmRun {
  mode: SdmMode;
  summary: SdmSummary;
  /** Why no region exists at α′ (binding class, its ψ, the largest α′ with a region); computed always. */
  diagnosis: RegionDiagnosis;
  predictions: SdmPrediction[];
  /**
   * When no region exists at α′: the predictions after `recalibrate` to the diagnosed largest α′ with a
   * region (rounded down to 0.01), the documented next step; undefined otherwise.
   */
  recalibrated?: { alpha: number; predictions: SdmPrediction[] };
  /** SDM's own fit-time warnings (why nothing can be admitted), from `onWarning`. */
  warnings: string[];
  /** Count of each `reliability` status on the evaluation images. */
  statuses: Record<string, number>;
  fitSeconds: number;
  predictSeconds: number;
}

/** Everything the report needs. */
export interface PipelineResult {
  cfg: PipelineConfig;
  source: string;
  flipRate: number;
  trainLoss: number[];
  /** The base model's accuracy on the clean evaluation images (no noise). */
  cleanAccuracy: number;
  /** The base model's class for each clean evaluation image. */
  modelPredictions: Int32Array;
  /** The clean labels of the evaluation images. */
  evaluationLabels: Int32Array;
  certificates: CertRecord[];
  sdm: Record<SdmMode, SdmRun>;
  /** Seconds per stage. */
  seconds: Record<'data' | 'train' | 'certify' | 'features' | 'sdmAdaptor' | 'sdmFrozen', number>;
}

const now = () => performance.now() / 1000;

/**
 * The logits of `rows` and SDM's exemplar: [h1 ; h2] scaled to unit length per image (`normalize: 'l2'`,
 * cosine geometry). Why unit length: SDM's d is the minimum over the 10 classes of each class's distance
 * quantile, and the raw ReLU activations of some classes spread far less than others', so the tightest class
 * deflated d for every image (full mode, frozen: median d 0.04, no region at α′ = 0.95, largest 0.920); on unit
 * rows the spreads are comparable (median d 0.10, a region at 0.95). The logits are untouched.
 */
export function featuresOf(model: tfl.Sequential, rows: Rows): { embeddings: tf.Tensor2D; logits: tf.Tensor2D } {
  return tf.tidy(() =>
    classifierFeatures(model, tf.tensor2d(rows.x, [rows.n, PIXELS]), {
      embed: ['h1', 'h2'],
      normalize: 'l2',
      batchSize: 500,
    }),
  );
}

function argmaxRows(logits: Float32Array, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < NUM_CLASSES; c++)
      if ((logits[i * NUM_CLASSES + c] as number) > (logits[i * NUM_CLASSES + best] as number)) best = c;
    out[i] = best;
  }
  return out;
}

export async function fitSdm(
  mode: SdmMode,
  cfg: PipelineConfig,
  feats: Record<'support' | 'calibration' | 'evaluation', { embeddings: tf.Tensor2D; logits: tf.Tensor2D }>,
  data: PipelineData,
): Promise<SdmRun> {
  const t0 = now();
  const warnings: string[] = [];
  const onWarning = (w: string) => warnings.push(w);
  const common = { numClasses: NUM_CLASSES, alpha: cfg.sdmAlpha, decisionRule: 'lower' as const, seed: cfg.seed };
  // Frozen mode judges the model's logits. The adaptor learns its own from the exemplars alone: appended to
  // unit-length rows, the model's logits (tens in size) would swamp the exemplar distances after SDM's
  // global scaling (measured, full mode: largest α′ with a region 0.83 with them, 0.91 without).
  const frozen = mode === 'frozen';
  const { support, calibration } = feats;
  const est = frozen
    ? await SdmEstimator.fitFrozen(
        {
          embeddings: support.embeddings,
          logits: support.logits,
          labels: data.support.y,
          calibration: { embeddings: calibration.embeddings, logits: calibration.logits, labels: data.calibration.y },
        },
        { ...common, onWarning },
      )
    : await SdmEstimator.fit(
        {
          embeddings: support.embeddings,
          labels: data.support.y,
          calibration: { embeddings: calibration.embeddings, labels: data.calibration.y },
        },
        { ...SDM_CPU_SETTINGS, ...common, epochs: cfg.sdmEpochs, split: 'fixed', onWarning },
      );
  const fitSeconds = now() - t0;
  const t1 = now();
  const evaluate = () =>
    frozen
      ? est.predict(feats.evaluation.embeddings, feats.evaluation.logits)
      : est.predict(feats.evaluation.embeddings);
  const predictions = await evaluate();
  const predictSeconds = now() - t1;
  const summary = est.summaryStats();
  const diagnosis = diagnoseRegion({ ...est.calibrationDetails(), alpha: cfg.sdmAlpha, numClasses: NUM_CLASSES });
  let recalibrated: SdmRun['recalibrated'];
  if (!summary.regionFound && diagnosis.largestAlpha !== null && diagnosis.largestAlpha > 0.51) {
    const alpha = Math.floor(diagnosis.largestAlpha * 100) / 100;
    est.recalibrate(alpha);
    recalibrated = { alpha, predictions: await evaluate() };
  }
  est.dispose();
  const statuses: Record<string, number> = {
    high: 0,
    ood: 0,
    'insufficient-evidence': 0,
    'no-support': 0,
    'near-chance': 0,
    low: 0,
  };
  for (const p of predictions) statuses[p.reliability] = (statuses[p.reliability] ?? 0) + 1;
  return { mode, summary, diagnosis, predictions, recalibrated, warnings, statuses, fitSeconds, predictSeconds };
}

/**
 * The MLP trained with ldr-loss's LDR-KL under Gaussian noise σ through smoothing's `trainWithNoise` (its
 * `loss` option) on the noisy training images; one seed fixes initial weights and batch order.
 */
export async function trainModel(
  cfg: PipelineConfig,
  data: PipelineData,
  log: (line: string) => void,
): Promise<{ model: tfl.Sequential; loss: number[] }> {
  const model = buildMlp(cfg.hidden, `${cfg.seed}/mlp-init`);
  const xs = tf.tensor2d(data.train.x, [data.train.n, PIXELS]);
  const ys = tf.tensor1d(data.train.y, 'int32');
  const optimizer = tf.train.adam(cfg.learningRate);
  const trained = await trainWithNoise(model, xs, ys, {
    noise: cfg.sigma,
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    seed: `${cfg.seed}/train`,
    optimizer,
    loss: ldrTrainingLoss,
    onEpochEnd: (e, l) =>
      log(
        `  epoch ${e + 1}/${cfg.epochs}: LDR-KL loss ${l.loss.toFixed(4)}, noisy-input acc. ${l.noisyAccuracy.toFixed(3)}`,
      ),
  });
  optimizer.dispose();
  tf.dispose([xs, ys]);
  return { model, loss: trained.loss };
}

/**
 * Noisy labels → an MLP trained with ldr-loss's LDR-KL under Gaussian noise (smoothing's `trainWithNoise`
 * with its `loss` option) → CERTIFY with randomized smoothing → SDM with a trained adaptor and in frozen
 * mode. `log` receives progress lines.
 */
export async function runPipeline(cfg: PipelineConfig, log: (line: string) => void): Promise<PipelineResult> {
  let t = now();
  const data = await loadPipelineData(cfg);
  const seconds = { data: now() - t, train: 0, certify: 0, features: 0, sdmAdaptor: 0, sdmFrozen: 0 };
  log(
    `data: ${data.source}; ${data.train.n} noisy training images (${(100 * data.train.flipRate).toFixed(1)} % flipped), ` +
      `${data.support.n} clean support, ${data.calibration.n} calibration, ${data.evaluation.n} evaluation`,
  );

  t = now();
  const { model, loss: trainLoss } = await trainModel(cfg, data, log);
  seconds.train = now() - t;

  t = now();
  const evalX = tf.tensor2d(data.evaluation.x, [data.evaluation.n, PIXELS]);
  const certificates = await certifyDataset(model, evalX, data.evaluation.y, {
    numClasses: NUM_CLASSES,
    noise: cfg.sigma,
    n0: cfg.n0,
    n: cfg.n,
    alpha: cfg.certAlpha,
    batchSize: 1000,
    seed: `${cfg.seed}/certify`,
  });
  evalX.dispose();
  seconds.certify = now() - t;

  t = now();
  const feats = {
    support: featuresOf(model, data.support),
    calibration: featuresOf(model, data.calibration),
    evaluation: featuresOf(model, data.evaluation),
  };
  const evalPred = argmaxRows(feats.evaluation.logits.dataSync() as Float32Array, data.evaluation.n);
  const cleanAccuracy = evalPred.filter((p, i) => p === data.evaluation.y[i]).length / data.evaluation.n;
  seconds.features = now() - t;

  const adaptor = await fitSdm('adaptor', cfg, feats, data);
  seconds.sdmAdaptor = adaptor.fitSeconds + adaptor.predictSeconds;
  const frozen = await fitSdm('frozen', cfg, feats, data);
  seconds.sdmFrozen = frozen.fitSeconds + frozen.predictSeconds;
  for (const f of Object.values(feats)) tf.dispose([f.embeddings, f.logits]);
  model.dispose();
  return {
    cfg,
    source: data.source,
    flipRate: data.train.flipRate,
    trainLoss,
    cleanAccuracy,
    modelPredictions: evalPred,
    evaluationLabels: data.evaluation.y,
    certificates,
    sdm: { adaptor, frozen },
    seconds,
  };
}

/** Each evaluation point's certificate and one SDM mode's verdict, side by side. */
export function outcomes(result: PipelineResult, mode: SdmMode): PointOutcome[] {
  const preds = result.sdm[mode].predictions;
  return result.certificates.map((c, i) => {
    const p = preds[i] as SdmPrediction;
    return { label: c.label, smoothedPrediction: c.prediction, radius: c.radius, sdmLabel: p.label, admitted: p.valid };
  });
}
