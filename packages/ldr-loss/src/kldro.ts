import {
  checkNumber,
  checkOptions,
  checkState,
  DroError,
  describeValue,
  invalidState,
  opt,
  stateKind,
  toTensor,
} from '@drojs/dro-core';
import type * as tf from '@tensorflow/tfjs-core';
import { MovingLogMeanExp, type MovingLogMeanExpState, robustLoss, robustWeights } from './core.js';

/** The state kind of {@link KlDroReweighter} (states of kind `'ldr-loss.KlDroReweighter'` still load). */
const KIND = stateKind('ldr-loss', 'KlDroReweighter');
const LEGACY_KIND = 'ldr-loss.KlDroReweighter';
/** The kind of the embedded dro-core state: `'@drojs/dro-core/MovingLogMeanExp'`. */
const MOVING_KIND = stateKind('dro-core', 'MovingLogMeanExp');

const REWEIGHTER_OPTIONS = {
  r: opt.number({ min: 0, minExclusive: true }).require(),
  beta: opt.number({ min: 0, minExclusive: true, max: 1 }),
};

function checkR(r: unknown, fn: string): number {
  if (typeof r !== 'number' || Number.isNaN(r) || r < 0) {
    throw new DroError('E_SPEC', `${fn}: r must be ≥ 0 (0 = max, Infinity = mean)`, {
      argument: 'r',
      received: describeValue(r),
    });
  }
  return r;
}

/** Runs `body` on per-sample losses as a rank-1 float32 tensor (dro-core's `toTensor`); disposes what it made. */
function withLosses<R>(x: unknown, fn: string, body: (t: tf.Tensor1D) => R): R {
  const t = toTensor(x, 'perSampleLosses', fn, { rank: 1 }) as tf.Tensor1D;
  try {
    return body(t);
  } finally {
    if (t !== x) t.dispose();
  }
}

/**
 * KL-DRO instance re-weighting (DONE's outer problem): `r·log mean exp(ℓ/r)` over per-sample losses `[n]`,
 * gradient `Σ_i softmax(ℓ/r)_i ∇ℓ_i`. r = 0 is the max, r = Infinity the mean. dro-core's `robustLoss`.
 * @throws DroError `E_DTYPE` for a non-numeric `perSampleLosses`, `E_SHAPE` for another rank, `E_SPEC` for r.
 */
export function klDroLoss(perSampleLosses: tf.Tensor1D | tf.TensorLike, r: number): tf.Scalar {
  const lambda = checkR(r, 'klDroLoss');
  return withLosses(perSampleLosses, 'klDroLoss', (t) => robustLoss(t, { kind: 'kl', lambda }));
}

/** The KL-DRO weights `softmax(ℓ/r)` (constants, no gradient). dro-core's `robustWeights`. */
export function klDroWeights(perSampleLosses: tf.Tensor1D | tf.TensorLike, r: number): tf.Tensor1D {
  const lambda = checkR(r, 'klDroWeights');
  return withLosses(perSampleLosses, 'klDroWeights', (t) => robustWeights(t, { kind: 'kl', lambda }));
}

/** Serialised {@link KlDroReweighter}. */
export interface KlDroReweighterState {
  /** `'@drojs/ldr-loss/KlDroReweighter'` (`'ldr-loss.KlDroReweighter'` in earlier releases, still accepted). */
  kind: string;
  version: 1;
  options: { r: number; beta: number };
  /** log u; null before the first call. */
  logU: number | null;
}

/**
 * Stochastic KL-DRO re-weighting over the data set (DONE / SCGD): a moving average u of `mean exp(ℓ/r)`
 * (first call γ = 1, then weight β on the new batch), weights `w_i = exp(ℓ_i/r − log u)/n` held constant.
 * `call` returns the surrogate `Σ_i w_i ℓ_i`; `objective()` is `r·log u`. Built on dro-core's
 * `MovingLogMeanExp` (its state, kind `'@drojs/dro-core/MovingLogMeanExp'`, is rebuilt on restore).
 * Options: `r > 0` (required), `beta ∈ (0, 1]` (default 0.9); unknown keys are rejected (`E_SPEC`).
 */
export class KlDroReweighter {
  private readonly r: number;
  private readonly beta: number;
  private inner: MovingLogMeanExp;
  private weights: Float64Array | null = null;

  constructor(opts: { r: number; beta?: number }) {
    checkOptions(opts, REWEIGHTER_OPTIONS, 'KlDroReweighter');
    this.r = checkNumber(opts?.r, 'r', { min: 0, minExclusive: true });
    this.beta = checkNumber(opts.beta ?? 0.9, 'beta', { min: 0, minExclusive: true, max: 1 });
    this.inner = new MovingLogMeanExp({ lambda: this.r, gamma: this.beta });
  }

  /**
   * Surrogate `Σ_i w_i ℓ_i` (gradient `Σ_i w_i ∇ℓ_i`); advances u. Non-finite losses → E_NONFINITE, a
   * non-numeric argument → E_DTYPE; u is untouched by a rejected call.
   */
  call(perSampleLosses: tf.Tensor1D | tf.TensorLike): tf.Scalar {
    return withLosses(perSampleLosses, 'KlDroReweighter.call', (t) => {
      const { weights, surrogate } = this.inner.update(t);
      const n = t.shape[0];
      this.weights = Float64Array.from(weights.dataSync(), (w) => w / n);
      weights.dispose();
      return surrogate;
    });
  }

  /**
   * {@link call} without a synchronous read (GPU-safe): awaits the losses and advances u exactly as `call` does.
   * Use it outside a tape (await each call before the next); to train, differentiate `Σ_i w_i ℓ_i` in a second,
   * taped pass with {@link lastWeights} as constants.
   */
  async callAsync(perSampleLosses: tf.Tensor1D | tf.TensorLike): Promise<tf.Scalar> {
    const t = toTensor(perSampleLosses, 'perSampleLosses', 'KlDroReweighter.callAsync', { rank: 1 }) as tf.Tensor1D;
    try {
      const { weights, surrogate } = await this.inner.updateAsync(t);
      const n = t.shape[0];
      // `weights` was built from host values: this read resolves from its CPU copy on every backend.
      this.weights = Float64Array.from(await weights.data(), (w) => w / n);
      weights.dispose();
      return surrogate;
    } finally {
      if (t !== perSampleLosses) t.dispose();
    }
  }

  /** The weights `w_i` of the last call (sum ≈ 1), or null. */
  lastWeights(): Float64Array | null {
    return this.weights === null ? null : this.weights.slice();
  }

  /** `r·log u` (NaN before the first call). */
  objective(): number {
    const s = this.inner.getState().logU;
    return s === null ? Number.NaN : this.r * s;
  }

  /** The moving average u (0 before the first call). */
  get u(): number {
    const s = this.inner.getState().logU;
    return s === null ? 0 : Math.exp(s);
  }

  reset(): void {
    this.inner = new MovingLogMeanExp({ lambda: this.r, gamma: this.beta });
    this.weights = null;
  }

  /** The state as plain JSON: kind `'@drojs/ldr-loss/KlDroReweighter'`, version 1, options and log u. */
  getState(): KlDroReweighterState {
    return {
      kind: KIND,
      version: 1,
      options: { r: this.r, beta: this.beta },
      logU: this.inner.getState().logU,
    };
  }

  /**
   * Restores a state from {@link KlDroReweighter.getState} (also kind `'ldr-loss.KlDroReweighter'`).
   * @throws DroError `E_STATE_VERSION` for a foreign kind or version, invalid options or a non-finite log u.
   */
  static fromState(state: KlDroReweighterState): KlDroReweighter {
    checkState(state, KIND, [1], [LEGACY_KIND]);
    let x: KlDroReweighter;
    try {
      x = new KlDroReweighter(state.options);
    } catch (e) {
      throw invalidState('state.options', 'valid KlDroReweighter options', (e as Error).message);
    }
    if (state.logU !== null && (typeof state.logU !== 'number' || !Number.isFinite(state.logU))) {
      throw invalidState('state.logU', 'a finite number or null', describeValue(state.logU));
    }
    const inner: MovingLogMeanExpState = {
      kind: MOVING_KIND,
      version: 1,
      options: { lambda: x.r, gamma: x.beta, schedule: { type: 'constant' } },
      logU: state.logU,
      t: state.logU === null ? 0 : 1,
    };
    x.inner = MovingLogMeanExp.fromState(inner);
    return x;
  }
}
