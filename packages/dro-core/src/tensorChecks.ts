import type * as tf from '@tensorflow/tfjs-core';
import { DroError } from './errors.js';

/**
 * Throws unless `x` is a float32 tensor (`E_DTYPE` for anything else, a disposed tensor included) of the given
 * rank (`E_SHAPE`) and, optionally, non-empty (`E_EMPTY`).
 */
export function checkFloatTensor(x: tf.Tensor, argument: string, rank?: number, nonEmpty = true): void {
  if (!x || typeof (x as { rank?: unknown }).rank !== 'number') {
    throw new DroError('E_DTYPE', `${argument} must be a tensor`, { argument, received: typeof x });
  }
  if (x.isDisposed) throw new DroError('E_DTYPE', `${argument} is disposed`, { argument });
  if (x.dtype !== 'float32') {
    throw new DroError('E_DTYPE', `${argument} has the wrong dtype`, {
      argument,
      expected: 'float32',
      received: x.dtype,
    });
  }
  if (rank !== undefined && x.rank !== rank) {
    throw new DroError('E_SHAPE', `${argument} has the wrong rank`, {
      argument,
      expected: `rank ${rank}`,
      received: `shape [${x.shape.join(', ')}]`,
    });
  }
  if (nonEmpty && x.size === 0)
    throw new DroError('E_EMPTY', `${argument} is empty`, { argument, expected: 'at least one element' });
}
