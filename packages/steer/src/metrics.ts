import { DroError, describeValue, toLabels } from '@drojs/dro-core/host';
import * as tf from '@tensorflow/tfjs-core';

/** Steering metrics on labelled rows. */
export interface SteeringReport {
  /** Share of source-class rows predicted as the target class (`null`: no source rows). */
  success: number | null;
  /** Accuracy on the source-class rows (`null`: none). */
  sourceAcc: number | null;
  /** Accuracy on every row not of the source class, the target class included (`null`: none). */
  offTargetAcc: number | null;
  /** Rows of the source class. */
  nSource: number;
  /** Rows of other classes. */
  nOther: number;
}

/**
 * Steering success and off-target accuracy from logits `[n, numClasses]` and integer labels. Predictions
 * are the argmax, the lowest index on ties.
 * @throws DroError `E_DTYPE` (not a rank-2 tensor), `E_SHAPE` (labels of another length), `E_LABEL_RANGE`,
 * `E_SPEC` (`source`/`target` not class indices).
 */
export function steeringReport(
  logits: tf.Tensor2D,
  labels: ArrayLike<number>,
  opts: { source: number; target: number },
): SteeringReport {
  const caller = 'steeringReport';
  if (!(logits instanceof tf.Tensor) || logits.isDisposed || logits.rank !== 2) {
    throw new DroError('E_DTYPE', `${caller}: logits must be a live rank-2 tensor`, {
      argument: 'logits',
      received: logits instanceof tf.Tensor ? `rank ${logits.rank}` : describeValue(logits),
    });
  }
  const [n, k] = logits.shape;
  const y = toLabels(labels as number[], 'labels', caller, { numClasses: Math.max(k, 2), length: n });
  for (const key of ['source', 'target'] as const) {
    const c = opts?.[key];
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= k) {
      throw new DroError('E_SPEC', `${caller}: opts.${key} must be a class index in [0, ${k - 1}]`, {
        argument: `opts.${key}`,
        received: describeValue(c),
      });
    }
  }
  const z = logits.dataSync();
  let nSource = 0;
  let hit = 0;
  let sourceRight = 0;
  let nOther = 0;
  let otherRight = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (z[i * k + c]! > z[i * k + best]!) best = c;
    if (y[i] === opts.source) {
      nSource++;
      if (best === opts.target) hit++;
      if (best === opts.source) sourceRight++;
    } else {
      nOther++;
      if (best === y[i]) otherRight++;
    }
  }
  return {
    success: nSource > 0 ? hit / nSource : null,
    sourceAcc: nSource > 0 ? sourceRight / nSource : null,
    offTargetAcc: nOther > 0 ? otherRight / nOther : null,
    nSource,
    nOther,
  };
}
