import {
  accuracy,
  BestBy,
  batches,
  checkAborted,
  GroupDroWeights,
  gatherRows,
  groupBalancedBatches,
  groupMeans,
  groupStats,
  type Rng,
  worstGroup,
} from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { createMlp, crossEntropyPerRow, type Mlp } from './mlp.js';
import { type GroupedSplit, N_GROUPS, PIXELS } from './spuriousData.js';

/** Objective × sampling: the two knobs are independent (dro-core spec §5/§16). */
export interface Method {
  objective: 'erm' | 'group-dro';
  sampling: 'uniform' | 'group-balanced';
}

export const METHODS: readonly Method[] = [
  { objective: 'erm', sampling: 'uniform' },
  { objective: 'erm', sampling: 'group-balanced' },
  { objective: 'group-dro', sampling: 'uniform' },
  { objective: 'group-dro', sampling: 'group-balanced' },
];

export const methodName = (m: Method): string =>
  `${m.objective === 'erm' ? 'ERM' : 'Group DRO'}${m.sampling === 'group-balanced' ? ' + balanced' : ''}`;

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  /** Coefficient of (1/2)·‖W‖² added to the loss (biases excluded). */
  weightDecay: number;
  hidden: number;
  /** Group DRO step size η_q. */
  etaQ: number;
  signal?: AbortSignal;
}

export interface Evaluation {
  avg: number;
  worst: number;
  worstGroup: number;
  perGroup: number[];
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  val: Evaluation;
  test: Evaluation;
  /** Group DRO weights at the end of the epoch (uniform for ERM). */
  q: number[];
}

export interface RunResult {
  method: Method;
  history: EpochRecord[];
  /** Epoch selected by worst-group validation accuracy (`BestBy`) and its records. */
  best: EpochRecord;
  last: EpochRecord;
  seconds: number;
}

export interface Tensors {
  x: tf.Tensor2D;
  oneHot: tf.Tensor2D;
  split: GroupedSplit;
}

export function uploadSplit(split: GroupedSplit): Tensors {
  const oneHot = new Float32Array(split.n * 2);
  for (let i = 0; i < split.n; i++) oneHot[2 * i + split.y[i]!] = 1;
  return { x: tf.tensor2d(split.x, [split.n, PIXELS]), oneHot: tf.tensor2d(oneHot, [split.n, 2]), split };
}

/** Average and per-group accuracy; the worst group is the one with the lowest accuracy. */
export function evaluate(apply: (x: tf.Tensor2D) => tf.Tensor2D, data: Tensors): Evaluation {
  const logits = apply(data.x);
  try {
    const avg = accuracy(logits, data.split.y);
    const z = logits.dataSync();
    const correct = new Float64Array(data.split.n);
    for (let i = 0; i < data.split.n; i++) correct[i] = (z[2 * i + 1]! > z[2 * i]! ? 1 : 0) === data.split.y[i] ? 1 : 0;
    const stats = groupStats(correct, data.split.g, N_GROUPS);
    const w = worstGroup(stats, 'min');
    return { avg, worst: w.value, worstGroup: w.group, perGroup: stats.map((s) => s.mean) };
  } finally {
    logits.dispose();
  }
}

/**
 * One optimisation step on a batch of training indices: per-row cross-entropy, reduced by the plain mean
 * (ERM) or by Group DRO (`groupMeans` then `GroupDroWeights.step`, q held constant in the gradient), plus
 * the ℓ2 penalty. Returns the objective's value. Leaves no tensors behind.
 */
export function makeTrainStep(
  model: Mlp,
  optimizer: tf.Optimizer,
  train: Tensors,
  opts: Pick<TrainOptions, 'weightDecay'>,
  gdro?: GroupDroWeights,
): (idx: Int32Array) => number {
  const g = train.split.g;
  return (idx) => {
    const ids = Int32Array.from(idx, (i) => g[i]!);
    const xb = gatherRows(train.x, idx);
    const yb = gatherRows(train.oneHot, idx);
    try {
      const cost = optimizer.minimize(
        () => {
          const losses = crossEntropyPerRow(model.apply(xb), yb);
          let objective: tf.Scalar;
          if (gdro) {
            const { means } = groupMeans(losses, ids, N_GROUPS);
            objective = gdro.step(means).loss;
          } else {
            objective = tf.mean(losses) as tf.Scalar;
          }
          return tf.add(objective, tf.mul(opts.weightDecay / 2, model.l2())) as tf.Scalar;
        },
        true,
        model.variables,
      )!;
      const value = cost.dataSync()[0]!;
      cost.dispose();
      return value;
    } finally {
      tf.dispose([xb, yb]);
    }
  };
}

/**
 * Trains one MLP with the given method. Every method of a seed starts from the same initial weights
 * (`rng.fork('init')`); batches come from `rng.fork('batches')`.
 */
export function trainRun(
  data: { train: Tensors; val: Tensors; test: Tensors },
  method: Method,
  opts: TrainOptions,
  rng: Rng,
  onEpoch?: (r: EpochRecord) => void,
): RunResult {
  const t0 = performance.now();
  const model = createMlp({ input: PIXELS, hidden: opts.hidden, output: 2 }, rng.fork('init'));
  const batchRng = rng.fork('batches');
  const optimizer = tf.train.adam(opts.lr);
  const gdro =
    method.objective === 'group-dro' ? new GroupDroWeights({ nGroups: N_GROUPS, etaQ: opts.etaQ }) : undefined;
  const step = makeTrainStep(model, optimizer, data.train, opts, gdro);
  const best = new BestBy({ mode: 'max' });
  const history: EpochRecord[] = [];
  const { train } = data;
  try {
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      const stream =
        method.sampling === 'uniform'
          ? batches(train.split.n, { batchSize: opts.batchSize, rng: batchRng })
          : groupBalancedBatches(train.split.g, { batchSize: opts.batchSize, rng: batchRng, nGroups: N_GROUPS });
      let lossSum = 0;
      let steps = 0;
      for (const idx of stream) {
        checkAborted(opts.signal, 'training');
        lossSum += step(idx);
        steps++;
      }
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / Math.max(steps, 1),
        val: evaluate(model.apply, data.val),
        test: evaluate(model.apply, data.test),
        q: gdro ? Array.from(gdro.weights()) : new Array<number>(N_GROUPS).fill(1 / N_GROUPS),
      };
      best.update(record.val.worst, epoch);
      history.push(record);
      onEpoch?.(record);
    }
  } finally {
    model.dispose();
    optimizer.dispose();
  }
  return {
    method,
    history,
    best: history[(best.step ?? 1) - 1]!,
    last: history[history.length - 1]!,
    seconds: (performance.now() - t0) / 1000,
  };
}
