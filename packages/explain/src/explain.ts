import { checkOptions, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import type { CometModel } from './cometTrainer.js';
import { compositeCore } from './composite.js';
import { argmaxRows, type Fill, fillInput, imageInput } from './inputs.js';
import { maskFromUpsampled } from './mask.js';
import { checkCallable, runNet } from './nets.js';
import { upsampleCore } from './resize.js';
import { selectorLogits } from './selector.js';

/** Options of {@link explain}. */
export interface ExplainOptions {
  /** `'hard'` (`1[U > 0]`, default after straight-through training) or `'soft'` (σ(U), default otherwise). */
  mask?: 'hard' | 'soft';
  /** Overrides the model's fill. */
  fill?: Fill;
}

/** What {@link explain} returns; the tensors are the caller's (`dispose()` frees them all). */
export interface Explanation {
  maskLogits: tf.Tensor3D;
  mask: tf.Tensor3D;
  probabilities: tf.Tensor2D;
  predictions: Int32Array;
  complementProbabilities?: tf.Tensor2D;
  complementPredictions?: Int32Array;
  /** `p_P(ŷ | x_s)`. */
  selectedConfidence: Float64Array;
  /** `p_D(ŷ | x_c)` for the predictor's ŷ. */
  complementConfidence?: Float64Array;
  /** The mask's mean per image. */
  area: Float64Array;
  dispose(): void;
}

const OPTIONS = { mask: opt.oneOf(['hard', 'soft'] as const), fill: opt.any() };

/**
 * Explains images with a COMET model: the selector's mask (inference mode), the predictor's probabilities on
 * the selection and, when the model has a detector, the detector's on the complement (spec §3.6).
 */
export function explain(model: CometModel, x: tf.Tensor4D, o?: ExplainOptions): Explanation {
  const caller = 'explain';
  const opts = checkOptions(o, OPTIONS, caller);
  checkCallable(model?.selector, 'selector', caller);
  checkCallable(model?.predictor, 'predictor', caller);
  if (model.detector !== undefined && model.detector !== null) checkCallable(model.detector, 'detector', caller);
  const hard = (opts.mask ?? (model.maskMode === 'straight-through' ? 'hard' : 'soft')) === 'hard';
  const out = tf.tidy(() => {
    const xt = imageInput(x, caller);
    const q = fillInput(opts.fill ?? model.fill ?? 0, xt.shape, caller);
    const z = selectorLogits(model.selector, xt, false, caller);
    const u = upsampleCore(z, [xt.shape[1], xt.shape[2]], model.upsample ?? 'bilinear');
    const m = hard ? tf.cast(tf.greater(u, 0), 'float32') : maskFromUpsampled(u, 'soft');
    const { selected, complement } = compositeCore(xt, m as tf.Tensor3D, q);
    const probs = tf.softmax(runNet(model.predictor, selected, false));
    const list: tf.Tensor[] = [z, m, probs, tf.mean(m, [1, 2])];
    if (model.detector) list.push(tf.softmax(runNet(model.detector, complement, false)));
    return list;
  });
  const [z, m, probs, areaT, cprobs] = out as [tf.Tensor3D, tf.Tensor3D, tf.Tensor2D, tf.Tensor1D, tf.Tensor2D?];
  const [b, k] = probs.shape;
  const p = probs.dataSync();
  const predictions = argmaxRows(p, b, k);
  const selectedConfidence = Float64Array.from(predictions, (c, i) => p[i * k + c]!);
  const area = Float64Array.from(areaT.dataSync());
  areaT.dispose();
  const e: Explanation = {
    maskLogits: z,
    mask: m,
    probabilities: probs,
    predictions,
    selectedConfidence,
    area,
    dispose() {
      for (const t of [z, m, probs, cprobs]) t?.dispose();
    },
  };
  if (cprobs) {
    const cp = cprobs.dataSync();
    const kc = cprobs.shape[1];
    e.complementProbabilities = cprobs;
    e.complementPredictions = argmaxRows(cp, b, kc);
    e.complementConfidence = Float64Array.from(predictions, (c, i) => cp[i * kc + c]!);
  }
  return e;
}
