import { type Classifier, DroError, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { labelsInput } from '../inputs.js';
import { runNet } from '../nets.js';

/** The score explained: the target's logit or its softmax probability. */
export type ScoreOutput = 'logit' | 'probability';
/** How a per-channel attribution becomes a map. */
export type ChannelReduction = 'max-abs' | 'sum-abs' | 'abs-sum' | 'sum';

export const outputRule = opt.oneOf(['logit', 'probability'] as const);
export const reduceRule = opt.oneOf(['max-abs', 'sum-abs', 'abs-sum', 'sum'] as const);

/** Per-image scores `F_{y_i}(x_i)` as a `[B]` tensor (differentiable in x). @internal */
export function targetScores(model: Classifier, x: tf.Tensor, targets: tf.Tensor1D, output: ScoreOutput): tf.Tensor1D {
  const logits = runNet(model, x, false);
  const k = logits.shape[1]!;
  const s = output === 'probability' ? tf.softmax(logits) : logits;
  return tf.sum(tf.mul(s, tf.oneHot(targets, k)), 1) as tf.Tensor1D;
}

/** Number of classes of a model (one forward pass on one image). @internal */
export function numClassesOf(model: Classifier, x: tf.Tensor4D): number {
  return tf.tidy(() => {
    const l = runNet(model, tf.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]), false);
    if (l.rank !== 2) {
      throw new DroError('E_SHAPE', 'model must return [B, K] logits', {
        argument: 'model',
        received: `[${l.shape.join(', ')}]`,
      });
    }
    return l.shape[1]!;
  });
}

/** Validated targets for images `x`. @internal */
export function targetsInput(model: Classifier, x: tf.Tensor4D, targets: unknown, caller: string): Int32Array {
  return labelsInput(targets, caller, x.shape[0], numClassesOf(model, x), 'targets');
}

/** Reduces `[B, H, W, C]` to `[B, H, W]`. @internal */
export function reduceChannels(g: tf.Tensor4D, how: ChannelReduction): tf.Tensor3D {
  switch (how) {
    case 'max-abs':
      return tf.max(tf.abs(g), 3);
    case 'sum-abs':
      return tf.abs(tf.sum(g, 3));
    case 'abs-sum':
      return tf.sum(tf.abs(g), 3);
    default:
      return tf.sum(g, 3);
  }
}

/** Runs `f` over the images in chunks of `batchSize` and concatenates the `[n]` results (host). @internal */
export function scoresInChunks(
  model: Classifier,
  images: tf.Tensor4D,
  targets: Int32Array,
  output: ScoreOutput,
  batchSize: number,
): Float64Array {
  const n = images.shape[0];
  const out = new Float64Array(n);
  for (let s = 0; s < n; s += batchSize) {
    const e = Math.min(n, s + batchSize);
    const v = tf.tidy(() =>
      targetScores(
        model,
        tf.slice(images, [s, 0, 0, 0], [e - s, -1, -1, -1]),
        tf.tensor1d(targets.subarray(s, e), 'int32'),
        output,
      ).dataSync(),
    );
    out.set(v, s);
  }
  return out;
}
