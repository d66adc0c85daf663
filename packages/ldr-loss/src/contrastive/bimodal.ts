import {
  checkFinite,
  checkOptions,
  checkState,
  DroError,
  describeValue,
  invalidState,
  opt,
  stateKind,
} from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { type IndicesLike, parseIndices } from '../indices.js';
import {
  CONTRASTIVE_OPTIONS,
  type ContrastiveResolved,
  gammasFor,
  l2Rows,
  movingLog,
  resolveContrastive,
  withViews,
} from './common.js';
import { DirectionState } from './directionState.js';
import { checkEpoch, scheduledGamma } from './schedule.js';
import { temperatureStep } from './temperature.js';
import { type GlobalContrastiveOptions, STEP_OPTIONS } from './unimodal.js';

/** `'@drojs/ldr-loss/BimodalGlobalContrastiveLoss'` (kind `'ldr-loss.BimodalGlobalContrastiveLoss'` still loads). */
const KIND = stateKind('ldr-loss', 'BimodalGlobalContrastiveLoss');
const LEGACY_KIND = 'ldr-loss.BimodalGlobalContrastiveLoss';
const BIMODAL_OPTIONS = { ...CONTRASTIVE_OPTIONS, includePositiveInNormalizer: opt.boolean() };

/** Options of {@link BimodalGlobalContrastiveLoss}. */
export interface BimodalGlobalContrastiveOptions extends GlobalContrastiveOptions {
  /** Include the positive pair (D_ii = 0) in the normaliser (original repository, default) or not (LibAUC GCLoss_v2). */
  includePositiveInNormalizer?: boolean;
}

/** BimodalResolvedOptions options of {@link BimodalGlobalContrastiveLoss} (defaults filled in, as stored in its state). */
export type BimodalResolvedOptions = ContrastiveResolved & { includePositiveInNormalizer: boolean };

/** Serialised {@link BimodalGlobalContrastiveLoss}. */
export interface BimodalGlobalContrastiveState {
  /** `'@drojs/ldr-loss/BimodalGlobalContrastiveLoss'` (`'ldr-loss.BimodalGlobalContrastiveLoss'` earlier). */
  kind: string;
  version: 1;
  options: BimodalResolvedOptions;
  epoch: number;
  logUImage: (number | null)[];
  logUText: (number | null)[];
  tauImage: number[];
  tauText: number[];
  momentumImage: number[];
  momentumText: number[];
  [k: string]: unknown;
}

/** Per-row host quantities of the last bimodal step. */
export interface BimodalStepInfo {
  uImage: Float64Array;
  uText: Float64Array;
  gammaImage: Float64Array;
  gammaText: Float64Array;
  tauImage: Float64Array;
  tauText: Float64Array;
  gradTauImageUnclipped: Float64Array;
  gradTauTextUnclipped: Float64Array;
  batchObjective: number;
}

// Names the class in index errors of the per-direction getters.
const FN = 'BimodalGlobalContrastiveLoss';

const BIMODAL_DEFAULTS = {
  tau: 0.01,
  gamma: 0.8,
  gammaSchedule: 'constant',
  gammaDecayEpochs: 0,
  firstVisit: 'sample',
  eps: 1e-8,
  individualTemperature: false,
  rho: 6,
  eta: 0.03,
  beta: 0.9,
  tauMin: 0.005,
  tauMax: 1,
  tauGradClip: 5,
  normalizeFeatures: true,
  onDuplicateIndex: 'last-wins',
} as const;

interface HostStep {
  gamma: Float32Array;
  newLogUImage: Float64Array;
  newLogUText: Float64Array;
  info: BimodalStepInfo;
}

/**
 * Bimodal (image–text) SogCLR / iSogCLR loss in the original iSogCLR repository's semantics: image anchor i
 * contrasts `D_ij = S_ij − S_ii` over texts j, text anchor j contrasts `S_ij − S_jj` over images i, each
 * direction with its own moving average (log domain, so τ = 0.01 with `D/τ` ≈ 200 is safe) and, for
 * iSogCLR, its own temperatures. `call` returns a surrogate (not the objective); monitor with `objective()`.
 * Gradients are w.r.t. the given features (normalised inside unless `normalizeFeatures: false`).
 */
export class BimodalGlobalContrastiveLoss {
  private readonly o: BimodalResolvedOptions;
  private readonly img: DirectionState;
  private readonly txt: DirectionState;
  private epoch = 0;
  private last: BimodalStepInfo | null = null;

  constructor(opts: BimodalGlobalContrastiveOptions) {
    const r = resolveContrastive(
      opts as unknown as Record<string, unknown>,
      BIMODAL_DEFAULTS,
      BIMODAL_OPTIONS,
      'BimodalGlobalContrastiveLoss',
    );
    const inc = opts.includePositiveInNormalizer ?? true;
    this.o = { ...r, includePositiveInNormalizer: inc };
    this.img = new DirectionState(this.o.numInstances, this.o.tau);
    this.txt = new DirectionState(this.o.numInstances, this.o.tau);
  }

  /** Surrogate of a batch of B pairs; advances both directions' state once unless `update === false`. */
  call(
    image: tf.Tensor2D | tf.TensorLike,
    text: tf.Tensor2D | tf.TensorLike,
    indices: IndicesLike,
    opts: { update?: boolean } = {},
  ): tf.Scalar {
    const fn = 'BimodalGlobalContrastiveLoss.call';
    checkOptions(opts, STEP_OPTIONS, fn);
    return withViews(image, text, ['image', 'text'], fn, (a, b, B) => this.step(a, b, B, indices, opts, fn));
  }

  private step(
    image: tf.Tensor2D,
    text: tf.Tensor2D,
    B: number,
    indices: IndicesLike,
    opts: { update?: boolean },
    fn: string,
  ): tf.Scalar {
    const idx = parseIndices(indices, B, this.o.numInstances, this.o.onDuplicateIndex, fn);
    let host: HostStep | undefined;
    const loss = tf.tidy(() => {
      const xi = this.o.normalizeFeatures ? l2Rows(image) : image;
      const xt = this.o.normalizeFeatures ? l2Rows(text) : text;
      const S = tf.matMul(xi, xt, false, true);
      host = this.compute(S.dataSync(), B, idx);
      return tf.sum(tf.mul(tf.tensor2d(host.gamma, [B, B]), S)) as tf.Scalar;
    });
    const h = host as HostStep;
    if (opts.update ?? true) {
      this.img.storeLogU(idx, h.newLogUImage);
      this.txt.storeLogU(idx, h.newLogUText);
      if (this.o.individualTemperature) {
        const { eta, beta, tauMin, tauMax, tauGradClip } = this.o;
        const step = { eta, beta, tauMin, tauMax, clip: tauGradClip };
        temperatureStep(this.img.tau, this.img.mom, idx, h.info.gradTauImageUnclipped, step);
        temperatureStep(this.txt.tau, this.txt.mom, idx, h.info.gradTauTextUnclipped, step);
      }
    }
    this.last = h.info;
    return loss;
  }

  /** `(1/B) Σ_i τimg_i log ĝimg_i + (1/B) Σ_j τtxt_j log ĝtxt_j` (+ ρ terms for iSogCLR); no state change. */
  objective(image: tf.Tensor2D | tf.TensorLike, text: tf.Tensor2D | tf.TensorLike, indices: IndicesLike): number {
    const fn = 'BimodalGlobalContrastiveLoss.objective';
    return withViews(image, text, ['image', 'text'], fn, (im, tx, B) => {
      const idx = parseIndices(indices, B, this.o.numInstances, 'last-wins', fn);
      return tf.tidy(() => {
        const xi = this.o.normalizeFeatures ? l2Rows(im) : im;
        const xt = this.o.normalizeFeatures ? l2Rows(tx) : tx;
        return this.compute(tf.matMul(xi, xt, false, true).dataSync(), B, idx).info.batchObjective;
      });
    });
  }

  setEpoch(epoch: number): void {
    this.epoch = checkEpoch(epoch);
  }

  /** τ per index for one direction. */
  temperatures(direction: 'image' | 'text', indices?: ArrayLike<number>): Float64Array {
    return this.direction(direction).pick('tau', indices, FN);
  }

  /** u = exp(logU) per index for one direction; 0 where unvisited. */
  movingAverages(direction: 'image' | 'text', indices?: ArrayLike<number>): Float64Array {
    return this.direction(direction).movingAverages(indices, FN);
  }

  /** log u per index for one direction; NaN where unvisited. */
  logMovingAverages(direction: 'image' | 'text', indices?: ArrayLike<number>): Float64Array {
    return this.direction(direction).pick('logU', indices, FN);
  }

  /** τ momentum per index for one direction. */
  momenta(direction: 'image' | 'text', indices?: ArrayLike<number>): Float64Array {
    return this.direction(direction).pick('mom', indices, FN);
  }

  lastStepInfo(): BimodalStepInfo | null {
    return this.last === null ? null : structuredClone(this.last);
  }

  diagnostics(): Record<string, number> {
    const i = this.img.summary();
    const t = this.txt.summary();
    return {
      meanTauImage: i.meanTau,
      meanTauText: t.meanTau,
      minTauImage: i.minTau,
      minTauText: t.minTau,
      maxTauImage: i.maxTau,
      maxTauText: t.maxTau,
      visitedImage: i.visited,
      visitedText: t.visited,
      gamma: this.gammaNow(),
    };
  }

  reset(): void {
    this.img.reset();
    this.txt.reset();
    this.epoch = 0;
    this.last = null;
  }

  /** The state as plain JSON: kind `'@drojs/ldr-loss/BimodalGlobalContrastiveLoss'`, version 1, both directions. */
  getState(): BimodalGlobalContrastiveState {
    const i = this.img.encode();
    const t = this.txt.encode();
    return {
      kind: KIND,
      version: 1,
      options: structuredClone(this.o),
      epoch: this.epoch,
      logUImage: i.logU,
      logUText: t.logU,
      tauImage: i.tau,
      tauText: t.tau,
      momentumImage: i.momentum,
      momentumText: t.momentum,
    };
  }

  /**
   * Restores a state from {@link BimodalGlobalContrastiveLoss.getState} (also the legacy kind).
   * @throws DroError `E_STATE_VERSION` for a foreign kind or version, or invalid options, arrays or epoch.
   */
  static fromState(state: BimodalGlobalContrastiveState): BimodalGlobalContrastiveLoss {
    checkState(state, KIND, [1], [LEGACY_KIND]);
    let x: BimodalGlobalContrastiveLoss;
    try {
      x = new BimodalGlobalContrastiveLoss(state.options as unknown as BimodalGlobalContrastiveOptions);
    } catch (e) {
      throw invalidState('state.options', 'valid BimodalGlobalContrastiveLoss options', (e as Error).message);
    }
    DirectionState.restore(state, [
      [x.img, 'Image'],
      [x.txt, 'Text'],
    ]);
    if (!Number.isInteger(state.epoch) || state.epoch < 0)
      throw invalidState('state.epoch', 'a whole number ≥ 0', describeValue(state.epoch));
    x.epoch = state.epoch;
    return x;
  }

  private direction(d: 'image' | 'text'): DirectionState {
    if (d !== 'image' && d !== 'text')
      throw new DroError('E_SPEC', "direction must be 'image' or 'text'", { argument: 'direction' });
    return d === 'image' ? this.img : this.txt;
  }

  private gammaNow(): number {
    return scheduledGamma(this.o.gamma, this.o.gammaSchedule, this.o.gammaDecayEpochs, this.epoch);
  }

  // Host float64 part: both directions' log ĝ, moving averages, weights, the S-gradient Γ and τ-gradients.
  private compute(S: ArrayLike<number>, B: number, idx: Int32Array): HostStep {
    const { individualTemperature: iso, rho, firstVisit, includePositiveInNormalizer: inc } = this.o;
    const g = this.gammaNow();
    const gamI = gammasFor(idx, g, firstVisit, (n) => this.img.visited(n));
    const gamT = gammasFor(idx, g, firstVisit, (n) => this.txt.visited(n));
    const norm = B * (B - 1);
    const logDen = Math.log(B - 1);
    const gamma = new Float32Array(B * B);
    const tauI = Float64Array.from(idx, (n) => (iso ? this.img.tau[n]! : this.o.tau));
    const tauT = Float64Array.from(idx, (n) => (iso ? this.txt.tau[n]! : this.o.tau));
    const lgI = new Float64Array(B);
    const lgT = new Float64Array(B);
    const luI = new Float64Array(B);
    const luT = new Float64Array(B);
    const gI = new Float64Array(B);
    const gT = new Float64Array(B);
    const diagAdj = new Float64Array(B);
    const a = new Float64Array(B);
    const inSet = (i: number, j: number) => inc || i !== j;
    // Image anchors (rows): A_ij = (S_ij − S_ii)/τimg_i.
    for (let i = 0; i < B; i++) {
      let m = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < B; j++) {
        a[j] = (S[i * B + j]! - S[i * B + i]!) / tauI[i]!;
        if (inSet(i, j)) m = Math.max(m, a[j]!);
      }
      let s = 0;
      for (let j = 0; j < B; j++) if (inSet(i, j)) s += Math.exp(a[j]! - m);
      lgI[i] = m + Math.log(s) - logDen;
      luI[i] = movingLog(this.img.logU[idx[i]!]!, gamI[i]!, lgI[i]!);
      let wa = 0;
      for (let j = 0; j < B; j++) {
        if (!inSet(i, j)) continue;
        const w = Math.exp(a[j]! - luI[i]!);
        gamma[i * B + j] = gamma[i * B + j]! + w / norm;
        diagAdj[i] = diagAdj[i]! + w / norm;
        wa += w * a[j]!;
      }
      gI[i] = luI[i]! + rho - wa / (B - 1);
    }
    // Text anchors (columns): A_ij = (S_ij − S_jj)/τtxt_j.
    for (let j = 0; j < B; j++) {
      let m = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < B; i++) {
        a[i] = (S[i * B + j]! - S[j * B + j]!) / tauT[j]!;
        if (inSet(i, j)) m = Math.max(m, a[i]!);
      }
      let s = 0;
      for (let i = 0; i < B; i++) if (inSet(i, j)) s += Math.exp(a[i]! - m);
      lgT[j] = m + Math.log(s) - logDen;
      luT[j] = movingLog(this.txt.logU[idx[j]!]!, gamT[j]!, lgT[j]!);
      let wa = 0;
      for (let i = 0; i < B; i++) {
        if (!inSet(i, j)) continue;
        const w = Math.exp(a[i]! - luT[j]!);
        gamma[i * B + j] = gamma[i * B + j]! + w / norm;
        diagAdj[j] = diagAdj[j]! + w / norm;
        wa += w * a[i]!;
      }
      gT[j] = luT[j]! + rho - wa / (B - 1);
    }
    for (let i = 0; i < B; i++) gamma[i * B + i] = gamma[i * B + i]! - diagAdj[i]!;
    let obj = 0;
    for (let i = 0; i < B; i++)
      obj += tauI[i]! * lgI[i]! + tauT[i]! * lgT[i]! + (iso ? (tauI[i]! + tauT[i]!) * rho : 0);
    for (const [arr, name] of [
      [lgI, 'log ĝ (image)'],
      [lgT, 'log ĝ (text)'],
      [luI, 'log u (image)'],
      [luT, 'log u (text)'],
      [gI, 'τ-gradient (image)'],
      [gT, 'τ-gradient (text)'],
    ] as const) {
      checkFinite(arr, name);
    }
    return {
      gamma,
      newLogUImage: luI,
      newLogUText: luT,
      info: {
        uImage: luI.map(Math.exp),
        uText: luT.map(Math.exp),
        gammaImage: gamI,
        gammaText: gamT,
        tauImage: tauI,
        tauText: tauT,
        gradTauImageUnclipped: iso ? gI : new Float64Array(B),
        gradTauTextUnclipped: iso ? gT : new Float64Array(B),
        batchObjective: obj / B,
      },
    };
  }
}
