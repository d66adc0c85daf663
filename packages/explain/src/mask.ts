import { checkOptions, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { logitsInput } from './inputs.js';
import { checkSizePair, type UpsampleMode, upsampleCore, upsampleRule } from './resize.js';

/** `'soft'`: σ(U); `'straight-through'`: forward `1[U > 0]`, backward σ′(U). */
export type MaskMode = 'soft' | 'straight-through';

/** Option rule for `maskMode`. */
export const maskModeRule = opt.oneOf(['soft', 'straight-through'] as const);

// Forward: the hard mask exactly (a `s + stopGradient(hard − s)` sum is not always exactly 0/1 in float32);
// backward: the sigmoid's derivative σ(U)(1 − σ(U)).
const straightThrough = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const u = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  save([u]);
  return {
    value: tf.cast(tf.greater(u, 0), 'float32'),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const s = tf.sigmoid(saved[0]!);
      return tf.mul(dy, tf.mul(s, tf.sub(1, s)));
    },
  };
});

/** The mask from upsampled logits `U` (validated). @internal */
export function maskFromUpsampled(u: tf.Tensor3D, mode: MaskMode): tf.Tensor3D {
  return (mode === 'soft' ? tf.sigmoid(u) : straightThrough(u)) as tf.Tensor3D;
}

/** The ordering that matters: upsample the logits, then the sigmoid (COMET's code). @internal */
export function maskCore(z: tf.Tensor3D, size: [number, number], up: UpsampleMode, mode: MaskMode): tf.Tensor3D {
  return tf.tidy(() => maskFromUpsampled(upsampleCore(z, size, up), mode));
}

const OPTIONS = { upsample: upsampleRule, maskMode: maskModeRule };

/**
 * The mask `[B, H, W]` from logits at the selector's resolution: upsample by {@link resizeMatrix}, then σ
 * (`'soft'`, default) or the straight-through hard mask. Differentiable; the caller owns the result.
 */
export function maskFromLogits(
  z: tf.Tensor,
  size: [number, number],
  o?: { upsample?: UpsampleMode; maskMode?: MaskMode },
): tf.Tensor3D {
  const opts = checkOptions(o, OPTIONS, 'maskFromLogits');
  const sz = checkSizePair(size, 'maskFromLogits');
  return tf.tidy(() =>
    maskCore(logitsInput(z, 'maskFromLogits', null), sz, opts.upsample ?? 'bilinear', opts.maskMode ?? 'soft'),
  );
}
