import {
  type Classifier,
  checkOptions,
  checkSeed,
  createRng,
  DroError,
  describeValue,
  type LabelsInput,
  type Seed,
  toLabels,
} from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkCount } from '../checks.js';
import {
  type DualCertifyResult,
  type DualRandomizedSmoothingOptions,
  dualCertifyCore,
  resolveDrsOptions,
} from '../dual/dualRandomizedSmoothing.js';
import { checkSplitInput, subInputShape } from '../dual/split.js';
import { DATASET_SCHEMA, DRS_SCHEMA, pick, RS_SCHEMA } from '../optionSchemas.js';
import { checkRunControl, type RunControl } from '../random.js';
import {
  type CertifyResult,
  certifyCore,
  type RandomizedSmoothingOptions,
  resolveRsOptions,
} from '../randomizedSmoothing.js';
import { checkModel, checkModelInput } from '../sample.js';
import type { CertRecord } from './curves.js';

/** Options of the dataset loops. */
export interface DatasetOptions extends RunControl {
  /** Required (a non-negative safe integer or a string): example i uses streams derived from (seed, i) alone. */
  seed: Seed;
  /** Certify every skip-th example (default 1). */
  skip?: number;
  /** Stop after this many certified examples. */
  max?: number;
  /** Records already done (e.g. parsed from a partial log); their indices are skipped. */
  resumeFrom?: CertRecord[];
  /** Called with each new record (e.g. to append to a log). */
  onExample?: (r: CertRecord) => void;
  /** Called with each full result (counts and bounds), for comparisons computed from the same counts. */
  onResult?: (index: number, r: CertifyResult | DualCertifyResult) => void;
}

function checkDataset(
  xs: unknown,
  labels: unknown,
  numClasses: number,
  opts: DatasetOptions,
  caller: string,
): { n: number; labels: Int32Array } {
  if (!(xs instanceof tf.Tensor))
    throw new DroError('E_DTYPE', `${caller}: xs must be a tensor`, { argument: 'xs', received: describeValue(xs) });
  if (xs.dtype !== 'float32')
    throw new DroError('E_DTYPE', 'xs must be float32', { argument: 'xs', received: xs.dtype });
  if (xs.rank < 2)
    throw new DroError('E_SHAPE', 'xs must have a batch axis', {
      argument: 'xs',
      received: `[${xs.shape.join(', ')}]`,
    });
  const n = xs.shape[0] as number;
  if (n === 0) throw new DroError('E_EMPTY', 'xs is empty', { argument: 'xs' });
  const lab = toLabels(labels, 'labels', caller, { numClasses, length: n });
  checkSeed(opts.seed);
  checkCount(opts.skip ?? 1, 'skip');
  if (opts.max !== undefined) checkCount(opts.max, 'max');
  checkRunControl(opts);
  const v = xs.dataSync();
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i] as number))
      throw new DroError('E_NONFINITE', `xs holds a non-finite value at flat index ${i}`, { argument: 'xs' });
  }
  return { n, labels: lab };
}

/** Indices to certify: 0, skip, 2·skip, …, minus those resumed, limited to max in total. */
function plan(n: number, opts: DatasetOptions): { todo: number[]; done: CertRecord[] } {
  const skip = opts.skip ?? 1;
  const done = (opts.resumeFrom ?? []).slice();
  const have = new Set(done.map((r) => r.index));
  const todo: number[] = [];
  const max = opts.max ?? Number.POSITIVE_INFINITY;
  let count = 0;
  for (let i = 0; i < n && count < max; i += skip) {
    count++;
    if (!have.has(i)) todo.push(i);
  }
  return { todo, done };
}

async function loop(
  xs: tf.Tensor,
  labels: ArrayLike<number>,
  opts: DatasetOptions,
  n: number,
  one: (x: tf.Tensor, i: number) => Promise<CertifyResult | DualCertifyResult>,
): Promise<CertRecord[]> {
  const { todo, done } = plan(n, opts);
  const out = done;
  for (const i of todo) {
    const x = tf.tidy(() => tf.squeeze(tf.slice(xs, [i], [1]), [0]));
    let r: CertifyResult | DualCertifyResult;
    try {
      r = await one(x, i);
    } finally {
      x.dispose();
    }
    const rec: CertRecord = {
      index: i,
      label: labels[i] as number,
      prediction: r.prediction,
      radius: r.radius,
      timeMs: r.timeMs,
    };
    out.push(rec);
    opts.onResult?.(i, r);
    opts.onExample?.(rec);
  }
  return out.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
}

/** Per-example stream root: depends on (seed, i) only, not on skip, max, resumption or order. */
function exampleRng(seed: Seed, i: number) {
  return createRng(seed).fork(`example/${i}`);
}

/**
 * RS CERTIFY over a dataset `xs` ([N, ...inputShape], float32) with integer labels (a Tensor1D, an array or
 * an Int32Array). Returns the records
 * (resumed ones included), sorted by index.
 */
export async function certifyDataset(
  model: Classifier,
  xs: tf.Tensor,
  labels: LabelsInput,
  opts: Omit<RandomizedSmoothingOptions, 'seed'> & DatasetOptions,
): Promise<CertRecord[]> {
  checkModel(model);
  checkOptions(opts, { ...RS_SCHEMA, ...DATASET_SCHEMA }, 'certifyDataset');
  const o = resolveRsOptions(pick(opts, RS_SCHEMA));
  const { n, labels: lab } = checkDataset(xs, labels, o.numClasses, opts, 'certifyDataset');
  const m = model as { inputs?: { shape: (number | null)[] }[] };
  if (typeof model !== 'function' && Array.isArray(m.inputs) && m.inputs.length === 1) {
    const want = m.inputs[0]?.shape.slice(1) ?? [];
    const got = xs.shape.slice(1);
    if (want.length !== got.length || want.some((d, i) => d !== null && d !== got[i])) {
      throw new DroError('E_SHAPE', 'xs does not match the model input', {
        argument: 'xs',
        expected: `[N, ${want.join(', ')}]`,
        received: `[${xs.shape.join(', ')}]`,
      });
    }
  }
  return loop(xs, lab, opts, n, (x, i) => certifyCore(model, x, o, exampleRng(opts.seed, i), opts));
}

/** DRS CERTIFY (sound rule) over a dataset; as {@link certifyDataset}. */
export async function dualCertifyDataset(
  modelL: Classifier,
  modelR: Classifier,
  xs: tf.Tensor,
  labels: LabelsInput,
  opts: Omit<DualRandomizedSmoothingOptions, 'seed'> & DatasetOptions,
): Promise<CertRecord[]> {
  checkModel(modelL, 'modelL');
  checkModel(modelR, 'modelR');
  checkOptions(opts, { ...DRS_SCHEMA, ...DATASET_SCHEMA }, 'dualCertifyDataset');
  const o = resolveDrsOptions(pick(opts, DRS_SCHEMA));
  const { n, labels: lab } = checkDataset(xs, labels, o.numClasses, opts, 'dualCertifyDataset');
  checkSplitInput(o.split, xs, true, 'xs');
  checkModelInput(modelL, subInputShape(o.split, 'left'), 'modelL');
  checkModelInput(modelR, subInputShape(o.split, 'right'), 'modelR');
  return loop(xs, lab, opts, n, (x, i) => dualCertifyCore(modelL, modelR, x, o, exampleRng(opts.seed, i), opts));
}
