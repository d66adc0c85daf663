import {
  applyClassifier,
  type Classifier,
  checkNumClasses,
  checkOptions,
  DroError,
  describeValue,
  type Rng,
} from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkCount } from './checks.js';
import { fillNoise, type NoiseInput, type NoiseSpec, toNoiseSpec } from './noise.js';
import { SAMPLE_SCHEMA } from './optionSchemas.js';
import {
  checkRunControl,
  type Progress,
  type RandomSource,
  type RunControl,
  resolveRandom,
  throwIfAborted,
  yieldToEventLoop,
} from './random.js';

/** Wall-clock split of a sampling loop (milliseconds). */
export interface SampleTiming {
  noiseMs: number;
  forwardMs: number;
}

/** @internal One sampling phase over an already validated example. */
export interface VoteJob {
  model: Classifier;
  /** The example (no batch axis), in the model's input space. */
  base: tf.Tensor;
  /** Optional 0/1 mask of the coordinates that get noise (DRS masked layout). */
  noiseMask?: tf.Tensor;
  num: number;
  numClasses: number;
  noise: NoiseSpec;
  rng: Rng;
  batchSize: number;
  phase: Progress['phase'];
  side?: Progress['side'];
  control: RunControl;
  timing?: SampleTiming;
}

/**
 * @internal SAMPLEUNDERNOISE: counts of the base classifier's argmax over `num` noisy copies, in batches.
 * Noise is drawn on the host into a fresh buffer per batch; counts are reduced on the device and read
 * once per batch together with a non-finite flag for the logits.
 */
export async function countVotes(job: VoteJob): Promise<Int32Array> {
  const { model, base, num, numClasses: k, noise, rng, batchSize, control } = job;
  const counts = new Int32Array(k);
  const d = base.size;
  let done = 0;
  while (done < num) {
    throwIfAborted(control.signal);
    const b = Math.min(batchSize, num - done);
    const t0 = performance.now();
    const buf = new Float32Array(b * d);
    fillNoise(buf, noise, rng);
    const t1 = performance.now();
    const out = tf.tidy(() => {
      let e: tf.Tensor = tf.tensor(buf, [b, ...base.shape], 'float32');
      if (job.noiseMask) e = tf.mul(e, job.noiseMask);
      const xb = tf.add(tf.expandDims(base, 0), e);
      const logits = applyClassifier(model, xb);
      if (!(logits instanceof tf.Tensor) || logits.rank !== 2 || logits.shape[0] !== b || logits.shape[1] !== k) {
        throw new DroError('E_SHAPE', 'model output has the wrong shape', {
          argument: 'model',
          expected: `logits [${b}, ${k}] (batch, numClasses)`,
          received: logits instanceof tf.Tensor ? `[${logits.shape.join(', ')}]` : describeValue(logits),
        });
      }
      const f = tf.cast(logits, 'float32');
      const bad = tf.reshape(tf.cast(tf.any(tf.logicalNot(tf.isFinite(f))), 'int32'), [1]);
      const c = tf.sum(tf.oneHot(tf.argMax(f, 1), k, 1, 0, 'int32'), 0);
      return tf.concat([c, bad]);
    });
    let v: Int32Array;
    try {
      v = (await out.data()) as Int32Array;
    } finally {
      out.dispose();
    }
    const t2 = performance.now();
    if (job.timing) {
      job.timing.noiseMs += t1 - t0;
      job.timing.forwardMs += t2 - t1;
    }
    if (v[k] !== 0) {
      throw new DroError('E_NONFINITE', 'model returned non-finite logits', {
        argument: 'model',
        expected: 'finite logits',
        received: 'NaN or ±Infinity',
      });
    }
    for (let i = 0; i < k; i++) counts[i] = (counts[i] as number) + (v[i] as number);
    done += b;
    control.onProgress?.({ phase: job.phase, ...(job.side ? { side: job.side } : {}), done, total: num });
    await yieldToEventLoop();
  }
  throwIfAborted(control.signal);
  return counts;
}

/** Input shape a LayersModel expects (without the batch axis), when it can be read. */
function modelInputShape(model: Classifier): (number | null)[] | undefined {
  const m = model as { inputs?: { shape: (number | null)[] }[] };
  if (typeof model === 'function' || !Array.isArray(m.inputs) || m.inputs.length !== 1) return undefined;
  return m.inputs[0]?.shape.slice(1);
}

/** @internal Throws E_SHAPE when a LayersModel declares an input shape other than `shape` (one example). */
export function checkModelInput(model: Classifier, shape: number[], argument: string): void {
  const want = modelInputShape(model);
  if (want && (want.length !== shape.length || want.some((d, i) => d !== null && d !== shape[i]))) {
    throw new DroError('E_SHAPE', `${argument} does not take the inputs it would be given`, {
      argument,
      expected: `a model input [?, ${shape.join(', ')}]`,
      received: `[?, ${want.map((d) => d ?? '?').join(', ')}]`,
    });
  }
}

/** @internal Validates a classifier argument. */
export function checkModel(model: unknown, argument = 'model'): Classifier {
  const ok =
    typeof model === 'function' ||
    (model !== null && typeof model === 'object' && typeof (model as { predict?: unknown }).predict === 'function');
  if (!ok)
    throw new DroError('E_SPEC', `${argument} must be a LayersModel or a function`, {
      argument,
      received: describeValue(model),
    });
  return model as Classifier;
}

/**
 * @internal Validates one example: a float32 tensor without a batch axis, finite, matching a
 * LayersModel's input shape when the model declares one.
 */
export function checkExample(x: unknown, model: Classifier | undefined, argument = 'x'): tf.Tensor {
  if (!(x instanceof tf.Tensor))
    throw new DroError('E_DTYPE', `${argument} must be a tensor`, { argument, received: describeValue(x) });
  if (x.isDisposed) throw new DroError('E_DTYPE', `${argument} is disposed`, { argument });
  if (x.dtype !== 'float32')
    throw new DroError('E_DTYPE', `${argument} must be float32`, { argument, expected: 'float32', received: x.dtype });
  if (x.size === 0)
    throw new DroError('E_SHAPE', `${argument} is empty`, { argument, received: `[${x.shape.join(', ')}]` });
  const want = model ? modelInputShape(model) : undefined;
  if (want && (want.length !== x.rank || want.some((d, i) => d !== null && d !== x.shape[i]))) {
    throw new DroError('E_SHAPE', `${argument} does not match the model input (one example, no batch axis)`, {
      argument,
      expected: `[${want.map((d) => d ?? '?').join(', ')}]`,
      received: `[${x.shape.join(', ')}]`,
    });
  }
  const v = x.dataSync();
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i] as number)) {
      throw new DroError('E_NONFINITE', `${argument}[${i}] is not finite`, {
        argument,
        expected: 'finite values',
        received: describeValue(v[i]),
      });
    }
  }
  return x;
}

/** Options of {@link sampleCounts}. */
export interface SampleOptions extends RunControl, RandomSource {
  numClasses: number;
  noise: NoiseInput;
  /** Default 1000. */
  batchSize?: number;
}

/**
 * Class counts of the base classifier over `num` noisy copies of `x` (one fresh stream from the seed or
 * rng). `x` is one example without a batch axis; ties between logits go to the lowest index.
 */
export async function sampleCounts(
  model: Classifier,
  x: tf.Tensor,
  num: number,
  opts: SampleOptions,
): Promise<Int32Array> {
  checkModel(model);
  checkOptions(opts, SAMPLE_SCHEMA, 'sampleCounts');
  checkCount(num, 'num');
  const numClasses = checkNumClasses(opts.numClasses);
  const noise = toNoiseSpec(opts.noise);
  const batchSize = checkCount(opts.batchSize ?? 1000, 'batchSize');
  checkRunControl(opts);
  checkExample(x, model);
  const src = resolveRandom(opts);
  try {
    const counts = await countVotes({
      model,
      base: x,
      num,
      numClasses,
      noise,
      rng: src.rng.fork('sample'),
      batchSize,
      phase: 'estimation',
      control: opts,
    });
    src.rng.u32();
    return counts;
  } catch (e) {
    src.restore();
    throw e;
  }
}
