import * as tf from '@tensorflow/tfjs-core';
import { checkAborted, checkNumber, DroError, describeValue } from './errors.js';
import { type Rng, toRng } from './rng.js';
import { checkFloatTensor } from './tensorChecks.js';
import { applyClassifier, type Classifier } from './types.js';

export type AdversaryOptions =
  | {
      form: 'ball';
      norm: 'l2' | 'linf';
      eps: number;
      steps?: number;
      stepSize?: number;
      randomStart?: boolean;
      clip?: [number, number];
      rng?: Rng;
      seed?: number | string;
      signal?: AbortSignal;
    }
  | {
      form: 'penalized';
      gamma: number;
      steps?: number;
      stepSize?: number;
      clip?: [number, number];
      signal?: AbortSignal;
    };

/** Per-sample L2 norms of a batch, shaped for broadcasting ([B, 1, 1, …]). */
function rowNorms(t: tf.Tensor): tf.Tensor {
  const axes = t.shape.slice(1).map((_, i) => i + 1);
  return tf.sqrt(tf.sum(tf.square(t), axes, true));
}

function projectL2(delta: tf.Tensor, eps: number): tf.Tensor {
  const nrm = rowNorms(delta);
  return tf.mul(delta, tf.minimum(1, tf.div(eps, tf.maximum(nrm, 1e-12))));
}

/** What {@link inputAdversary} returns. */
export interface AdversaryResult {
  x: tf.Tensor;
  losses: Float64Array;
}

/**
 * The adversary as a generator that yields every tensor whose values it needs (each input gradient, then the
 * final losses) and resumes with those values, so that one body serves the synchronous and the asynchronous
 * driver with the same arithmetic. A read error is thrown back in at the yield, where the tensors alive are
 * disposed.
 */
function* adversarySteps(
  lossFn: (x: tf.Tensor) => tf.Tensor1D,
  x: tf.Tensor,
  opts: AdversaryOptions,
): Generator<tf.Tensor, AdversaryResult, ArrayLike<number>> {
  checkFloatTensor(x, 'x');
  if (x.rank < 1) throw new DroError('E_SHAPE', 'x must be a batch', { argument: 'x', expected: 'rank ≥ 1' });
  if (!opts || (opts.form !== 'ball' && opts.form !== 'penalized')) {
    const form = (opts as { form?: unknown } | undefined)?.form;
    throw new DroError('E_SPEC', 'unknown adversary form', {
      argument: 'opts.form',
      expected: "'ball' or 'penalized'",
      received: describeValue(form),
    });
  }
  if (opts.clip) {
    const [lo, hi] = opts.clip;
    if (!(lo < hi))
      throw new DroError('E_SPEC', 'clip must be [lo, hi] with lo < hi', {
        argument: 'opts.clip',
        received: `[${lo}, ${hi}]`,
      });
  }
  checkAborted(opts.signal, 'inputAdversary');
  const B = x.shape[0]!;
  const gradFn = tf.grad((z: tf.Tensor) => tf.sum(lossFn(z)));
  const checkGrad = (v: ArrayLike<number>) => {
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i]!)) {
        throw new DroError('E_NONFINITE', 'input gradient is not finite', {
          argument: 'lossFn',
          received: describeValue(v[i]),
        });
      }
    }
  };
  const clip = (z: tf.Tensor) => (opts.clip ? tf.clipByValue(z, opts.clip[0], opts.clip[1]) : z);
  // Gradient-ascent loop shared by both forms: abort check, finite input gradient, one tidy update per step.
  const ascend = function* (
    z0: tf.Tensor,
    steps: number,
    update: (z: tf.Tensor, g: tf.Tensor) => tf.Tensor,
  ): Generator<tf.Tensor, tf.Tensor, ArrayLike<number>> {
    let z = z0;
    for (let s = 0; s < steps; s++) {
      let g: tf.Tensor | undefined;
      try {
        checkAborted(opts.signal, 'inputAdversary');
        g = gradFn(z);
        checkGrad(yield g);
      } catch (e) {
        g?.dispose();
        z.dispose();
        throw e;
      }
      const zc = z;
      const gc = g;
      const next = tf.tidy(() => update(zc, gc));
      g.dispose();
      z.dispose();
      z = next;
    }
    return z;
  };
  let z: tf.Tensor;
  if (opts.form === 'ball') {
    if (opts.norm !== 'l2' && opts.norm !== 'linf') {
      throw new DroError('E_SPEC', 'unknown norm', {
        argument: 'opts.norm',
        expected: "'l2' or 'linf'",
        received: describeValue(opts.norm),
      });
    }
    const eps = checkNumber(opts.eps, 'opts.eps', { min: 0 });
    const steps = checkNumber(opts.steps ?? 10, 'opts.steps', { min: 0, integer: true });
    const a = checkNumber(opts.stepSize ?? (2.5 * eps) / Math.max(steps, 1), 'opts.stepSize', { min: 0 });
    let rng: Rng | undefined;
    if (opts.randomStart) {
      if ((opts.rng === undefined) === (opts.seed === undefined)) {
        throw new DroError('E_SPEC', 'a random start needs exactly one of rng or seed', {
          argument: 'opts.rng / opts.seed',
        });
      }
      rng = opts.rng ?? toRng(opts.seed!);
    }
    let delta: tf.Tensor;
    if (rng) {
      const n = x.size;
      const v = new Float32Array(n);
      if (opts.norm === 'linf') for (let i = 0; i < n; i++) v[i] = eps * (2 * rng.uniform() - 1);
      else {
        // Uniform in the L2 ball: Gaussian direction, radius eps·U^(1/d).
        const d = n / B;
        for (let b = 0; b < B; b++) {
          let s = 0;
          for (let j = 0; j < d; j++) {
            const g = rng.normal();
            v[b * d + j] = g;
            s += g * g;
          }
          const r = (eps * rng.uniform() ** (1 / d)) / Math.sqrt(s || 1);
          for (let j = 0; j < d; j++) v[b * d + j]! *= r;
        }
      }
      delta = tf.tensor(v, x.shape);
    } else delta = tf.zerosLike(x);
    z = tf.tidy(() => clip(tf.add(x, delta)));
    delta.dispose();
    z = yield* ascend(z, steps, (zc, g) => {
      let d = tf.sub(zc, x);
      if (opts.norm === 'linf') d = tf.clipByValue(tf.add(d, tf.mul(a, tf.sign(g))), -eps, eps);
      else d = projectL2(tf.add(d, tf.mul(a, tf.div(g, tf.maximum(rowNorms(g), 1e-12)))), eps);
      return clip(tf.add(x, d));
    });
  } else {
    const gamma = checkNumber(opts.gamma, 'opts.gamma', { min: 0, minExclusive: true });
    const steps = checkNumber(opts.steps ?? 20, 'opts.steps', { min: 0, integer: true });
    const a = checkNumber(opts.stepSize ?? 1 / (2 * gamma), 'opts.stepSize', { min: 0 });
    z = yield* ascend(tf.clone(x), steps, (zc, g) =>
      clip(tf.add(zc, tf.mul(a, tf.sub(g, tf.mul(2 * gamma, tf.sub(zc, x)))))),
    );
  }
  const final = tf.tidy(() => lossFn(z));
  let losses: Float64Array;
  try {
    losses = Float64Array.from(yield final);
  } catch (e) {
    z.dispose();
    throw e;
  } finally {
    final.dispose();
  }
  return { x: z, losses };
}

/**
 * Input-space adversary (model weights untouched): PGD in an L2/L∞ ball, or the penalised WRM form
 * `max_z ℓ(z) − γ‖z − x‖²`. `lossFn` maps a batch to per-sample losses `[B]` (each depending only on its own
 * input). Returns a constant tensor (no tape connection) and the final per-sample losses; throws
 * `E_NONFINITE` on non-finite input gradients (never skips silently). Reads each step's input gradient
 * synchronously; on WebGPU use {@link inputAdversaryAsync}.
 */
export function inputAdversary(
  lossFn: (x: tf.Tensor) => tf.Tensor1D,
  x: tf.Tensor,
  opts: AdversaryOptions,
): AdversaryResult {
  const it = adversarySteps(lossFn, x, opts);
  let r = it.next();
  while (!r.done) {
    let v: ArrayLike<number>;
    try {
      v = r.value.dataSync();
    } catch (e) {
      r = it.throw(e);
      continue;
    }
    r = it.next(v);
  }
  return r.value;
}

/**
 * {@link inputAdversary} with awaited reads (GPU-safe): the same steps and arithmetic, so on cpu/wasm the
 * result is bit-identical. The abort signal is also checked between steps.
 */
export async function inputAdversaryAsync(
  lossFn: (x: tf.Tensor) => tf.Tensor1D,
  x: tf.Tensor,
  opts: AdversaryOptions,
): Promise<AdversaryResult> {
  const it = adversarySteps(lossFn, x, opts);
  let r = it.next();
  while (!r.done) {
    let v: ArrayLike<number>;
    try {
      v = await r.value.data();
    } catch (e) {
      r = it.throw(e);
      continue;
    }
    r = it.next(v);
  }
  return r.value;
}

/** Hard pseudo-labels of a classifier as a constant int32 tensor: argmax, or sign (0 ↦ 1) for one logit. */
export function pseudoLabels(model: Classifier, x: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const logits = applyClassifier(model, x);
    if (logits.rank === 1 || (logits.rank === 2 && logits.shape[1] === 1)) {
      return tf.cast(tf.greaterEqual(tf.reshape(logits, [-1]), 0), 'int32') as tf.Tensor1D;
    }
    if (logits.rank !== 2) {
      throw new DroError('E_RANK', 'model must return [B, C] logits', {
        argument: 'model',
        received: `shape [${logits.shape.join(', ')}]`,
      });
    }
    return tf.argMax(logits, 1) as tf.Tensor1D;
  });
}
