import { type Classifier, checkOptions } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { imageInput, type Labels } from '../inputs.js';
import { checkCallable } from '../nets.js';
import {
  type ChannelReduction,
  outputRule,
  reduceChannels,
  reduceRule,
  type ScoreOutput,
  targetScores,
  targetsInput,
} from './score.js';

const OPTIONS = { output: outputRule, reduce: reduceRule };

/**
 * Gradient saliency (Simonyan et al. 2014): `G = ∂F_y/∂x` with F the target's logit (default) or probability,
 * and the map by channel reduction (default `'max-abs'`). The model runs in inference mode; the caller owns both
 * tensors.
 */
export function gradientSaliency(
  model: Classifier,
  x: tf.Tensor4D,
  targets: Labels,
  o?: { output?: ScoreOutput; reduce?: ChannelReduction },
): { gradients: tf.Tensor4D; map: tf.Tensor3D } {
  const caller = 'gradientSaliency';
  const opts = checkOptions(o, OPTIONS, caller);
  checkCallable(model, 'model', caller);
  const out = tf.tidy(() => {
    const xt = imageInput(x, caller);
    const y = tf.tensor1d(targetsInput(model, xt, targets, caller), 'int32');
    // Images are independent in inference mode, so the gradient of the batch sum is per-image.
    const g = tf.grad((v: tf.Tensor) => tf.sum(targetScores(model, v, y, opts.output ?? 'logit')))(xt) as tf.Tensor4D;
    return [g, reduceChannels(g, opts.reduce ?? 'max-abs')];
  });
  return { gradients: out[0] as tf.Tensor4D, map: out[1] as tf.Tensor3D };
}
