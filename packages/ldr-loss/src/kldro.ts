import { checkNumber, checkState, DroError, describeValue } from '@drojs/dro-core';
import type * as tf from '@tensorflow/tfjs-core';
import { MovingLogMeanExp, type MovingLogMeanExpState, robustLoss, robustWeights } from './core.js';

function checkR(r: unknown, fn: string): number {
  if (typeof r !== 'number' || Number.isNaN(r) || r < 0) {
    throw new DroError('E_SPEC', `${fn}: r must be ≥ 0 (0 = max, Infinity = mean)`, {
      argument: 'r',
      received: describeValue(r),
    });
  }
  return r;
}

/**
 * KL-DRO instance re-weighting (DONE's outer problem): `r·log mean exp(ℓ/r)` over per-sample losses `[n]`,
 * gradient `Σ_i softmax(ℓ/r)_i ∇ℓ_i`. r = 0 is the max, r = Infinity the mean. dro-core's `robustLoss`.
 */
export function klDroLoss(perSampleLosses: tf.Tensor1D, r: number): tf.Scalar {
  return robustLoss(perSampleLosses, { kind: 'kl', lambda: checkR(r, 'klDroLoss') });
}

/** The KL-DRO weights `softmax(ℓ/r)` (constants, no gradient). dro-core's `robustWeights`. */
export function klDroWeights(perSampleLosses: tf.Tensor1D, r: number): tf.Tensor1D {
  return robustWeights(perSampleLosses, { kind: 'kl', lambda: checkR(r, 'klDroWeights') });
}

/** Serialised {@link KlDroReweighter}. */
export interface KlDroReweighterState {
  kind: 'ldr-loss.KlDroReweighter';
  version: 1;
  options: { r: number; beta: number };
  /** log u; null before the first call. */
  logU: number | null;
}

/**
 * Stochastic KL-DRO re-weighting over the data set (DONE / SCGD): a moving average u of `mean exp(ℓ/r)`
 * (first call γ = 1, then weight β on the new batch), weights `w_i = exp(ℓ_i/r − log u)/n` held constant.
 * `call` returns the surrogate `Σ_i w_i ℓ_i`; `objective()` is `r·log u`. Built on dro-core's
 * `MovingLogMeanExp`.
 */
export class KlDroReweighter {
  private readonly r: number;
  private readonly beta: number;
  private inner: MovingLogMeanExp;
  private weights: Float64Array | null = null;

  constructor(opts: { r: number; beta?: number }) {
    this.r = checkNumber(opts?.r, 'r', { min: 0, minExclusive: true });
    this.beta = checkNumber(opts.beta ?? 0.9, 'beta', { min: 0, minExclusive: true, max: 1 });
    this.inner = new MovingLogMeanExp({ lambda: this.r, gamma: this.beta });
  }

  /** Surrogate `Σ_i w_i ℓ_i` (gradient `Σ_i w_i ∇ℓ_i`); advances u. Non-finite losses → E_NONFINITE, u untouched. */
  call(perSampleLosses: tf.Tensor1D): tf.Scalar {
    const { weights, surrogate } = this.inner.update(perSampleLosses);
    const n = perSampleLosses.shape[0];
    this.weights = Float64Array.from(weights.dataSync(), (w) => w / n);
    weights.dispose();
    return surrogate;
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

  getState(): KlDroReweighterState {
    return {
      kind: 'ldr-loss.KlDroReweighter',
      version: 1,
      options: { r: this.r, beta: this.beta },
      logU: this.inner.getState().logU,
    };
  }

  static fromState(state: KlDroReweighterState): KlDroReweighter {
    checkState(state, 'ldr-loss.KlDroReweighter', [1]);
    const x = new KlDroReweighter(state.options);
    if (state.logU !== null && (typeof state.logU !== 'number' || !Number.isFinite(state.logU))) {
      throw new DroError('E_SPEC', 'state.logU must be a finite number or null', { argument: 'state.logU' });
    }
    const inner: MovingLogMeanExpState = {
      kind: 'moving-log-mean-exp',
      version: 1,
      options: { lambda: x.r, gamma: x.beta, schedule: { type: 'constant' } },
      logU: state.logU,
      t: state.logU === null ? 0 : 1,
    };
    x.inner = MovingLogMeanExp.fromState(inner);
    return x;
  }
}
