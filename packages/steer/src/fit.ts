import { checkAborted, checkOptions, DroError, opt } from '@drojs/dro-core/host';
import * as tf from '@tensorflow/tfjs-core';
import { capture, checkRunArgs } from './activations.js';
import { type LayerRef, layerWidths, resolveLayers, type SteerTarget } from './intercept.js';
import { checkLossOptions, checkSameFeatures, type LineasLossOptions, lossFromTargets } from './loss.js';
import { SteerMaps } from './maps.js';
import { proxSparseGroup } from './prox.js';

/** Options of {@link fitSteer}. */
export interface FitSteerOptions extends LineasLossOptions {
  /** Layers to steer: indices into `model.layers` (or the hook's numbers) or layer names. Required. */
  layers: LayerRef[];
  /** Optimisation steps (default 600, the digits protocol; the reference code uses 1000). */
  steps?: number;
  /** Learning rate, also the prox step τ (default 0.05 for `'sgd'`, 1e-3 for `'adam'`). */
  lr?: number;
  /** `'sgd'` (plain gradient descent, default) or `'adam'` (β₁ 0.9, β₂ 0.999, ε 1e-7). */
  optimizer?: 'sgd' | 'adam';
  /** `'constant'` (default) or `'cosine'`: lr·(f + (1 − f)·½(1 + cos(πt/steps))), f = 1e-3. */
  schedule?: 'constant' | 'cosine';
  /** L1 weight λ₁ on `u = ω − 1` (default 0). */
  lambda1?: number;
  /** Group weight λ_G on `u` per layer (default 0). */
  lambdaGroup?: number;
  /** L1 weight on the biases (default `lambda1`). */
  lambda1Bias?: number;
  /** Group weight on the biases per layer (default `lambdaGroup`). */
  lambdaGroupBias?: number;
  /**
   * Called after every step with the loss before it, the touched neurons after it and the maps being fitted
   * (read them, e.g. `maps.omega(layer)`; do not dispose or change them).
   */
  onStep?: (step: number, loss: number, touched: number, maps: SteerMaps) => void;
  /** Progress as a fraction: `{ step, steps, loss, touched }` after every step. */
  onProgress?: (p: { step: number; steps: number; loss: number; touched: number }) => void;
  /** Aborts between steps with `E_ABORTED` (the maps are disposed). */
  signal?: AbortSignal;
}

/** Result of {@link fitSteer}: the fitted maps (the caller disposes them) and the per-step history. */
export interface FitSteerResult {
  maps: SteerMaps;
  /** One entry per step: the loss before the step and the touched count after step and prox. */
  history: { loss: number; touched: number }[];
}

const nonNegative = () => opt.number({ min: 0 });
const OPTIONS = {
  layers: opt.array().require(),
  steps: opt.integer({ min: 1 }),
  lr: opt.number({ min: 0, minExclusive: true }),
  optimizer: opt.oneOf(['sgd', 'adam']),
  schedule: opt.oneOf(['constant', 'cosine']),
  lambda1: nonNegative(),
  lambdaGroup: nonNegative(),
  lambda1Bias: nonNegative(),
  lambdaGroupBias: nonNegative(),
  layerReduction: opt.any(),
  neuronReduction: opt.any(),
  pooling: opt.any(),
  onStep: opt.function(),
  onProgress: opt.function(),
  signal: opt.signal(),
};

const COSINE_FLOOR = 1e-3;
const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-7 };
/** Steps between yields to the event loop, so that an abort from a timer or a UI can land. */
const YIELD_EVERY = 10;

/** Host mirror of one parameter vector (equal to its float32 variable) and the Adam moments. */
interface Slot {
  layer: number;
  omega: Float64Array;
  bias: Float64Array;
  m: Float64Array[];
  v: Float64Array[];
}

function learningRate(lr: number, schedule: 'constant' | 'cosine', t: number, steps: number): number {
  if (schedule === 'constant') return lr;
  return lr * (COSINE_FLOOR + (1 - COSINE_FLOOR) * 0.5 * (1 + Math.cos((Math.PI * t) / steps)));
}

/**
 * Fits LinEAS maps: starting at the identity, every step computes the loss of {@link lineasLoss} on the
 * full source and target batches and its gradient in all maps at once (end to end: a map upstream gets
 * gradient from every deeper term), takes an optimiser step, then the sparse-group proximal step with
 * τ = the step's learning rate on `u_ℓ = ω_ℓ − 1` and on `b_ℓ`, per layer. Target activations are computed
 * once. The optimiser state and the proximal step run on the host in float64; the maps are float32.
 * @throws DroError `E_SPEC` (options), `E_EMPTY`, `E_DTYPE`, `E_SHAPE`, `E_INDEX_RANGE` (inputs and layers,
 * before any work), `E_NONFINITE` (a non-finite loss: the run stops and names the step), `E_ABORTED`.
 */
export async function fitSteer(
  model: SteerTarget,
  source: tf.Tensor,
  target: tf.Tensor,
  opts: FitSteerOptions,
): Promise<FitSteerResult> {
  const caller = 'fitSteer';
  checkOptions(opts, OPTIONS, caller);
  checkRunArgs(model, source, 'source', caller);
  checkRunArgs(model, target, 'target', caller);
  checkSameFeatures(source, target, caller);
  const { layerReduction, neuronReduction, pooling } = opts;
  const lossOpts = checkLossOptions({ layerReduction, neuronReduction, pooling }, caller);
  const layers = resolveLayers(model, opts.layers, caller);
  const optimizer = opts.optimizer ?? 'sgd';
  const schedule = opts.schedule ?? 'constant';
  const steps = opts.steps ?? 600;
  const lr = opts.lr ?? (optimizer === 'sgd' ? 0.05 : 1e-3);
  const lam1 = opts.lambda1 ?? 0;
  const lamG = opts.lambdaGroup ?? 0;
  const lam1B = opts.lambda1Bias ?? lam1;
  const lamGB = opts.lambdaGroupBias ?? lamG;
  checkAborted(opts.signal, caller);

  const widths = layerWidths(model, source, layers, 'source');
  const maps = new SteerMaps({ layers, widths });
  const targets = capture(model, target, layers, null, lossOpts.pooling, 'target', caller);
  const slots: Slot[] = layers.map((layer, k) => ({
    layer,
    omega: new Float64Array(widths[k]!).fill(1),
    bias: new Float64Array(widths[k]!),
    m: [new Float64Array(widths[k]!), new Float64Array(widths[k]!)],
    v: [new Float64Array(widths[k]!), new Float64Array(widths[k]!)],
  }));
  const vars = maps.variables();
  const history: FitSteerResult['history'] = [];
  try {
    for (let t = 0; t < steps; t++) {
      checkAborted(opts.signal, caller);
      if (t > 0 && t % YIELD_EVERY === 0) {
        await new Promise((r) => setTimeout(r, 0));
        checkAborted(opts.signal, caller);
      }
      let loss = Number.NaN;
      let grads: Float64Array[] = [];
      tf.tidy(() => {
        const g = tf.variableGrads(() => lossFromTargets(model, source, targets, maps, lossOpts).value, vars);
        grads = vars.map((v) => Float64Array.from(g.grads[v.name]!.dataSync()));
        loss = g.value.dataSync()[0]!;
      });
      if (!Number.isFinite(loss)) {
        throw new DroError('E_NONFINITE', `${caller}: the loss became non-finite at step ${t}`, {
          argument: 'source',
          received: String(loss),
        });
      }
      const rate = learningRate(lr, schedule, t, steps);
      let touched = 0;
      slots.forEach((s, k) => {
        const gOmega = grads[k]!;
        const gBias = grads[k + slots.length]!;
        const step = (p: Float64Array, g: Float64Array, which: 0 | 1): Float64Array => {
          const out = new Float64Array(p.length);
          if (optimizer === 'sgd') {
            for (let j = 0; j < p.length; j++) out[j] = p[j]! - rate * g[j]!;
            return out;
          }
          const m = s.m[which]!;
          const v = s.v[which]!;
          const c1 = 1 - ADAM.beta1 ** (t + 1);
          const c2 = 1 - ADAM.beta2 ** (t + 1);
          for (let j = 0; j < p.length; j++) {
            m[j] = ADAM.beta1 * m[j]! + (1 - ADAM.beta1) * g[j]!;
            v[j] = ADAM.beta2 * v[j]! + (1 - ADAM.beta2) * g[j]! * g[j]!;
            out[j] = p[j]! - (rate * (m[j]! / c1)) / (Math.sqrt(v[j]! / c2) + ADAM.eps);
          }
          return out;
        };
        const omegaNew = step(s.omega, gOmega, 0);
        const u = proxSparseGroup(
          omegaNew.map((w) => w - 1),
          rate,
          lam1,
          lamG,
        );
        const b = proxSparseGroup(step(s.bias, gBias, 1), rate, lam1B, lamGB);
        // The mirrors hold the float32 values the variables get, so the next step starts from them.
        for (let j = 0; j < u.length; j++) {
          s.omega[j] = Math.fround(1 + u[j]!);
          s.bias[j] = Math.fround(b[j]!);
          if (s.omega[j] !== 1 || s.bias[j] !== 0) touched++;
        }
        maps.setMap(s.layer, s.omega, s.bias);
      });
      history.push({ loss, touched });
      opts.onStep?.(t, loss, touched, maps);
      opts.onProgress?.({ step: t + 1, steps, loss, touched });
    }
  } catch (e) {
    maps.dispose();
    throw e;
  } finally {
    for (const x of targets) x.dispose();
  }
  return { maps, history };
}
