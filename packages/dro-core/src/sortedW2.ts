import * as tf from '@tensorflow/tfjs-core';
import { DroError } from './errors.js';
import { uniformCoupling } from './quantileCoupling.js';
import { toTensor } from './validate/toTensor.js';
import { checkReduction, type W2Reduction } from './w2Squared1d.js';

/** Host constants of one (n, m) shape: gather ranks, masses and the 0/1 scatter matrices of the backward pass. */
function couplingConstants(n: number, m: number) {
  const u = uniformCoupling(n, m);
  const J = u.mass.length;
  const scatterA = new Float32Array(J * n);
  const scatterB = new Float32Array(J * m);
  for (let r = 0; r < J; r++) {
    scatterA[r * n + u.src[r]!] = 1;
    scatterB[r * m + u.tgt[r]!] = 1;
  }
  return { u, J, scatterA, scatterB, mass: Float32Array.from(u.mass) };
}

/** Ascending sort of every column of x [n, d] → sorted [d, n] and the flat inverse permutation [d·n]. */
function sortColumns(x: tf.Tensor2D): { sorted: tf.Tensor2D; inverseFlat: tf.Tensor1D } {
  const [n, d] = x.shape;
  // topk breaks ties by the lower index, so topk of the negation is the stable ascending order.
  const top = tf.topk(tf.neg(tf.transpose(x)), n);
  const sorted = tf.neg(top.values) as tf.Tensor2D;
  // Inverse permutation by a second topk; gather with batchDims > 0 is wrong on wasm 4.22 (tfjs#8658), so
  // the un-permute is a flat gather with the row offsets added by hand.
  const inverse = tf.topk(tf.neg(tf.cast(top.indices, 'float32')), n).indices;
  const offsets = tf.reshape(tf.mul(tf.range(0, d, 1, 'int32'), tf.scalar(n, 'int32')), [d, 1]);
  const inverseFlat = tf.reshape(tf.add(inverse, offsets), [-1]) as tf.Tensor1D;
  return { sorted, inverseFlat };
}

function unpermute(gSorted: tf.Tensor2D, inverseFlat: tf.Tensor1D, rows: number, d: number): tf.Tensor2D {
  return tf.transpose(tf.reshape(tf.gather(tf.reshape(gSorted, [-1]), inverseFlat), [d, rows])) as tf.Tensor2D;
}

/**
 * Batched exact W₂² between the columns of `a [n, d]` and `b [m, d]` (column c against column c, uniform
 * weights, n ≠ m allowed) as a differentiable float32 tfjs op; gradients flow to both inputs.
 * `reduction: 'mean'` (default) averages the d per-column values, `'sum'` adds them, `'none'` returns `[d]`.
 * The coupling is the quantile coupling `uniformCoupling(n, m)`; at tied inputs the stable order picks one
 * subgradient. Works on cpu and wasm (sorts by `topk`, scatters by matmul, un-permutes by a flat gather).
 * The float64 twin is `sortedW2Host`.
 *
 * @example
 * ```ts
 * const loss = sortedW2(generated, target); // scalar, differentiable in both
 * ```
 */
export function sortedW2(
  a: tf.Tensor2D | tf.TensorLike,
  b: tf.Tensor2D | tf.TensorLike,
  opts: { reduction?: W2Reduction } = {},
): tf.Tensor {
  const reduction = checkReduction(opts, 'sortedW2');
  // Arrays become tensors here; tidy disposes them and keeps only the result.
  return tf.tidy(() => {
    const ta = toTensor(a, 'a', 'sortedW2', { rank: 2 }) as tf.Tensor2D;
    const tb = toTensor(b, 'b', 'sortedW2', { rank: 2 }) as tf.Tensor2D;
    return sortedW2Tensors(ta, tb, reduction);
  });
}

/** @internal sortedW2 on validated float32 rank-2 tensors (also the op under slicedW2). */
export function sortedW2Tensors(a: tf.Tensor2D, b: tf.Tensor2D, reduction: W2Reduction): tf.Tensor {
  for (const [t, name] of [
    [a, 'a'],
    [b, 'b'],
  ] as const) {
    if (t.size === 0) throw new DroError('E_EMPTY', `sortedW2: ${name} is empty`, { argument: name });
  }
  const [n, d] = a.shape;
  const [m, db] = b.shape;
  if (d !== db) {
    throw new DroError('E_SHAPE', 'sortedW2: a and b must have the same number of columns', {
      argument: 'b',
      expected: `${d} columns`,
      received: `shape [${b.shape.join(', ')}]`,
    });
  }
  const k = couplingConstants(n, m);
  const op = tf.customGrad(((x: tf.Tensor2D, y: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const sa = sortColumns(x);
    const sb = sortColumns(y);
    const src = tf.tensor1d(k.u.src, 'int32');
    const tgt = tf.tensor1d(k.u.tgt, 'int32');
    const diff = tf.sub(tf.gather(sa.sorted, src, 1), tf.gather(sb.sorted, tgt, 1)) as tf.Tensor2D; // [d, J]
    const mass = tf.tensor1d(k.mass);
    const perColumn = tf.sum(tf.mul(mass, tf.square(diff)), 1);
    save([diff, sa.inverseFlat, sb.inverseFlat]);
    const value =
      reduction === 'none' ? perColumn : reduction === 'sum' ? tf.sum(perColumn) : tf.div(tf.sum(perColumn), d);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sDiff, invA, invB] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
        const scale =
          reduction === 'none' ? tf.reshape(dy, [d, 1]) : reduction === 'sum' ? dy : tf.div(dy, tf.scalar(d));
        const gDiff = tf.mul(tf.mul(tf.mul(tf.tensor1d(k.mass), sDiff), 2), scale) as tf.Tensor2D; // [d, J]
        const gSortedA = tf.matMul(gDiff, tf.tensor2d(k.scatterA, [k.J, n])) as tf.Tensor2D;
        const gSortedB = tf.neg(tf.matMul(gDiff, tf.tensor2d(k.scatterB, [k.J, m]))) as tf.Tensor2D;
        return [unpermute(gSortedA, invA, n, d), unpermute(gSortedB, invB, m, d)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor;
  return op(a, b);
}
