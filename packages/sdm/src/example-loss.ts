import * as tf from '@tensorflow/tfjs-core';
import { type RobustSpec, robustLoss } from '@drojs/dro-core';

/**
 * Placeholder method: the robust aggregate of per-sample squared errors. Replace with the method.
 * @param errors - per-sample residuals, float32, 1-D.
 * @param spec - the uncertainty set (see dro-core's RobustSpec).
 */
export function exampleLoss(errors: tf.Tensor1D, spec: RobustSpec): tf.Scalar {
  return tf.tidy(() => robustLoss(tf.square(errors) as tf.Tensor1D, spec));
}
