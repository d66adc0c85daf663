import type { Rng } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import type { HostMatrix } from './hostMatrix.js';

/** Adaptor kinds: the paper's linear D→M→C, the identity ablation (D→C), or no training at all. */
export type AdaptorKind = 'linear' | 'identity' | 'frozen';

/** Host copies of the adaptor weights (float32), row-major [fanIn, fanOut]. */
export interface AdaptorWeights {
  W1?: Float32Array;
  b1?: Float32Array;
  W2: Float32Array;
  b2: Float32Array;
}

/** Tensor versions of the weights (variables while training, constants after). */
export interface AdaptorTensors {
  W1?: tf.Tensor2D;
  b1?: tf.Tensor1D;
  W2: tf.Tensor2D;
  b2: tf.Tensor1D;
}

/** Global scalar normalisation (spec §4.1). */
export interface Normalization {
  mode: 'global' | 'none';
  mean: number;
  std: number;
}

function uniformInit(n: number, fanIn: number, rng: Rng): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * rng.uniform() - 1) * bound;
  return out;
}

/** PyTorch-default initialisation U(−1/√f, 1/√f) drawn on the host from the seeded stream (spec §4.2). */
export function initAdaptorWeights(
  kind: 'linear' | 'identity',
  inputDim: number,
  exemplarDim: number,
  numClasses: number,
  rng: Rng,
): AdaptorWeights {
  if (kind === 'identity') {
    return { W2: uniformInit(inputDim * numClasses, inputDim, rng), b2: uniformInit(numClasses, inputDim, rng) };
  }
  return {
    W1: uniformInit(inputDim * exemplarDim, inputDim, rng),
    b1: uniformInit(exemplarDim, inputDim, rng),
    W2: uniformInit(exemplarDim * numClasses, exemplarDim, rng),
    b2: uniformInit(numClasses, exemplarDim, rng),
  };
}

/** Uploads host weights as tensors (or trainable variables). */
export function uploadWeights(
  w: AdaptorWeights,
  inputDim: number,
  exemplarDim: number,
  numClasses: number,
  trainable: boolean,
): AdaptorTensors {
  const mk = <T extends tf.Tensor>(t: T): T => (trainable ? (tf.variable(t, true) as unknown as T) : t);
  const hidden = w.W1 === undefined ? inputDim : exemplarDim;
  const out: AdaptorTensors = {
    W2: tf.tidy(() => mk(tf.tensor2d(w.W2, [hidden, numClasses]))),
    b2: tf.tidy(() => mk(tf.tensor1d(w.b2))),
  };
  if (w.W1 !== undefined && w.b1 !== undefined) {
    out.W1 = tf.tidy(() => mk(tf.tensor2d(w.W1!, [inputDim, exemplarDim])));
    out.b1 = tf.tidy(() => mk(tf.tensor1d(w.b1!)));
  }
  return out;
}

/** Reads the weights back to host float32 copies. */
export async function downloadWeights(t: AdaptorTensors): Promise<AdaptorWeights> {
  const out: AdaptorWeights = {
    W2: Float32Array.from((await t.W2.data()) as Float32Array),
    b2: Float32Array.from((await t.b2.data()) as Float32Array),
  };
  if (t.W1 && t.b1) {
    out.W1 = Float32Array.from((await t.W1.data()) as Float32Array);
    out.b1 = Float32Array.from((await t.b1.data()) as Float32Array);
  }
  return out;
}

export function disposeWeights(t: AdaptorTensors | undefined): void {
  if (!t) return;
  t.W1?.dispose();
  t.b1?.dispose();
  t.W2.dispose();
  t.b2.dispose();
}

/** h′ = x·W₁ + b₁ (identity: h′ = x) and z′ = h′·W₂ + b₂. */
export function adaptorForward(t: AdaptorTensors, x: tf.Tensor2D): { exemplars: tf.Tensor2D; logits: tf.Tensor2D } {
  return tf.tidy(() => {
    const h = t.W1 && t.b1 ? (tf.add(tf.matMul(x, t.W1), t.b1) as tf.Tensor2D) : tf.clone(x);
    const z = tf.add(tf.matMul(h, t.W2), t.b2) as tf.Tensor2D;
    return { exemplars: h, logits: z };
  });
}

/** Mean and sample standard deviation (n − 1) over all entries, in float64 (spec §4.1). */
export function globalMoments(m: HostMatrix): { mean: number; std: number } {
  const n = m.data.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += m.data[i]!;
  const mean = n > 0 ? sum / n : 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = m.data[i]! - mean;
    ss += d * d;
  }
  return { mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0 };
}

/** (x − μ)/σ computed in float64 and stored as float32 (a copy; 'none' copies unchanged). */
export function applyNormalization(m: HostMatrix, norm: Normalization): HostMatrix {
  if (norm.mode === 'none') return { data: Float32Array.from(m.data), rows: m.rows, cols: m.cols };
  const out = new Float32Array(m.data.length);
  for (let i = 0; i < out.length; i++) out[i] = (m.data[i]! - norm.mean) / norm.std;
  return { data: out, rows: m.rows, cols: m.cols };
}

/**
 * Runs the adaptor over a host matrix in chunks (no gradient) and returns host exemplars and logits
 * (and optionally the exemplar tensor, which the caller then owns).
 */
export async function forwardHost(
  t: AdaptorTensors,
  x: HostMatrix,
  numClasses: number,
  chunk = 4096,
): Promise<{ exemplars: HostMatrix; logits: Float32Array }> {
  const m = t.W1 ? t.W1.shape[1] : x.cols;
  const ex = new Float32Array(x.rows * m);
  const lg = new Float32Array(x.rows * numClasses);
  for (let s = 0; s < x.rows; s += chunk) {
    const r = Math.min(chunk, x.rows - s);
    const xt = tf.tensor2d(x.data.subarray(s * x.cols, (s + r) * x.cols), [r, x.cols]);
    const { exemplars, logits } = adaptorForward(t, xt);
    xt.dispose();
    const [e, l] = await Promise.all([exemplars.data(), logits.data()]);
    exemplars.dispose();
    logits.dispose();
    ex.set(e as Float32Array, s * m);
    lg.set(l as Float32Array, s * numClasses);
  }
  return { exemplars: { data: ex, rows: x.rows, cols: m }, logits: lg };
}
