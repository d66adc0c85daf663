import { DroError } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import type { Matrix } from '../hostData.js';
import { toMat } from '../hostData.js';
import { pivotedQr } from '../linalg/qr.js';
import { checkAlpha } from './ivlDesign.js';

/**
 * IVL loss for non-linear models on one batch: (‖Q'r‖² + α‖r‖²)/b with r = yTrue − yPred (summed over
 * output columns) and Q an orthonormal basis of the batch's DA parameters G, computed on the host in
 * float64 (G is data: no gradient) and uploaded as a constant. The residuals are projected — not the
 * per-sample squared errors, which would reduce to a re-weighted ERM risk (the reference SGD loss's
 * bug). A projection from one small batch is biased: use b ≥ 8k.
 */
export function ivlLoss(yTrue: tf.Tensor, yPred: tf.Tensor, G: tf.Tensor2D | Matrix, alpha: number): tf.Scalar {
  const a = checkAlpha(alpha);
  if (!Number.isFinite(a)) throw new DroError('E_SPEC', 'alpha must be finite in ivlLoss', { argument: 'alpha' });
  const Gm = toMat(G, 'G', 'ivlLoss');
  const b = yPred.shape[0];
  if (yTrue.shape[0] !== b)
    throw new DroError('E_SHAPE', `yTrue has ${yTrue.shape[0]} rows, yPred has ${b}`, { argument: 'yTrue' });
  if (Gm.rows !== b) throw new DroError('E_SHAPE', `G has ${Gm.rows} rows for a batch of ${b}`, { argument: 'G' });
  const { Q } = pivotedQr(Gm);
  return tf.tidy(() => {
    const r = tf.reshape(tf.sub(yTrue, yPred), [b, -1]);
    const erm = tf.sum(tf.square(r));
    if (Q.cols === 0) return tf.div(tf.mul(erm, a), b) as tf.Scalar;
    const Qt = tf.tensor2d(Float32Array.from(Q.data), [Q.rows, Q.cols]);
    const Qr = tf.matMul(Qt, r, true, false);
    return tf.div(tf.add(tf.sum(tf.square(Qr)), tf.mul(erm, a)), b) as tf.Scalar;
  });
}
