import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeBackends, expectDroError } from '../testing/index.js';
import { toTensor } from './toTensor.js';

describeBackends('toTensor', () => {
  it('returns a tensor of the right dtype itself, and converts TensorLike values', () => {
    const t = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(toTensor(t, 'x', 'f', { rank: 2 })).toBe(t);
    const made = toTensor(
      [
        [1, 2],
        [3, 4],
      ],
      'x',
      'f',
      { rank: [1, 2] },
    );
    expect(made.shape).toEqual([2, 2]);
    expect(Array.from(made.dataSync())).toEqual([1, 2, 3, 4]);
    const ints = toTensor(Int32Array.from([1, 2]), 'y', 'f', { dtype: 'int32' });
    expect(ints.dtype).toBe('int32');
    tf.dispose([t, made, ints]);
  });
  it('one fault, one code, and no tensor left behind on rejection', () => {
    const before = tf.memory().numTensors;
    expectDroError(() => toTensor('abc', 'x', 'f'), 'E_DTYPE', 'x');
    expectDroError(() => toTensor({ a: 1 }, 'x', 'f'), 'E_DTYPE', 'x');
    expectDroError(() => toTensor([[1, 2], [3]], 'x', 'f'), 'E_SHAPE', 'x');
    expectDroError(() => toTensor([1, 2], 'x', 'f', { rank: 2 }), 'E_SHAPE', 'x');
    expectDroError(() => toTensor([1.5], 'y', 'f', { dtype: 'int32' }), 'E_DTYPE', 'y');
    expect(tf.memory().numTensors).toBe(before);
    const i = tf.tensor1d([1], 'int32');
    expectDroError(() => toTensor(i, 'x', 'f'), 'E_DTYPE', 'x');
    i.dispose();
    expectDroError(() => toTensor(i, 'x', 'f'), 'E_DTYPE', 'disposed');
  });
});
