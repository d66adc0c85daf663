/**
 * The robust losses without a synchronous read-back, for backends where a synchronous read is unavailable or
 * blocks (tfjs-backend-webgpu in Node throws "OffscreenCanvas is not defined"; in a browser it stalls the
 * GPU pipeline). A tape cannot stay open across an `await`, so one robust step takes two passes: the
 * per-sample losses are computed and read asynchronously, the exact host solver turns them into weights,
 * and the step differentiates `Σ const(p_i)·l_i + c` — the same surrogate, built from the same ops, as the
 * synchronous {@link robustLoss}, so on cpu and wasm both paths give bit-identical parameters.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkAborted, checkFinite, DroError } from './errors.js';
import { type SolveInfo, solveWeights } from './solve.js';
import { type RobustSpec, validateSpec } from './spec.js';
import { checkFloatTensor } from './tensorChecks.js';

/**
 * What one host solve of a batch's per-sample losses yields: everything needed to build the training
 * surrogate later without reading the device again.
 */
export interface RobustPlan {
  /** Worst-case weights `p*` (float64, one per sample, on the simplex). */
  weights: Float64Array;
  /** The robust objective `R(l)` in float64 at the losses that were read. */
  value: number;
  /** `c = R − Σ p*_i l_i` (float64): added so that the surrogate's value equals `R`. */
  offset: number;
  /** The solver's report. */
  info: SolveInfo;
}

/**
 * Reads `losses` asynchronously (`await losses.data()`) and solves for the worst-case weights on the host.
 * Does not dispose `losses`. GPU-safe: no synchronous read.
 * @throws DroError `E_DTYPE`/`E_SHAPE`/`E_EMPTY` for a bad tensor, `E_NONFINITE` for NaN/Inf losses,
 *   `E_SPEC` for a bad spec (all before the read).
 */
export async function solveRobustAsync(losses: tf.Tensor1D, spec: RobustSpec): Promise<RobustPlan> {
  validateSpec(spec);
  checkFloatTensor(losses, 'losses', 1);
  const l = Float64Array.from(await losses.data());
  checkFinite(l, 'losses');
  const { weights, value, info } = solveWeights(l, spec);
  let lin = 0;
  for (let i = 0; i < l.length; i++) lin += weights[i]! * l[i]!;
  return { weights, value, offset: value - lin, info };
}

/**
 * The training surrogate `Σ const(p_i)·l_i + c` of a {@link RobustPlan}: value `R(l)` (at the losses the plan
 * was solved from), gradient `Σ p_i ∇l_i`. Reads nothing from the device, so it may run inside
 * `optimizer.minimize` / `tf.variableGrads` on any backend.
 * @throws DroError `E_SHAPE` when `losses` does not have one entry per plan weight.
 */
export function robustSurrogate(losses: tf.Tensor1D, plan: RobustPlan): tf.Scalar {
  checkFloatTensor(losses, 'losses', 1);
  if (losses.size !== plan.weights.length) {
    throw new DroError('E_SHAPE', 'losses does not match the plan', {
      argument: 'losses',
      expected: `${plan.weights.length} per-sample losses`,
      received: `shape [${losses.shape.join(', ')}]`,
    });
  }
  // The same ops in the same order as robustLossWithInfo, so both paths round identically.
  const p = tf.tensor1d(Float32Array.from(plan.weights), 'float32');
  const loss = tf.tidy(() => tf.add(tf.sum(tf.mul(p, losses)), tf.scalar(plan.offset)) as tf.Scalar);
  p.dispose();
  return loss;
}

/**
 * Async {@link robustLossWithInfo}: the surrogate of `losses` after an awaited read. Use it outside a
 * tape (evaluation, logging); to train, use {@link robustStep}, which recomputes the losses under the
 * tape. The caller disposes `loss` and `weights`.
 */
export async function robustLossAsync(
  losses: tf.Tensor1D,
  spec: RobustSpec,
): Promise<{ loss: tf.Scalar; weights: tf.Tensor1D; value: number; info: SolveInfo }> {
  const plan = await solveRobustAsync(losses, spec);
  const loss = robustSurrogate(losses, plan);
  const weights = tf.tensor1d(Float32Array.from(plan.weights), 'float32');
  return { loss, weights, value: plan.value, info: plan.info };
}

/** Options of {@link robustStep}. */
export interface RobustStepOptions {
  /** Variables to update (default: every trainable variable the loss touches, as `minimize` does). */
  varList?: tf.Variable[];
  /** Checked before the step starts. */
  signal?: AbortSignal;
}

/** What {@link robustStep} reports. */
export interface RobustStepResult {
  /** The robust objective `R(l)` (float64) at the parameters before the step. */
  value: number;
  /** The worst-case weights used by the step (float64). */
  weights: Float64Array;
  /** The solver's report. */
  info: SolveInfo;
}

/**
 * One optimizer step on the robust objective without a synchronous read — the training path for WebGPU.
 * Pass 1 runs `perSampleLosses()` outside the tape and awaits its values; the host solver gives the weights;
 * pass 2 runs `perSampleLosses()` again under `optimizer.minimize` and differentiates {@link robustSurrogate}.
 *
 * `perSampleLosses` is called twice and must return the same losses both times: a deterministic function of
 * the current parameters and data. Draw noise or dropout masks outside it (or seed them identically);
 * otherwise the weights belong to the first draw. On cpu/wasm the updated parameters are bit-identical to
 * `optimizer.minimize(() => robustLoss(perSampleLosses(), spec))`.
 * @throws DroError as {@link solveRobustAsync}; `E_ABORTED` when `signal` is aborted; `E_SHAPE` when the
 *   second pass returns a different number of losses.
 */
export async function robustStep(
  optimizer: tf.Optimizer,
  perSampleLosses: () => tf.Tensor1D,
  spec: RobustSpec,
  options: RobustStepOptions = {},
): Promise<RobustStepResult> {
  validateSpec(spec);
  checkAborted(options.signal, 'robustStep');
  const first = tf.tidy(perSampleLosses);
  let plan: RobustPlan;
  try {
    plan = await solveRobustAsync(first, spec);
  } finally {
    first.dispose();
  }
  const cost = optimizer.minimize(() => robustSurrogate(perSampleLosses(), plan), false, options.varList);
  cost?.dispose();
  return { value: plan.value, weights: plan.weights, info: plan.info };
}

/** Async {@link perRow}: row-wise worst-case weights of a `[B, K]` loss matrix after one awaited read. */
export async function perRowAsync(losses: tf.Tensor2D, spec: RobustSpec): Promise<tf.Tensor2D> {
  validateSpec(spec);
  checkFloatTensor(losses, 'losses', 2);
  const [b, k] = losses.shape;
  const v = Float64Array.from(await losses.data());
  checkFinite(v, 'losses');
  const out = new Float32Array(b * k);
  for (let r = 0; r < b; r++) out.set(solveWeights(v.subarray(r * k, (r + 1) * k), spec).weights, r * k);
  return tf.tensor2d(out, [b, k], 'float32');
}
