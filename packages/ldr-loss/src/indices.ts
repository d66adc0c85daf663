import { checkIndex, checkNumber, DroError, describeValue } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { DUPLICATE_RULE, kebab } from './options.js';

/** Dataset positions of the rows of a batch (integers in `[0, numInstances)`, stable across epochs). */
export type IndicesLike = tf.Tensor1D | ArrayLike<number>;

/** What to do when one batch holds the same sample index twice. `'lastWins'` is the deprecated `'last-wins'`. */
export type DuplicatePolicy = 'last-wins' | 'throw' | /** @deprecated use 'last-wins' */ 'lastWins';

/** Validates a duplicate policy option; returns its kebab-case name (`'last-wins'` by default). */
export function checkDuplicatePolicy(v: unknown): 'last-wins' | 'throw' {
  const p = v ?? 'last-wins';
  DUPLICATE_RULE.check(p, 'onDuplicateIndex');
  return kebab<'last-wins' | 'throw'>(p as string);
}

/** Validates `numInstances`: a positive integer. */
export function checkNumInstances(v: unknown): number {
  return checkNumber(v, 'numInstances', { min: 1, integer: true });
}

/**
 * Reads indices to the host and validates them: int32 tensor or host array, length `rows` (E_SHAPE),
 * integers in `[0, numInstances)` (E_INDEX_RANGE), duplicates per policy (E_INDEX_RANGE under 'throw').
 */
export function parseIndices(
  indices: IndicesLike,
  rows: number,
  numInstances: number,
  policy: DuplicatePolicy,
  fn: string,
): Int32Array {
  let values: ArrayLike<number>;
  if (indices instanceof tf.Tensor) {
    if (indices.dtype !== 'int32') {
      throw new DroError('E_DTYPE', `${fn}: indices must be an int32 tensor`, {
        argument: 'indices',
        received: indices.dtype,
      });
    }
    if (indices.rank !== 1) {
      throw new DroError('E_SHAPE', `${fn}: indices must be 1-D`, {
        argument: 'indices',
        received: `rank ${indices.rank}`,
      });
    }
    values = indices.dataSync() as ArrayLike<number>;
  } else if (indices !== null && typeof indices === 'object' && 'length' in indices) {
    values = indices;
  } else {
    throw new DroError('E_DTYPE', `${fn}: indices must be an int32 tensor or an array`, {
      argument: 'indices',
      received: describeValue(indices),
    });
  }
  if (values.length !== rows) {
    throw new DroError('E_SHAPE', `${fn}: indices must have one entry per row`, {
      argument: 'indices',
      expected: `length ${rows}`,
      received: `length ${values.length}`,
    });
  }
  const out = new Int32Array(rows);
  const seen = policy === 'throw' ? new Map<number, number>() : null;
  for (let i = 0; i < rows; i++) {
    const v = checkIndex(values[i], numInstances, `${fn}: indices[${i}]`);
    if (seen) {
      const prev = seen.get(v);
      if (prev !== undefined) {
        throw new DroError('E_INDEX_RANGE', `${fn}: index ${v} appears twice in the batch (rows ${prev} and ${i})`, {
          argument: 'indices',
          expected: "distinct indices under onDuplicateIndex: 'throw'",
        });
      }
      seen.set(v, i);
    }
    out[i] = v;
  }
  return out;
}
