import { DroError } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { type Fill, fillInput, floatInput, imageInput } from './inputs.js';

/** `x_s = m ⊙ x + (1 − m) ⊙ q` and `x_c = (1 − m) ⊙ x + m ⊙ q` on validated tensors. @internal */
export function compositeCore(
  x: tf.Tensor4D,
  mask: tf.Tensor3D,
  q: tf.Tensor,
): { selected: tf.Tensor4D; complement: tf.Tensor4D } {
  const m = tf.expandDims(mask, 3);
  const r = tf.sub(1, m);
  // Same formula for both, so that at m = ½ the two are bitwise equal (the products are exact, + commutes).
  return {
    selected: tf.add(tf.mul(m, x), tf.mul(r, q)) as tf.Tensor4D,
    complement: tf.add(tf.mul(r, x), tf.mul(m, q)) as tf.Tensor4D,
  };
}

/**
 * The selection and the complement of images `x [B, H, W, C]` under a mask `[B, H, W]` (broadcast over
 * channels), with the fill `q` (default 0). Differentiable; the caller owns both results.
 */
export function composite(
  x: tf.Tensor4D,
  mask: tf.Tensor3D,
  fill: Fill = 0,
): { selected: tf.Tensor4D; complement: tf.Tensor4D } {
  const caller = 'composite';
  const out = tf.tidy(() => {
    const xt = imageInput(x, caller);
    const mt = floatInput(mask, 'mask', caller, [3]);
    if (mt.shape.some((d, i) => d !== xt.shape[i])) {
      throw new DroError('E_SHAPE', `${caller}: mask does not match x`, {
        argument: 'mask',
        expected: `[${xt.shape.slice(0, 3).join(', ')}]`,
        received: `[${mt.shape.join(', ')}]`,
      });
    }
    const r = compositeCore(xt, mt as tf.Tensor3D, fillInput(fill, xt.shape, caller));
    return [r.selected, r.complement];
  });
  return { selected: out[0] as tf.Tensor4D, complement: out[1] as tf.Tensor4D };
}
