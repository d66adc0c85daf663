import * as tf from '@tensorflow/tfjs-core';
import {
  type CommonLossOptions,
  checkLogits,
  keepMaskOf,
  type LabelsLike,
  type LogitsLike,
  oneHotOf,
  parseLabels,
  withTensor,
} from './labels.js';
import { checkReduction, reduceRows } from './reduce.js';

/**
 * Shared driver of every stateless loss: validates logits, reduction and labels on the host (before any
 * tensor is made), flattens the leading axes to rows, evaluates `body` on `[rows, K]` logits and a one-hot
 * `[rows, K]` label matrix, and reduces. `body` returns the per-row loss `[rows]`.
 */
export function rowLoss(
  fn: string,
  logits: LogitsLike,
  labels: LabelsLike,
  opts: CommonLossOptions,
  body: (f: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor1D,
): tf.Tensor {
  return withTensor(logits, 'logits', fn, (t) => {
    const info = checkLogits(t, fn);
    const reduction = checkReduction(opts.reduction, fn);
    const parsed = parseLabels(labels, t.shape, opts, fn);
    return tf.tidy(() => {
      const f = tf.reshape(t, [info.rows, info.K]) as tf.Tensor2D;
      const y = oneHotOf(parsed.classes, info.K);
      const mask = keepMaskOf(parsed);
      // Σ_k 0·f_k is exactly 0 per row (zero gradient) unless a logit is NaN/±∞, and then NaN: the row
      // loss carries non-finite logits on every backend (on wasm, rceLoss's clipByValue and wwHingeLoss
      // otherwise turned a NaN / +∞ logit into a silently finite loss).
      const carry = tf.sum(tf.mul(f, 0), 1);
      return reduceRows(tf.add(body(f, y), carry) as tf.Tensor1D, mask, parsed.kept, reduction, info.rowShape);
    });
  });
}

/** `Σ_k a_k·y_k` per row: picks the label entry with a one-hot mask (no gather, wasm-safe). */
export function pick(a: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.mul(a, y), 1) as tf.Tensor1D;
}

/**
 * `make(x)` evaluated as a constant of the tape: the ops inside run in a custom-gradient kernel (not
 * recorded) and the gradient to `x` is zero. For masks from `argMax` / `topk` (topk has no gradient).
 */
export function constantOf(x: tf.Tensor, make: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  const op = customOp((a) => ({ value: make(a), gradFunc: () => tf.zerosLike(a) }));
  return op(x);
}

/** Typed wrapper of `tf.customGrad` for one input (tfjs's typing mixes inputs and the save function). */
export function customOp(
  fwd: (
    x: tf.Tensor,
    save: tf.GradSaveFunc,
  ) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor },
): (x: tf.Tensor) => tf.Tensor {
  return tf.customGrad(fwd as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor) => tf.Tensor;
}
