import type { Classifier } from '@drojs/dro-core';
import { DroError } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { runNet, type TrainableNet } from './nets.js';

/** Runs a selector and returns its mask logits `[B, h, w]` (it must output `[B, h, w, 1]` or `[B, h, w]`). @internal */
export function selectorLogits(
  selector: TrainableNet | Classifier,
  x: tf.Tensor4D,
  training: boolean,
  caller: string,
): tf.Tensor3D {
  const z = runNet(selector, x, training);
  const ok = (z.rank === 4 && z.shape[3] === 1) || z.rank === 3;
  if (!ok || z.shape[0] !== x.shape[0]) {
    throw new DroError('E_SHAPE', `${caller}: the selector must return [B, h, w, 1] mask logits`, {
      argument: 'selector',
      expected: `[${x.shape[0]}, h, w, 1]`,
      received: `[${z.shape.join(', ')}]`,
    });
  }
  return (z.rank === 4 ? tf.reshape(z, z.shape.slice(0, 3) as [number, number, number]) : z) as tf.Tensor3D;
}
