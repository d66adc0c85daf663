import * as tf from '@tensorflow/tfjs-core';
import {
  type ChannelReduction,
  type Fill,
  gradientSaliency,
  type IgRule,
  integratedGradients,
  occlusion,
  type ScoreOutput,
} from '../index.js';
import { buildNets, plain } from './networks.js';

function withNet(input: Record<string, unknown>, f: (net: unknown, x: tf.Tensor4D) => unknown) {
  const built = buildNets(input, ['net']);
  const x = tf.tensor(input.x as number[]) as tf.Tensor4D;
  try {
    return tf.tidy(() => plain(f(built.nets.net as never, x) as never) as never) as Record<string, unknown>;
  } finally {
    x.dispose();
    built.dispose();
  }
}

/** `saliency`: gradients and the reduced map. */
export function evalSaliency(input: Record<string, unknown>): Record<string, unknown> {
  return withNet(input, (net, x) =>
    gradientSaliency(net as never, x, input.targets as number[], {
      output: input.output as ScoreOutput,
      reduce: input.reduce as ChannelReduction,
    }),
  );
}

/** `integrated_gradients`: attributions, map, completeness delta, nodes and weights. */
export function evalIntegratedGradients(input: Record<string, unknown>): Record<string, unknown> {
  return withNet(input, (net, x) =>
    integratedGradients(net as never, x, input.targets as number[], {
      baseline: input.baseline as Fill,
      steps: input.steps as number,
      rule: input.rule as IgRule,
      output: input.output as ScoreOutput,
      reduce: input.reduce as ChannelReduction,
    }),
  );
}

/** `occlusion`: map, counts, window starts and deltas (deltas reshaped to [B, rows, cols]). */
export function evalOcclusion(input: Record<string, unknown>): Record<string, unknown> {
  return withNet(input, (net, x) => {
    const r = occlusion(net as never, x, input.targets as number[], {
      window: input.window as [number, number],
      strides: input.strides as [number, number],
      fill: input.fill as Fill,
      output: input.output as ScoreOutput,
    });
    const nr = r.rowStarts.length;
    const nc = r.colStarts.length;
    const b = x.shape[0];
    const [h, w] = [x.shape[1], x.shape[2]];
    const deltas = Array.from({ length: b }, (_, i) =>
      Array.from({ length: nr }, (_, ri) =>
        Array.from({ length: nc }, (_, ci) => r.windowDeltas[(i * nr + ri) * nc + ci]!),
      ),
    );
    const counts = Array.from({ length: h }, (_, rr) => Array.from({ length: w }, (_, cc) => r.counts[rr * w + cc]!));
    return { ...r, counts, windowDeltas: deltas };
  });
}
