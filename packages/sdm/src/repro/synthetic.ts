/**
 * Synthetic reproduction of spec §11.1 (internal): 3 Gaussian classes in 32 dimensions with 15% "hard"
 * points between neighbouring classes, a logistic-regression frozen model, covariate shift and a far-OOD
 * cluster. All draws come from one seeded dro-core stream in the order the spec lists.
 */
import { createRng, type Rng } from '@drojs/dro-core';
import {
  argmax,
  conformalSingletonAdmit,
  fitTemperature,
  selectiveMetrics,
  softmaxHost,
  softmaxThresholdAdmit,
} from '../baselines.js';
import { SdmEstimator, type SdmPrediction } from '../estimator.js';

export const C = 3;
export const D = 32;

export interface Dataset {
  x: number[][];
  y: number[];
}

function makeData(rng: Rng, means: number[][], n: number): Dataset {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = rng.int(C);
    y.push(c);
    x.push(means[c]!.map((m) => m + rng.normal()));
  }
  for (const i of rng.choice(n, Math.floor(0.15 * n))) {
    const [a, b] = rng.int(2) === 0 ? [0, 1] : [1, 2];
    const lambda = 0.35 + 0.3 * rng.uniform();
    y[i] = rng.int(2) === 0 ? a! : b!;
    x[i] = means[a!]!.map((m, j) => lambda * m + (1 - lambda) * means[b!]![j]! + rng.normal());
  }
  return { x, y };
}

/** Multinomial logistic regression trained on the host (zero init, Adam lr 0.05, batch 64, 30 epochs, L2 1e-4). */
export function trainLogistic(data: Dataset, rng: Rng): (x: number[]) => number[] {
  const P = (D + 1) * C;
  const w = new Float64Array(P);
  const m = new Float64Array(P);
  const v = new Float64Array(P);
  const [b1, b2, lr, eps] = [0.9, 0.999, 0.05, 1e-8];
  const logits = (x: number[]) =>
    Array.from({ length: C }, (_, c) => {
      let s = w[D * C + c]!;
      for (let j = 0; j < D; j++) s += x[j]! * w[j * C + c]!;
      return s;
    });
  const n = data.y.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  let t = 0;
  for (let e = 0; e < 30; e++) {
    rng.shuffle(order);
    for (let s = 0; s < n; s += 64) {
      const idx = order.subarray(s, Math.min(n, s + 64));
      const g = new Float64Array(P);
      for (const i of idx) {
        const x = data.x[i]!;
        const p = softmaxHost(logits(x));
        for (let c = 0; c < C; c++) {
          const r = (p[c]! - (data.y[i] === c ? 1 : 0)) / idx.length;
          for (let j = 0; j < D; j++) g[j * C + c]! += r * x[j]!;
          g[D * C + c]! += r;
        }
      }
      for (let k = 0; k < D * C; k++) g[k]! += 1e-4 * w[k]!;
      t++;
      for (let k = 0; k < P; k++) {
        m[k] = b1 * m[k]! + (1 - b1) * g[k]!;
        v[k] = b2 * v[k]! + (1 - b2) * g[k]! ** 2;
        w[k] = w[k]! - (lr * (m[k]! / (1 - b1 ** t))) / (Math.sqrt(v[k]! / (1 - b2 ** t)) + eps);
      }
    }
  }
  return logits;
}

export interface SetResult {
  name: string;
  noReject: number;
  softmax: ReturnType<typeof selectiveMetrics>;
  temperature: ReturnType<typeof selectiveMetrics>;
  mondrianLac: ReturnType<typeof selectiveMetrics>;
  aps: ReturnType<typeof selectiveMetrics>;
  trained: {
    point: ReturnType<typeof selectiveMetrics>;
    lower: ReturnType<typeof selectiveMetrics>;
    lowerImpliesPoint: boolean;
  };
  frozen: {
    point: ReturnType<typeof selectiveMetrics>;
    lower: ReturnType<typeof selectiveMetrics>;
    lowerImpliesPoint: boolean;
  };
}

export interface SyntheticResult {
  seed: number;
  temperature: number;
  trainedRegion: { found: boolean; qPrimeMin: number; thresholds: number[] };
  frozenRegion: { found: boolean; qPrimeMin: number; thresholds: number[] };
  sets: SetResult[];
}

function sdmMetrics(p: SdmPrediction[], y: number[]) {
  const labels = p.map((r) => r.label);
  return {
    point: selectiveMetrics(
      p.map((r) => r.isHighReliability),
      labels,
      y,
      C,
    ),
    lower: selectiveMetrics(
      p.map((r) => r.isHighReliabilityLower),
      labels,
      y,
      C,
    ),
    lowerImpliesPoint: p.every((r) => !r.isHighReliabilityLower || r.isHighReliability),
  };
}

/** Row counts of the §11.1 protocol (the spec's sizes by default). */
export interface SyntheticSizes {
  frozenTrain: number;
  pool: number;
  calibration: number;
  test: number;
  far: number;
}

/** The spec's sizes (§11.1). */
export const SPEC_SIZES: SyntheticSizes = { frozenTrain: 2000, pool: 4000, calibration: 2000, test: 2000, far: 2000 };

/**
 * Runs the whole §11.1 protocol for one seed on the current backend. `sizes`, `epochs` and `shuffles` shrink
 * it for the unit suite (the same assertions on fewer points); the defaults are the spec's.
 */
export async function runSynthetic(
  seed: number,
  opts: { epochs?: number; shuffles?: number; sizes?: SyntheticSizes } = {},
): Promise<SyntheticResult> {
  const n = opts.sizes ?? SPEC_SIZES;
  const rng = createRng(seed);
  const means = Array.from({ length: C }, () => Array.from({ length: D }, () => 0.6 * rng.normal()));
  const frozenTrain = makeData(rng, means, n.frozenTrain);
  const pool = makeData(rng, means, n.pool);
  const baseCal = makeData(rng, means, n.calibration);
  const test = makeData(rng, means, n.test);
  const u = Array.from({ length: D }, () => rng.normal());
  const un = Math.sqrt(u.reduce((s, x) => s + x * x, 0));
  const shift: Dataset = { x: test.x.map((r) => r.map((v, j) => v + (4 * u[j]!) / un)), y: test.y };
  const centre = Array.from({ length: D }, () => 3 * 0.6 * rng.normal());
  const far: Dataset = {
    x: Array.from({ length: n.far }, () => centre.map((c) => c + rng.normal())),
    // No class: never counted as a correct prediction by selectiveMetrics.
    y: new Array(n.far).fill(-1),
  };
  const model = trainLogistic(frozenTrain, rng.fork('frozen-model'));
  const lg = (d: Dataset) => d.x.map(model);

  const poolLogits = lg(pool);
  const trained = await SdmEstimator.fit(
    { embeddings: pool.x, labels: pool.y, logits: poolLogits },
    {
      numClasses: C,
      exemplarDim: 32,
      maxQ: 256,
      learningRate: 1e-3,
      batchSize: 50,
      epochs: opts.epochs ?? 15,
      shuffles: opts.shuffles ?? 2,
      alpha: 0.95,
      seed,
    },
  );
  const frozen = await SdmEstimator.fit(
    { embeddings: pool.x, labels: pool.y, logits: poolLogits },
    { numClasses: C, adaptor: 'frozen', maxQ: 256, alpha: 0.95, seed },
  );
  try {
    const calLogits = lg(baseCal);
    const T = fitTemperature(calLogits, baseCal.y);
    const calProbs = calLogits.map((z) => softmaxHost(z));
    const sets: SetResult[] = [];
    for (const [name, data] of [
      ['ID test', test],
      ['shift +4u', shift],
      ['far OOD', far],
    ] as const) {
      const z = lg(data);
      const pred = z.map((r) => argmax(r));
      const probs = z.map((r) => softmaxHost(r));
      const tp = await trained.predict(data.x, z);
      const fp = await frozen.predict(data.x, z);
      sets.push({
        name,
        noReject: selectiveMetrics(new Uint8Array(pred.length).fill(1), pred, data.y, C).marginalAccuracy ?? 0,
        softmax: selectiveMetrics(softmaxThresholdAdmit(z, 0.95), pred, data.y, C),
        temperature: selectiveMetrics(softmaxThresholdAdmit(z, 0.95, T), pred, data.y, C),
        mondrianLac: selectiveMetrics(
          conformalSingletonAdmit(calProbs, baseCal.y, probs, 0.95, { score: 'lac', mondrian: true }),
          pred,
          data.y,
          C,
        ),
        aps: selectiveMetrics(
          conformalSingletonAdmit(calProbs, baseCal.y, probs, 0.95, { score: 'aps' }),
          pred,
          data.y,
          C,
        ),
        trained: sdmMetrics(tp, data.y),
        frozen: sdmMetrics(fp, data.y),
      });
    }
    const reg = (e: SdmEstimator) => {
      const r = e.region;
      return { found: r.found, qPrimeMin: r.qPrimeMin, thresholds: Array.from(r.thresholds) };
    };
    return { seed, temperature: T, trainedRegion: reg(trained), frozenRegion: reg(frozen), sets };
  } finally {
    trained.dispose();
    frozen.dispose();
  }
}
