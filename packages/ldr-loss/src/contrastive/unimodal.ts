import { checkFinite, checkOptions, checkState, describeValue, invalidState, opt, stateKind } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { type DuplicatePolicy, type IndicesLike, parseIndices } from '../indices.js';
import {
  CONTRASTIVE_OPTIONS,
  type ContrastiveResolved,
  gammasFor,
  l2Rows,
  logAddExp,
  movingLog,
  resolveContrastive,
  withViews,
} from './common.js';
import { DirectionState } from './directionState.js';
import { checkEpoch, scheduledGamma } from './schedule.js';
import { temperatureStep } from './temperature.js';

/** `'@drojs/ldr-loss/GlobalContrastiveLoss'` (states of kind `'ldr-loss.GlobalContrastiveLoss'` still load). */
const KIND = stateKind('ldr-loss', 'GlobalContrastiveLoss');
const LEGACY_KIND = 'ldr-loss.GlobalContrastiveLoss';
/** Options of `call`. */
export const STEP_OPTIONS = { update: opt.boolean() };

/** Options of {@link GlobalContrastiveLoss} (SogCLR, or iSogCLR with `individualTemperature: true`). */
export interface GlobalContrastiveOptions {
  /** Size of the training set; indices are positions in it. */
  numInstances: number;
  /** SogCLR τ, or iSogCLR's initial τ. Default 0.1. */
  tau?: number;
  /** Weight of the NEW batch estimate in u, in (0, 1]. Default 0.9. */
  gamma?: number;
  /** Default `'constant'`. */
  gammaSchedule?: 'constant' | 'cosine';
  /** Required (> 0) for `'cosine'`. */
  gammaDecayEpochs?: number;
  /** When γ is replaced by 1: `'sample'` (default), `'batch'` (LibAUC), `'none'`. */
  firstVisit?: 'sample' | 'batch' | 'none';
  /** Lower clamp of u in the weights. Default 1e-8. */
  eps?: number;
  /** false = SogCLR (default), true = iSogCLR. */
  individualTemperature?: boolean;
  /** iSogCLR KL radius ρ ≥ 0. Default 0.3. */
  rho?: number;
  /** iSogCLR τ step size. Default 0.01. */
  eta?: number;
  /** Weight of the NEW τ-gradient in the momentum. Default 0.9. */
  beta?: number;
  /** Default 0.05. */
  tauMin?: number;
  /** Default 0.7. */
  tauMax?: number;
  /** ±clip of the τ-gradient; null = none (default). */
  tauGradClip?: number | null;
  /** L2-normalise features inside (gradients w.r.t. the raw features). Default true. */
  normalizeFeatures?: boolean;
  /** Default `'last-wins'` (`'lastWins'` is the deprecated spelling). */
  onDuplicateIndex?: DuplicatePolicy;
}

/** Serialised {@link GlobalContrastiveLoss}. */
export interface GlobalContrastiveState {
  /** `'@drojs/ldr-loss/GlobalContrastiveLoss'` (`'ldr-loss.GlobalContrastiveLoss'` in earlier releases). */
  kind: string;
  version: 1;
  options: ContrastiveResolved;
  epoch: number;
  /** log moving average per index; null = unvisited. */
  logU: (number | null)[];
  tau: number[];
  momentum: number[];
}

/** Per-row host quantities of the last step. */
export interface UnimodalStepInfo {
  /** Moving averages u¹, u² (linear) of the two views, per row. */
  u1: Float64Array;
  u2: Float64Array;
  gammaUsed: Float64Array;
  tauUsed: Float64Array;
  /** τ-gradient per row (after clipping); zeros for SogCLR. */
  gradTau: Float64Array;
  /** `(1/B) Σ_i Σ_v [τ_i log ĝ^v_i − s⁺_i]` (+ 2τ_iρ for iSogCLR). */
  batchObjective: number;
}

export const UNIMODAL_DEFAULTS = {
  tau: 0.1,
  gamma: 0.9,
  gammaSchedule: 'constant',
  gammaDecayEpochs: 0,
  firstVisit: 'sample',
  eps: 1e-8,
  individualTemperature: false,
  rho: 0.3,
  eta: 0.01,
  beta: 0.9,
  tauMin: 0.05,
  tauMax: 0.7,
  tauGradClip: null,
  normalizeFeatures: true,
  onDuplicateIndex: 'last-wins',
} as const;

interface HostStep {
  mab: Float32Array;
  maa: Float32Array;
  mbb: Float32Array;
  newLogU: Float64Array;
  info: UnimodalStepInfo;
}

/**
 * SogCLR / iSogCLR global contrastive loss for two augmented views (Yuan et al. 2022; Qiu et al. 2023).
 * Keeps a per-sample moving average u of the negatives' `E exp(s/τ)` (log domain, float64, host) and, for
 * iSogCLR, a per-sample temperature τ_i with momentum. `call` returns a **surrogate** whose gradient is the
 * SogCLR estimator; its value is not the objective (negative values are normal) — use `objective()` or
 * `diagnostics()` to monitor. Its gradient is τ × the InfoNCE gradient. State is per process.
 */
export class GlobalContrastiveLoss {
  private readonly o: ContrastiveResolved;
  private readonly dir: DirectionState;
  private epoch = 0;
  private last: UnimodalStepInfo | null = null;

  constructor(opts: GlobalContrastiveOptions) {
    this.o = resolveContrastive(
      opts as unknown as Record<string, unknown>,
      UNIMODAL_DEFAULTS,
      CONTRASTIVE_OPTIONS,
      'GlobalContrastiveLoss',
    );
    this.dir = new DirectionState(this.o.numInstances, this.o.tau);
  }

  /**
   * Surrogate loss of a batch (§5.3); advances u (and τ, M for iSogCLR) once unless `update === false`.
   * `view1`, `view2`: `[B, d]` features of the same B samples; `indices`: their dataset positions.
   */
  call(
    view1: tf.Tensor2D | tf.TensorLike,
    view2: tf.Tensor2D | tf.TensorLike,
    indices: IndicesLike,
    opts: { update?: boolean } = {},
  ): tf.Scalar {
    const fn = 'GlobalContrastiveLoss.call';
    checkOptions(opts, STEP_OPTIONS, fn);
    return withViews(view1, view2, ['view1', 'view2'], fn, (a, b, B) => this.step(a, b, B, indices, opts, fn));
  }

  private step(
    view1: tf.Tensor2D,
    view2: tf.Tensor2D,
    B: number,
    indices: IndicesLike,
    opts: { update?: boolean },
    fn: string,
  ): tf.Scalar {
    const idx = parseIndices(indices, B, this.o.numInstances, this.o.onDuplicateIndex, fn);
    let host: HostStep | undefined;
    const loss = tf.tidy(() => {
      const x1 = this.o.normalizeFeatures ? l2Rows(view1) : view1;
      const x2 = this.o.normalizeFeatures ? l2Rows(view2) : view2;
      const sab = tf.matMul(x1, x2, false, true);
      const saa = tf.matMul(x1, x1, false, true);
      const sbb = tf.matMul(x2, x2, false, true);
      host = this.compute(sab.dataSync(), saa.dataSync(), sbb.dataSync(), B, idx);
      const term = (m: Float32Array, s: tf.Tensor) => tf.sum(tf.mul(tf.tensor2d(m, [B, B]), s));
      return tf.addN([term(host.mab, sab), term(host.maa, saa), term(host.mbb, sbb)]) as tf.Scalar;
    });
    const h = host as HostStep;
    if (opts.update ?? true) {
      this.dir.storeLogU(idx, h.newLogU);
      if (this.o.individualTemperature) {
        const { eta, beta, tauMin, tauMax } = this.o;
        temperatureStep(this.dir.tau, this.dir.mom, idx, h.info.gradTau, { eta, beta, tauMin, tauMax, clip: null });
      }
    }
    this.last = h.info;
    return loss;
  }

  /** Batch objective `(1/B) Σ_i Σ_v [τ_i log ĝ^v_i − s⁺_i]` (+ 2τ_iρ for iSogCLR); no state change. */
  objective(view1: tf.Tensor2D | tf.TensorLike, view2: tf.Tensor2D | tf.TensorLike, indices: IndicesLike): number {
    const fn = 'GlobalContrastiveLoss.objective';
    return withViews(view1, view2, ['view1', 'view2'], fn, (v1, v2, B) => {
      const idx = parseIndices(indices, B, this.o.numInstances, 'last-wins', fn);
      return tf.tidy(() => {
        const x1 = this.o.normalizeFeatures ? l2Rows(v1) : v1;
        const x2 = this.o.normalizeFeatures ? l2Rows(v2) : v2;
        const s = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.matMul(a, b, false, true).dataSync();
        return this.compute(s(x1, x2), s(x1, x1), s(x2, x2), B, idx).info.batchObjective;
      });
    });
  }

  /** Selects the epoch of the γ schedule. */
  setEpoch(epoch: number): void {
    this.epoch = checkEpoch(epoch);
  }

  /** τ per index (all when omitted). */
  temperatures(indices?: ArrayLike<number>): Float64Array {
    return this.dir.pick('tau', indices, 'GlobalContrastiveLoss.temperatures');
  }

  /** u = exp(logU) per index; 0 where unvisited. */
  movingAverages(indices?: ArrayLike<number>): Float64Array {
    return this.dir.movingAverages(indices, 'GlobalContrastiveLoss.movingAverages');
  }

  /** Host quantities of the last step, or null. */
  lastStepInfo(): UnimodalStepInfo | null {
    return this.last === null ? null : structuredClone(this.last);
  }

  /** Summary for monitoring (the surrogate value is not a progress measure). */
  diagnostics(): { meanTau: number; minTau: number; maxTau: number; meanLogU: number; visited: number; gamma: number } {
    return { ...this.dir.summary(), gamma: this.gammaNow() };
  }

  /** Forgets u, resets τ to its initial value and M to 0, epoch 0. */
  reset(): void {
    this.dir.reset();
    this.epoch = 0;
    this.last = null;
  }

  /** The state as plain JSON: kind `'@drojs/ldr-loss/GlobalContrastiveLoss'`, version 1, options, epoch, arrays. */
  getState(): GlobalContrastiveState {
    return {
      kind: KIND,
      version: 1,
      options: structuredClone(this.o),
      epoch: this.epoch,
      ...this.dir.encode(),
    };
  }

  /**
   * Restores a state from {@link GlobalContrastiveLoss.getState} (also kind `'ldr-loss.GlobalContrastiveLoss'`
   * with camelCase option literals).
   * @throws DroError `E_STATE_VERSION` for a foreign kind or version, or invalid options, arrays or epoch.
   */
  static fromState(state: GlobalContrastiveState): GlobalContrastiveLoss {
    checkState(state, KIND, [1], [LEGACY_KIND]);
    let x: GlobalContrastiveLoss;
    try {
      x = new GlobalContrastiveLoss(state.options as unknown as GlobalContrastiveOptions);
    } catch (e) {
      throw invalidState('state.options', 'valid GlobalContrastiveLoss options', (e as Error).message);
    }
    DirectionState.restore(state as unknown as Record<string, unknown>, [[x.dir, '']]);
    if (!Number.isInteger(state.epoch) || state.epoch < 0)
      throw invalidState('state.epoch', 'a whole number ≥ 0', describeValue(state.epoch));
    x.epoch = state.epoch;
    return x;
  }

  private gammaNow(): number {
    return scheduledGamma(this.o.gamma, this.o.gammaSchedule, this.o.gammaDecayEpochs, this.epoch);
  }

  // Host float64 part of a step from the downloaded similarity matrices (row-major B × B).
  private compute(
    sab: ArrayLike<number>,
    saa: ArrayLike<number>,
    sbb: ArrayLike<number>,
    B: number,
    idx: Int32Array,
  ): HostStep {
    const { individualTemperature: iso, rho, eps, firstVisit, tauGradClip } = this.o;
    const c = 1 / (2 * B - 2);
    const logEps = Math.log(eps);
    const gam = gammasFor(idx, this.gammaNow(), firstVisit, (n) => this.dir.visited(n));
    const mab = new Float32Array(B * B);
    const maa = new Float32Array(B * B);
    const mbb = new Float32Array(B * B);
    const newLogU = new Float64Array(B);
    const u1 = new Float64Array(B);
    const u2 = new Float64Array(B);
    const tauUsed = new Float64Array(B);
    const gradTau = new Float64Array(B);
    const lg1 = new Float64Array(B);
    const lg2 = new Float64Array(B);
    const v1 = new Float64Array(2 * B - 2);
    const v2 = new Float64Array(2 * B - 2);
    let obj = 0;
    for (let i = 0; i < B; i++) {
      const n = idx[i]!;
      const t = iso ? this.dir.tau[n]! : this.o.tau;
      tauUsed[i] = t;
      // Negatives of anchor i: view 1 {S_ab[i,j], S_aa[i,j]}, view 2 {S_ba[i,j] = S_ab[j,i], S_bb[i,j]}, j ≠ i.
      let q = 0;
      for (let j = 0; j < B; j++) {
        if (j === i) continue;
        v1[q] = sab[i * B + j]! / t;
        v1[q + 1] = saa[i * B + j]! / t;
        v2[q] = sab[j * B + i]! / t;
        v2[q + 1] = sbb[i * B + j]! / t;
        q += 2;
      }
      lg1[i] = logMeanExpHost(v1);
      lg2[i] = logMeanExpHost(v2);
      const l1 = movingLog(this.dir.logU[n]!, gam[i]!, lg1[i]!);
      const l2 = movingLog(this.dir.logU[n]!, gam[i]!, lg2[i]!);
      u1[i] = Math.exp(l1);
      u2[i] = Math.exp(l2);
      newLogU[i] = logAddExp(l1, l2) - Math.LN2;
      const f1 = Math.max(l1, logEps);
      const f2 = Math.max(l2, logEps);
      let ws1 = 0;
      let ws2 = 0;
      for (let j = 0; j < B; j++) {
        if (j === i) continue;
        const sIJ = sab[i * B + j]!;
        const sJI = sab[j * B + i]!;
        const w1ab = Math.exp(sIJ / t - f1);
        const w1aa = Math.exp(saa[i * B + j]! / t - f1);
        const w2ba = Math.exp(sJI / t - f2);
        const w2bb = Math.exp(sbb[i * B + j]! / t - f2);
        mab[i * B + j] = mab[i * B + j]! + (c * w1ab) / B;
        mab[j * B + i] = mab[j * B + i]! + (c * w2ba) / B;
        maa[i * B + j] = (c * w1aa) / B;
        mbb[i * B + j] = (c * w2bb) / B;
        ws1 += w1ab * sIJ + w1aa * saa[i * B + j]!;
        ws2 += w2ba * sJI + w2bb * sbb[i * B + j]!;
      }
      mab[i * B + i] = -2 / B;
      if (iso) {
        const g = (l1 + rho - (c * ws1) / t + (l2 + rho - (c * ws2) / t)) / 2;
        gradTau[i] = tauGradClip === null ? g : Math.min(tauGradClip, Math.max(-tauGradClip, g));
      }
      obj += t * lg1[i]! + t * lg2[i]! - 2 * sab[i * B + i]! + (iso ? 2 * t * rho : 0);
    }
    checkFinite(lg1, 'log ĝ (view 1)');
    checkFinite(lg2, 'log ĝ (view 2)');
    checkFinite(newLogU, 'log u');
    checkFinite(gradTau, 'τ-gradient');
    return { mab, maa, mbb, newLogU, info: { u1, u2, gammaUsed: gam, tauUsed, gradTau, batchObjective: obj / B } };
  }
}

/** Max-shifted log-mean-exp of host values (float64). */
export function logMeanExpHost(v: ArrayLike<number>, from = 0, to = v.length): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let k = from; k < to; k++) m = Math.max(m, v[k]!);
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (let k = from; k < to; k++) s += Math.exp(v[k]! - m);
  return m + Math.log(s / (to - from));
}
