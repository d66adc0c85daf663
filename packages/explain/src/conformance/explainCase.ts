import * as tf from '@tensorflow/tfjs-core';
import { type Explanation, explain, type Fill, type UpsampleMode } from '../index.js';
import { buildNets, plain } from './networks.js';

/** `explain`: mask, probabilities, predictions and the detector's view of the complement. */
export function evalExplain(input: Record<string, unknown>): Record<string, unknown> {
  const built = buildNets(input, ['selector', 'predictor', 'detector']);
  let e: Explanation | null = null;
  const x = tf.tensor(input.x as number[]) as tf.Tensor4D;
  try {
    const { selector, predictor, detector } = built.nets;
    e = explain(
      {
        selector: selector!,
        predictor: predictor!,
        ...(detector ? { detector } : {}),
        upsample: (input.upsample as UpsampleMode) ?? 'bilinear',
        maskMode: 'soft',
        fill: (input.fill as Fill) ?? 0,
      },
      x,
      { mask: input.mask as 'hard' | 'soft' },
    );
    const { dispose: _d, ...rest } = e;
    return plain(rest) as Record<string, unknown>;
  } finally {
    e?.dispose();
    x.dispose();
    built.dispose();
  }
}
