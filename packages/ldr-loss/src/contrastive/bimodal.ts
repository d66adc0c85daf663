import { checkFinite, checkState, DroError } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { type IndicesLike, parseIndices } from '../indices.js';
import {
  type ContrastiveResolved,
  checkViews,
  fromFinite,
  fromNullable,
  gammasFor,
  l2Rows,
  movingLog,
  resolveContrastive,
  toNullable,
} from './common.js';
import { scheduledGamma } from './schedule.js';
import { temperatureStep } from './temperature.js';
import type { GlobalContrastiveOptions } from './unimodal.js';

/** Options of {@link BimodalGlobalContrastiveLoss}. */
export interface BimodalGlobalContrastiveOptions extends GlobalContrastiveOptions {
  /** Include the positive pair (D_ii = 0) in the normaliser (original repository, default) or not (LibAUC GCLoss_v2). */
  includePositiveInNormalizer?: boolean;
}

type Resolved = ContrastiveResolved & { includePositiveInNormalizer: boolean };

/** Serialised {@link BimodalGlobalContrastiveLoss}. */
export interface BimodalGlobalContrastiveState {
  kind: 'ldr-loss.BimodalGlobalContrastiveLoss';
  version: 1;
  options: Resolved;
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
  onDuplicateIndex: 'lastWins',
} as const;

interface Direction {
  logU: Float64Array;
  tau: Float64Array;
  mom: Float64Array;
}

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
  private readonly o: Resolved;
  private readonly img: Direction;
  private readonly txt: Direction;
  private epoch = 0;
  private last: BimodalStepInfo | null = null;

  constructor(opts: BimodalGlobalContrastiveOptions) {
    const r = resolveContrastive(opts as unknown as Record<string, unknown>, BIMODAL_DEFAULTS);
    const inc = opts.includePositiveInNormalizer ?? true;
    if (typeof inc !== 'boolean') {
      throw new DroError('E_SPEC', 'includePositiveInNormalizer must be a boolean', {
        argument: 'includePositiveInNormalizer',
      });
    }
    this.o = { ...r, includePositiveInNormalizer: inc };
    const n = this.o.numInstances;
    const dir = (): Direction => ({
      logU: new Float64Array(n).fill(Number.NaN),
      tau: new Float64Array(n).fill(this.o.tau),
      mom: new Float64Array(n),
    });
    this.img = dir();
    this.txt = dir();
  }

  /** Surrogate of a batch of B pairs; advances both directions' state once unless `update === false`. */
  call(image: tf.Tensor2D, text: tf.Tensor2D, indices: IndicesLike, opts: { update?: boolean } = {}): tf.Scalar {
    const fn = 'BimodalGlobalContrastiveLoss.call';
    const { B } = checkViews(image, text, ['image', 'text'], fn);
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
      for (let i = 0; i < B; i++) {
        this.img.logU[idx[i]!] = h.newLogUImage[i]!;
        this.txt.logU[idx[i]!] = h.newLogUText[i]!;
      }
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
  objective(image: tf.Tensor2D, text: tf.Tensor2D, indices: IndicesLike): number {
    const fn = 'BimodalGlobalContrastiveLoss.objective';
    const { B } = checkViews(image, text, ['image', 'text'], fn);
    const idx = parseIndices(indices, B, this.o.numInstances, 'lastWins', fn);
    return tf.tidy(() => {
      const xi = this.o.normalizeFeatures ? l2Rows(image) : image;
      const xt = this.o.normalizeFeatures ? l2Rows(text) : text;
      return this.compute(tf.matMul(xi, xt, false, true).dataSync(), B, idx).info.batchObjective;
    });
  }

  setEpoch(epoch: number): void {
    if (!Number.isInteger(epoch) || epoch < 0) {
      throw new DroError('E_SPEC', 'setEpoch: epoch must be a non-negative integer', {
        argument: 'epoch',
        received: String(epoch),
      });
    }
    this.epoch = epoch;
  }

  /** τ per index for one direction. */
  temperatures(direction: 'image' | 'text', indices?: ArrayLike<number>): Float64Array {
    return this.select(this.dir(direction).tau, indices);
  }

  /** u = exp(logU) per index for one direction; 0 where unvisited. */
  movingAverages(direction: 'image' | 'text', indices?: ArrayLike<number>): Float64Array {
    return this.select(this.dir(direction).logU, indices).map((v) => (Number.isNaN(v) ? 0 : Math.exp(v)));
  }

  /** log u per index for one direction; NaN where unvisited. */
  logMovingAverages(direction: 'image' | 'text', indices?: ArrayLike<number>): Float64Array {
    return this.select(this.dir(direction).logU, indices);
  }

  /** τ momentum per index for one direction. */
  momenta(direction: 'image' | 'text', indices?: ArrayLike<number>): Float64Array {
    return this.select(this.dir(direction).mom, indices);
  }

  lastStepInfo(): BimodalStepInfo | null {
    return this.last === null ? null : structuredClone(this.last);
  }

  diagnostics(): Record<string, number> {
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    const visited = (a: Float64Array) => a.reduce((s, v) => s + (Number.isNaN(v) ? 0 : 1), 0);
    return {
      meanTauImage: mean(this.img.tau),
      meanTauText: mean(this.txt.tau),
      minTauImage: Math.min(...this.img.tau),
      minTauText: Math.min(...this.txt.tau),
      maxTauImage: Math.max(...this.img.tau),
      maxTauText: Math.max(...this.txt.tau),
      visitedImage: visited(this.img.logU),
      visitedText: visited(this.txt.logU),
      gamma: this.gammaNow(),
    };
  }

  reset(): void {
    for (const d of [this.img, this.txt]) {
      d.logU.fill(Number.NaN);
      d.tau.fill(this.o.tau);
      d.mom.fill(0);
    }
    this.epoch = 0;
    this.last = null;
  }

  getState(): BimodalGlobalContrastiveState {
    return {
      kind: 'ldr-loss.BimodalGlobalContrastiveLoss',
      version: 1,
      options: structuredClone(this.o),
      epoch: this.epoch,
      logUImage: toNullable(this.img.logU),
      logUText: toNullable(this.txt.logU),
      tauImage: Array.from(this.img.tau),
      tauText: Array.from(this.txt.tau),
      momentumImage: Array.from(this.img.mom),
      momentumText: Array.from(this.txt.mom),
    };
  }

  static fromState(state: BimodalGlobalContrastiveState): BimodalGlobalContrastiveLoss {
    checkState(state, 'ldr-loss.BimodalGlobalContrastiveLoss', [1]);
    const x = new BimodalGlobalContrastiveLoss(state.options as unknown as BimodalGlobalContrastiveOptions);
    const n = x.o.numInstances;
    const parts = {
      li: fromNullable(state.logUImage, n, 'state.logUImage'),
      lt: fromNullable(state.logUText, n, 'state.logUText'),
      ti: fromFinite(state.tauImage, n, 'state.tauImage'),
      tt: fromFinite(state.tauText, n, 'state.tauText'),
      mi: fromFinite(state.momentumImage, n, 'state.momentumImage'),
      mt: fromFinite(state.momentumText, n, 'state.momentumText'),
    };
    if (!Number.isInteger(state.epoch) || state.epoch < 0)
      throw new DroError('E_SPEC', 'state.epoch is malformed', { argument: 'state.epoch' });
    x.img.logU.set(parts.li);
    x.txt.logU.set(parts.lt);
    x.img.tau.set(parts.ti);
    x.txt.tau.set(parts.tt);
    x.img.mom.set(parts.mi);
    x.txt.mom.set(parts.mt);
    x.epoch = state.epoch;
    return x;
  }

  private dir(d: 'image' | 'text'): Direction {
    if (d !== 'image' && d !== 'text')
      throw new DroError('E_SPEC', "direction must be 'image' or 'text'", { argument: 'direction' });
    return d === 'image' ? this.img : this.txt;
  }

  private gammaNow(): number {
    return scheduledGamma(this.o.gamma, this.o.gammaSchedule, this.o.gammaDecayEpochs, this.epoch);
  }

  private select(a: Float64Array, indices: ArrayLike<number> | undefined): Float64Array {
    if (indices === undefined) return a.slice();
    const idx = parseIndices(indices, indices.length, this.o.numInstances, 'lastWins', 'BimodalGlobalContrastiveLoss');
    return Float64Array.from(idx, (i) => a[i]!);
  }

  // Host float64 part: both directions' log ĝ, moving averages, weights, the S-gradient Γ and τ-gradients.
  private compute(S: ArrayLike<number>, B: number, idx: Int32Array): HostStep {
    const { individualTemperature: iso, rho, firstVisit, includePositiveInNormalizer: inc } = this.o;
    const g = this.gammaNow();
    const gamI = gammasFor(idx, g, firstVisit, (n) => !Number.isNaN(this.img.logU[n]!));
    const gamT = gammasFor(idx, g, firstVisit, (n) => !Number.isNaN(this.txt.logU[n]!));
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
