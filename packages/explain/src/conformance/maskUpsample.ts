import * as tf from '@tensorflow/tfjs-core';
import { maskFromLogits, resizeMatrix, type UpsampleMode, upsampleLogits } from '../index.js';
import { nest, plain } from './networks.js';

/** `mask_upsample`: interpolation matrices, upsampled logits, soft and hard masks, and the logits' gradient. */
export function evalMaskUpsample(input: Record<string, unknown>): Record<string, unknown> {
  const size = input.size as [number, number];
  const mode = input.upsample as UpsampleMode;
  return tf.tidy((): never => {
    const z = tf.tensor(input.maskLogits as number[][][]) as tf.Tensor3D;
    const [, h, w] = z.shape;
    const d = tf.tensor(input.dMask as number[][][]);
    const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(d, maskFromLogits(v, size, { upsample: mode }))))(z);
    return plain({
      rowMatrix: nest(resizeMatrix(h, size[0], mode), size[0], h),
      colMatrix: nest(resizeMatrix(w, size[1], mode), size[1], w),
      logits: upsampleLogits(z, size, mode),
      softMask: maskFromLogits(z, size, { upsample: mode }),
      hardMask: maskFromLogits(z, size, { upsample: mode, maskMode: 'straight-through' }),
      gradLogits: grad,
    }) as never;
  }) as Record<string, unknown>;
}
