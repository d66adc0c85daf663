import * as tf from '@tensorflow/tfjs-core';
import { checkFinite } from './errors.js';
import { type SolveInfo, solveWeights } from './solve.js';
import { type RobustSpec, validateSpec } from './spec.js';
import { checkFloatTensor } from './tensorChecks.js';

function hostLosses(values: ArrayLike<number>): Float64Array {
  const l = Float64Array.from(values);
  checkFinite(l, 'losses');
  return l;
}

/**
 * Worst-case weights `p*` of a batch of per-sample losses as a constant float32 tensor (no tape connection).
 * One synchronous read-back; use {@link robustWeightsAsync} outside a tape.
 */
export function robustWeights(losses: tf.Tensor1D, spec: RobustSpec): tf.Tensor1D {
  validateSpec(spec);
  checkFloatTensor(losses, 'losses', 1);
  const { weights } = solveWeights(hostLosses(losses.dataSync()), spec);
  return tf.tensor1d(Float32Array.from(weights), 'float32');
}

/** Async {@link robustWeights}: awaits the read-back instead of blocking. */
export async function robustWeightsAsync(losses: tf.Tensor1D, spec: RobustSpec): Promise<tf.Tensor1D> {
  validateSpec(spec);
  checkFloatTensor(losses, 'losses', 1);
  const { weights } = solveWeights(hostLosses(await losses.data()), spec);
  return tf.tensor1d(Float32Array.from(weights), 'float32');
}

/**
 * The robust objective as a training surrogate: value `R(l)`, gradient `Σ p*_i ∇l_i` (Danskin), built as
 * `Σ const(p*_i)·l_i + c` with the constant `c = R − Σ p*_i l_i` computed in float64. Autodiff never flows
 * through `p*`. Works inside `optimizer.minimize` / `tf.variableGrads` closures (synchronous read-back).
 */
export function robustLoss(losses: tf.Tensor1D, spec: RobustSpec): tf.Scalar {
  return robustLossWithInfo(losses, spec, false).loss;
}

/** {@link robustLoss} plus the weights tensor, the float64 value and the solver's info. */
export function robustLossWithInfo(
  losses: tf.Tensor1D,
  spec: RobustSpec,
  keepWeights = true,
): { loss: tf.Scalar; weights: tf.Tensor1D; value: number; info: SolveInfo } {
  validateSpec(spec);
  checkFloatTensor(losses, 'losses', 1);
  const l = hostLosses(losses.dataSync());
  const { weights, value, info } = solveWeights(l, spec);
  let lin = 0;
  for (let i = 0; i < l.length; i++) lin += weights[i]! * l[i]!;
  const c = value - lin;
  const p = tf.tensor1d(Float32Array.from(weights), 'float32');
  const loss = tf.tidy(() => tf.add(tf.sum(tf.mul(p, losses)), tf.scalar(c)) as tf.Scalar);
  if (!keepWeights) p.dispose();
  return { loss, weights: p, value, info };
}

/** Row-wise worst-case weights of a `[B, K]` loss matrix (e.g. over classes or Monte-Carlo samples), constant. */
export function perRow(losses: tf.Tensor2D, spec: RobustSpec): tf.Tensor2D {
  validateSpec(spec);
  checkFloatTensor(losses, 'losses', 2);
  const [b, k] = losses.shape;
  const v = Float64Array.from(losses.dataSync());
  checkFinite(v, 'losses');
  const out = new Float32Array(b * k);
  for (let r = 0; r < b; r++) out.set(solveWeights(v.subarray(r * k, (r + 1) * k), spec).weights, r * k);
  return tf.tensor2d(out, [b, k], 'float32');
}
