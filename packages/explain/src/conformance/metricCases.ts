import * as tf from '@tensorflow/tfjs-core';
import {
  deletionInsertion,
  type Fill,
  type IoUMode,
  maskIoU,
  maskScores,
  pointingGame,
  type ScoreOutput,
} from '../index.js';
import { buildNets, plain } from './networks.js';

/** `mask_iou`: IoU in the case's mode. */
export function evalMaskIoU(input: Record<string, unknown>): Record<string, unknown> {
  const mode = (['threshold', 'topK', 'soft'] as const).find((k) => input[k] !== undefined);
  const o = mode ? ({ [mode]: input[mode] } as unknown as IoUMode) : ({} as IoUMode);
  return plain(maskIoU(input.map as number[][][], input.gt as number[][][], o)) as Record<string, unknown>;
}

/** `pointing`: the pointing game with split ties. */
export function evalPointing(input: Record<string, unknown>): Record<string, unknown> {
  return plain(
    pointingGame(input.map as number[][][], input.gt as number[][][], { tolerance: input.tolerance as number }),
  ) as Record<string, unknown>;
}

/** `deletion_insertion`: both curves and AUCs. */
export function evalDeletionInsertion(input: Record<string, unknown>): Record<string, unknown> {
  const built = buildNets(input, ['net']);
  const x = tf.tensor(input.x as number[]) as tf.Tensor4D;
  try {
    return plain(
      deletionInsertion(built.nets.net!, x, input.targets as number[], input.map as number[][][], {
        steps: input.steps as number,
        fill: input.fill as Fill,
        output: input.output as ScoreOutput,
      }),
    ) as Record<string, unknown>;
  } finally {
    x.dispose();
    built.dispose();
  }
}

/** `mask_scores`: completeness and sufficiency of masks. */
export function evalMaskScores(input: Record<string, unknown>): Record<string, unknown> {
  const built = buildNets(input, ['net']);
  const x = tf.tensor(input.x as number[]) as tf.Tensor4D;
  try {
    return plain(
      maskScores(built.nets.net!, x, input.labels as number[], input.mask as number[][][], {
        fill: input.fill as Fill,
      }),
    ) as Record<string, unknown>;
  } finally {
    x.dispose();
    built.dispose();
  }
}
