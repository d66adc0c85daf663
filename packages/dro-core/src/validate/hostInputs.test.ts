import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeBackends, expectDroError } from '../testing/index.js';
import { checkLength, checkNumClasses, toHostMatrix, toHostVector, toLabels } from './hostInputs.js';

describeBackends('host adapters', ['cpu'], () => {
  it('toHostMatrix reads nested arrays, typed rows, {data, rows, cols} and rank-2 tensors alike', () => {
    const want = { rows: 2, cols: 3, data: Float64Array.from([1, 2, 3, 4, 5, 6]) };
    expect(
      toHostMatrix(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        'x',
        'f',
      ),
    ).toEqual(want);
    expect(toHostMatrix([Float32Array.from([1, 2, 3]), Int32Array.from([4, 5, 6])], 'x', 'f')).toEqual(want);
    expect(toHostMatrix({ data: [1, 2, 3, 4, 5, 6], rows: 2, cols: 3 }, 'x', 'f')).toEqual(want);
    const t = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(toHostMatrix(t, 'x', 'f')).toEqual(want);
    expect(t.isDisposed).toBe(false);
    t.dispose();
  });
  it('toHostMatrix: one fault, one code', () => {
    expectDroError(() => toHostMatrix('a', 'x', 'f'), 'E_DTYPE', 'x');
    expectDroError(() => toHostMatrix([[1, 'a']], 'x', 'f'), 'E_DTYPE', 'x');
    expectDroError(() => toHostMatrix([[1, 2], [3]], 'x', 'f'), 'E_SHAPE', 'x');
    expectDroError(() => toHostMatrix([1, 2], 'x', 'f'), 'E_SHAPE', 'x');
    expectDroError(() => toHostMatrix({ data: [1, 2, 3], rows: 2, cols: 2 }, 'x', 'f'), 'E_SHAPE', 'x');
    expectDroError(() => toHostMatrix([[1, Number.NaN]], 'x', 'f'), 'E_NONFINITE', 'x');
    expectDroError(() => toHostMatrix([], 'x', 'f'), 'E_EMPTY', 'x');
    const t1 = tf.tensor1d([1, 2]);
    expectDroError(() => toHostMatrix(t1, 'x', 'f'), 'E_SHAPE', 'x');
    t1.dispose();
    expectDroError(() => toHostMatrix(t1, 'x', 'f'), 'E_DTYPE', 'disposed');
    expect(toHostMatrix([[Number.NaN]], 'x', 'f', { allowNonFinite: true }).data[0]).toBeNaN();
  });
  it('toHostVector accepts arrays, typed arrays and rank-1 tensors', () => {
    expect(toHostVector([1, 2], 'v', 'f')).toEqual(Float64Array.from([1, 2]));
    expect(toHostVector(Float32Array.from([1, 2]), 'v', 'f')).toEqual(Float64Array.from([1, 2]));
    const t = tf.tensor1d([1, 2]);
    expect(toHostVector(t, 'v', 'f')).toEqual(Float64Array.from([1, 2]));
    t.dispose();
    expectDroError(() => toHostVector([[1]], 'v', 'f'), 'E_SHAPE', 'v');
    expectDroError(() => toHostVector({}, 'v', 'f'), 'E_DTYPE', 'v');
    expectDroError(() => toHostVector([Number.POSITIVE_INFINITY], 'v', 'f'), 'E_NONFINITE', 'v');
  });
  it('toLabels accepts Tensor1D (int32 and whole float32), arrays and typed arrays', () => {
    const want = Int32Array.from([0, 2, 1]);
    expect(toLabels([0, 2, 1], 'y', 'f', { numClasses: 3 })).toEqual(want);
    expect(toLabels(Uint8Array.from([0, 2, 1]), 'y', 'f', { numClasses: 3 })).toEqual(want);
    const ti = tf.tensor1d([0, 2, 1], 'int32');
    const tf32 = tf.tensor1d([0, 2, 1]);
    expect(toLabels(ti, 'y', 'f', { numClasses: 3 })).toEqual(want);
    expect(toLabels(tf32, 'y', 'f', { numClasses: 3 })).toEqual(want);
    tf.dispose([ti, tf32]);
    expectDroError(() => toLabels([0, 3], 'y', 'f', { numClasses: 3 }), 'E_LABEL_RANGE', 'y');
    expectDroError(() => toLabels([0, -1], 'y', 'f', { numClasses: 3 }), 'E_LABEL_RANGE', 'y');
    expect(toLabels([0, -2], 'y', 'f', { numClasses: 3, extra: [-2] })).toEqual(Int32Array.from([0, -2]));
    expectDroError(() => toLabels([0, 0.5], 'y', 'f'), 'E_DTYPE', 'y');
    expectDroError(() => toLabels('012', 'y', 'f'), 'E_DTYPE', 'y');
    expectDroError(() => toLabels([0, 1], 'y', 'f', { length: 3 }), 'E_SHAPE', 'y');
    expectDroError(() => toLabels([], 'y', 'f'), 'E_EMPTY', 'y');
  });
  it('checkNumClasses and checkLength', () => {
    expect(checkNumClasses(3)).toBe(3);
    expectDroError(() => checkNumClasses(1), 'E_SPEC', 'numClasses');
    expectDroError(() => checkNumClasses(2.5), 'E_SPEC', 'numClasses');
    expectDroError(() => checkLength(2, 3, 'weights', 'row'), 'E_SHAPE', 'weights');
  });
});
