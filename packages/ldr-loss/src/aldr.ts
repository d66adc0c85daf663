import {
  checkFinite,
  checkNumber,
  checkNumClasses,
  checkOptions,
  checkState,
  checkStateValues,
  DroError,
  describeValue,
  invalidState,
  opt,
  stateKind,
  toLabels,
} from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import type { CompileLoss } from './compile.js';
import {
  checkDuplicatePolicy,
  checkNumInstances,
  type DuplicatePolicy,
  type IndicesLike,
  parseIndices,
} from './indices.js';
import {
  checkLogits,
  type LabelFormat,
  type LabelsLike,
  type LogitsLike,
  oneHotOf,
  parseLabels,
  type Reduction,
  withTensor,
} from './labels.js';
import { ldrKlRows } from './ldr.js';
import { checkMargin, type Margin, marginDiffs } from './margin.js';
import {
  checkNormalization,
  normalizeScores,
  type ScoreNormalization,
  type ScoreNormalizationName,
} from './normalize.js';
import { DUPLICATE_RULE, kebab, LABEL_FORMAT_RULE, NORMALIZE_RULE, REDUCTION_RULE } from './options.js';
import { checkReduction, reduceRows } from './reduce.js';

/** The state kind of {@link AldrKlLoss}: `'@drojs/ldr-loss/AldrKlLoss'` (states of kind `'ldr-loss.AldrKlLoss'` still load). */
const KIND = stateKind('ldr-loss', 'AldrKlLoss');
const LEGACY_KIND = 'ldr-loss.AldrKlLoss';

const ALDR_OPTIONS = {
  numInstances: opt.integer({ min: 1 }).require(),
  lambda0: opt.number({ min: 0, minExclusive: true }),
  alpha: opt.number({ min: 1, minExclusive: true }),
  margin: opt.any(),
  normalize: NORMALIZE_RULE,
  normEps: opt.any(),
  probEps: opt.number({ min: 0 }),
  pFrom: opt.oneOf(['scores', 'margins'] as const),
  onDuplicateIndex: DUPLICATE_RULE,
  labelFormat: LABEL_FORMAT_RULE,
};
const CALL_OPTIONS = { reduction: REDUCTION_RULE, update: opt.boolean() };
const COMPILE_OPTIONS = { reduction: REDUCTION_RULE };

/** Options of {@link AldrKlLoss}. */
export interface AldrKlOptions {
  /** N, the size of the training set; indices are positions in it. */
  numInstances: number;
  /** λ₀ > 0. Default 10 (released experiments). */
  lambda0?: number;
  /** α > 1 (keeps λ ≥ λ₀(1 − 1/α) > 0). Default 2. */
  alpha?: number;
  /** Margin c ≥ 0 (scalar or per-class). Default 0.1. */
  margin?: Margin;
  /** Default `'l1-mean'` (`'l1Mean'`, `'softplusMean'` are deprecated spellings). */
  normalize?: ScoreNormalization;
  /** Default 1e-12. */
  normEps?: number;
  /** Smoothing of p before the KL. Default 1e-5. */
  probEps?: number;
  /** `'scores'` (reference: p = softmax(f'/λ)) or `'margins'` (exact maximiser softmax(z/λ)). Default `'scores'`. */
  pFrom?: 'scores' | 'margins';
  /** Default `'last-wins'` (the state keeps the last duplicate's λ; each row uses its own). */
  onDuplicateIndex?: DuplicatePolicy;
  /** Default `'auto'`. */
  labelFormat?: LabelFormat;
}

/** {@link AldrKlOptions} with every default filled in and literals in kebab-case (`AldrKlLoss.options`, states). */
export type AldrKlResolvedOptions = {
  numInstances: number;
  lambda0: number;
  alpha: number;
  margin: number | number[];
  normalize: ScoreNormalizationName;
  normEps: number;
  probEps: number;
  pFrom: 'scores' | 'margins';
  onDuplicateIndex: Exclude<DuplicatePolicy, 'lastWins'>;
  labelFormat: Exclude<LabelFormat, 'oneHot'>;
};

/** Serialised {@link AldrKlLoss}. */
export interface AldrKlState {
  /** `'@drojs/ldr-loss/AldrKlLoss'` (`'ldr-loss.AldrKlLoss'` in states of earlier releases, still accepted). */
  kind: string;
  version: 1;
  options: AldrKlResolvedOptions;
  /** Λ, length numInstances. */
  lambda: number[];
  /** 0/1 per instance. */
  visited: number[];
}

/** Host quantities of the last step, per row (for monitoring and tests). */
export interface AldrStepInfo {
  lambdaUsed: Float64Array;
  lambdaNew: Float64Array;
  kl: Float64Array;
  extra: Float64Array;
  /** Dataset index per row, −1 for rows without one (plain one-hot compile targets). */
  indices: Int32Array;
}

/** `{lambda0: 10, alpha: 2, margin: 0.1, normalize: 'l1-mean'}` — the reference experiments' ALDR setting. */
export const ALDR_REFERENCE_PRESET: Readonly<{ lambda0: 10; alpha: 2; margin: 0.1; normalize: 'l1-mean' }> =
  Object.freeze({
    lambda0: 10,
    alpha: 2,
    margin: 0.1,
    normalize: 'l1-mean',
  });

const MAX_ENCODED_INSTANCES = 2 ** 24 - 2;

function resolve(o: AldrKlOptions): AldrKlResolvedOptions {
  checkOptions(o, ALDR_OPTIONS, 'AldrKlLoss');
  const numInstances = checkNumInstances(o.numInstances);
  const lambda0 = checkNumber(o.lambda0 ?? 10, 'lambda0', { min: 0, minExclusive: true });
  const alpha = checkNumber(o.alpha ?? 2, 'alpha', { min: 1, minExclusive: true });
  const m = o.margin ?? 0.1;
  let margin: number | number[];
  if (typeof m === 'number') margin = checkNumber(m, 'margin', { min: 0 });
  else {
    margin = Array.from(checkMargin(m, (m as ArrayLike<number>).length, 'AldrKlLoss') as Float32Array);
  }
  const { mode, normEps } = checkNormalization(o.normalize ?? 'l1-mean', o.normEps, 'AldrKlLoss');
  const probEps = checkNumber(o.probEps ?? 1e-5, 'probEps', { min: 0 });
  const pFrom = o.pFrom ?? 'scores';
  const labelFormat = kebab<Exclude<LabelFormat, 'oneHot'>>(o.labelFormat ?? 'auto');
  return {
    numInstances,
    lambda0,
    alpha,
    margin,
    normalize: mode,
    normEps,
    probEps,
    pFrom,
    onDuplicateIndex: checkDuplicatePolicy(o.onDuplicateIndex),
    labelFormat,
  };
}

/**
 * ALDR-KL (adaptive LDR-KL): LDR-KL with a per-instance λ, updated once per visit of a training instance by
 * the closed-form maximiser `λ = λ₀(1 − KL(p‖u)/(α log K))` with `p = softmax(f'/λ_old)` (smoothed), plus
 * the quadratic term `−(α log K/(2λ₀))(λ − λ₀)²`. λ and that term are constants for the gradient.
 *
 * Inputs are **logits**. Sample indices reach the loss either through `call(logits, labels, indices)` in a
 * custom loop, or inside `fit` targets via {@link encodeIndexedTargets} and {@link AldrKlLoss.asCompileLoss}.
 * With λ₀ = 10 and `'l1-mean'` (the released setting) λ hardly moves for small K: it then behaves like
 * LDR-KL(λ = 10). State is per process, on the host (float64).
 */
export class AldrKlLoss {
  private readonly o: AldrKlResolvedOptions;
  private readonly lam: Float64Array;
  private readonly seen: Uint8Array;
  private last: AldrStepInfo | null = null;

  constructor(opts: AldrKlOptions) {
    this.o = resolve(opts);
    this.lam = new Float64Array(this.o.numInstances).fill(this.o.lambda0);
    this.seen = new Uint8Array(this.o.numInstances);
  }

  /** The resolved options (a copy). */
  get options(): Readonly<AldrKlResolvedOptions> {
    return structuredClone(this.o);
  }

  /**
   * Loss of a batch of `[B, K]` logits; updates Λ at `indices` unless `update === false`. Call it once per
   * step (inside `valueAndGrad` / `optimizer.minimize`: every forward evaluation advances the state).
   */
  call(
    logits: tf.Tensor2D | LogitsLike,
    labels: LabelsLike,
    indices: IndicesLike,
    opts: { reduction?: Reduction; update?: boolean } = {},
  ): tf.Tensor {
    const fn = 'AldrKlLoss.call';
    checkOptions(opts, CALL_OPTIONS, fn);
    return withTensor(logits, 'logits', fn, (t) => {
      const { rows, K } = this.checkLogits2d(t, fn);
      const reduction = checkReduction(opts.reduction, fn);
      const { classes } = parseLabels(labels, t.shape, { labelFormat: this.o.labelFormat }, fn);
      const idx = parseIndices(indices, rows, this.o.numInstances, this.o.onDuplicateIndex, fn);
      return this.step(t as tf.Tensor2D, classes, idx, K, reduction, opts.update ?? true);
    });
  }

  /**
   * A `(yTrue, yPred)` loss for `model.compile`. `yTrue` rows from {@link encodeIndexedTargets} (value
   * `index + 2` at the label column) run a stateful step; plain one-hot rows (value 1: validation data,
   * `evaluate`) use λ₀ and never touch the state. Default reduction `'none'` (per sample).
   */
  asCompileLoss(opts: { reduction?: Reduction } = {}): CompileLoss {
    checkOptions(opts, COMPILE_OPTIONS, 'AldrKlLoss.asCompileLoss');
    const reduction = checkReduction(opts.reduction ?? 'none', 'AldrKlLoss.asCompileLoss');
    return (yTrue: tf.Tensor, yPred: tf.Tensor) => {
      const fn = 'AldrKlLoss.asCompileLoss';
      const { rows, K } = withTensor(yPred, 'yPred', fn, (t) => this.checkLogits2d(t, fn));
      const { classes, idx } = this.decodeTargets(yTrue, rows, K, fn);
      return this.step(yPred as tf.Tensor2D, classes, idx, K, reduction, true);
    };
  }

  /** Λ at the given indices (all when omitted), a copy. */
  lambdas(indices?: ArrayLike<number>): Float64Array {
    if (indices === undefined) return this.lam.slice();
    const idx = parseIndices(indices, indices.length, this.o.numInstances, 'last-wins', 'AldrKlLoss.lambdas');
    return Float64Array.from(idx, (i) => this.lam[i] as number);
  }

  /** Summary of Λ over all instances and the number visited. */
  stats(): { meanLambda: number; minLambda: number; maxLambda: number; visited: number } {
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let visited = 0;
    for (let i = 0; i < this.lam.length; i++) {
      const v = this.lam[i] as number;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      visited += this.seen[i] as number;
    }
    return { meanLambda: sum / this.lam.length, minLambda: min, maxLambda: max, visited };
  }

  /** Per-row host quantities of the last step (λ used for p, new λ, KL, quadratic term), or null. */
  lastStepInfo(): AldrStepInfo | null {
    return this.last === null ? null : structuredClone(this.last);
  }

  /** Λ = λ₀ everywhere, nothing visited. */
  reset(): void {
    this.lam.fill(this.o.lambda0);
    this.seen.fill(0);
    this.last = null;
  }

  /** The state as plain JSON (`kind` `'@drojs/ldr-loss/AldrKlLoss'`, version 1, options, Λ and visited flags). */
  getState(): AldrKlState {
    return {
      kind: KIND,
      version: 1,
      options: structuredClone(this.o),
      lambda: Array.from(this.lam),
      visited: Array.from(this.seen),
    };
  }

  /**
   * Restores a state from {@link AldrKlLoss.getState} (also states of kind `'ldr-loss.AldrKlLoss'` and their
   * camelCase option literals).
   * @throws DroError `E_STATE_VERSION` for a foreign kind or version, or invalid values (options, lengths,
   *   λ ≤ 0 or non-finite, visited flags other than 0/1).
   */
  static fromState(state: AldrKlState): AldrKlLoss {
    checkState(state, KIND, [1], [LEGACY_KIND]);
    let x: AldrKlLoss;
    try {
      x = new AldrKlLoss(state.options);
    } catch (e) {
      throw invalidState('state.options', 'valid AldrKlLoss options', (e as Error).message);
    }
    const n = x.o.numInstances;
    for (const key of ['lambda', 'visited'] as const) {
      const arr = state[key];
      if (!Array.isArray(arr) || arr.length !== n) {
        throw invalidState(`state.${key}`, `an array of length ${n}`, describeValue(arr));
      }
    }
    checkStateValues(state.lambda, 'state.lambda', { min: Number.MIN_VALUE });
    for (let i = 0; i < n; i++) {
      const v = state.visited[i];
      if (v !== 0 && v !== 1) throw invalidState(`state.visited[${i}]`, '0 or 1', describeValue(v));
    }
    x.lam.set(state.lambda);
    x.seen.set(state.visited);
    return x;
  }

  private checkLogits2d(logits: tf.Tensor, fn: string): { rows: number; K: number } {
    const info = checkLogits(logits, fn);
    if (logits.rank !== 2) {
      throw new DroError('E_SHAPE', `${fn}: logits must be [B, K]`, {
        argument: 'logits',
        received: `shape [${logits.shape.join(', ')}]`,
      });
    }
    if (Array.isArray(this.o.margin) && this.o.margin.length !== info.K) {
      throw new DroError('E_SHAPE', `${fn}: per-class margin has ${this.o.margin.length} entries for K = ${info.K}`, {
        argument: 'margin',
      });
    }
    return info;
  }

  private decodeTargets(yTrue: unknown, rows: number, K: number, fn: string): { classes: Int32Array; idx: Int32Array } {
    if (!(yTrue instanceof tf.Tensor) || (yTrue.dtype !== 'float32' && yTrue.dtype !== 'int32')) {
      throw new DroError('E_DTYPE', `${fn}: yTrue must be a float32 tensor`, {
        argument: 'yTrue',
        received: describeValue(yTrue),
      });
    }
    if (yTrue.rank !== 2 || yTrue.shape[0] !== rows || yTrue.shape[1] !== K) {
      throw new DroError('E_SHAPE', `${fn}: yTrue must be [${rows}, ${K}] (encodeIndexedTargets or one-hot)`, {
        argument: 'yTrue',
        received: `shape [${yTrue.shape.join(', ')}]`,
      });
    }
    const v = yTrue.dataSync();
    const classes = new Int32Array(rows);
    const idx = new Int32Array(rows);
    const seen = this.o.onDuplicateIndex === 'throw' ? new Set<number>() : null;
    for (let i = 0; i < rows; i++) {
      let col = -1;
      let val = 0;
      for (let k = 0; k < K; k++) {
        const x = v[i * K + k] as number;
        if (x === 0) continue;
        if (col >= 0) {
          col = -2;
          break;
        }
        col = k;
        val = x;
      }
      const ok = col >= 0 && (val === 1 || (Number.isInteger(val) && val >= 2));
      if (!ok) {
        throw new DroError('E_LABEL_RANGE', `${fn}: yTrue row ${i} is neither one-hot nor an encoded indexed target`, {
          argument: 'yTrue',
          expected: 'a single non-zero entry equal to 1 or to index + 2',
        });
      }
      classes[i] = col;
      idx[i] = val === 1 ? -1 : val - 2;
      if (idx[i]! >= this.o.numInstances) {
        throw new DroError(
          'E_INDEX_RANGE',
          `${fn}: yTrue row ${i} encodes index ${idx[i]} ≥ numInstances ${this.o.numInstances}`,
          {
            argument: 'yTrue',
          },
        );
      }
      if (seen && idx[i]! >= 0) {
        if (seen.has(idx[i]!)) {
          throw new DroError('E_INDEX_RANGE', `${fn}: index ${idx[i]} appears twice in the batch`, {
            argument: 'yTrue',
          });
        }
        seen.add(idx[i]!);
      }
    }
    return { classes, idx };
  }

  // One alternating step: host λ update from the downloaded source scores, then the LDR-KL loss at λ_new.
  private step(
    logits: tf.Tensor2D,
    classes: Int32Array,
    idx: Int32Array,
    K: number,
    reduction: Reduction,
    update: boolean,
  ): tf.Tensor {
    const { lambda0, alpha, probEps, pFrom, normalize, normEps } = this.o;
    const margin = typeof this.o.margin === 'number' ? this.o.margin : Float32Array.from(this.o.margin);
    const rows = classes.length;
    const lamUsed = new Float64Array(rows);
    const lamNew = new Float64Array(rows);
    const kl = new Float64Array(rows);
    const extra = new Float64Array(rows);
    const logK = Math.log(K);
    const coef = (alpha * logK) / (2 * lambda0);
    const out = tf.tidy(() => {
      const f = normalizeScores(logits, normalize, normEps);
      const y = oneHotOf(classes, K);
      const z = marginDiffs(f, y, margin);
      const s = (pFrom === 'scores' ? f : z).dataSync();
      checkFinite(s, 'AldrKlLoss: downloaded source scores');
      const p = new Float64Array(K);
      for (let i = 0; i < rows; i++) {
        const lo = idx[i]! >= 0 ? (this.lam[idx[i]!] as number) : lambda0;
        lamUsed[i] = lo;
        let mx = Number.NEGATIVE_INFINITY;
        for (let k = 0; k < K; k++) mx = Math.max(mx, (s[i * K + k] as number) / lo);
        let sum = 0;
        for (let k = 0; k < K; k++) {
          p[k] = Math.exp((s[i * K + k] as number) / lo - mx);
          sum += p[k] as number;
        }
        let d = 0;
        for (let k = 0; k < K; k++) {
          const pk = ((p[k] as number) / sum + probEps) / (1 + K * probEps);
          if (pk !== 0) d += pk * Math.log(K * pk);
        }
        kl[i] = d;
        lamNew[i] = lambda0 - (lambda0 * d) / (alpha * logK);
        extra[i] = -coef * (lamNew[i]! - lambda0) ** 2;
      }
      checkFinite(kl, 'AldrKlLoss: KL of the batch');
      checkFinite(lamNew, 'AldrKlLoss: new lambda of the batch');
      const perRow = tf.add(
        ldrKlRows(z, tf.tensor1d(Float32Array.from(lamNew))),
        tf.tensor1d(Float32Array.from(extra)),
      );
      return reduceRows(perRow as tf.Tensor1D, null, rows, reduction, [rows]);
    });
    if (update) {
      for (let i = 0; i < rows; i++) {
        const n = idx[i]!;
        if (n < 0) continue;
        this.lam[n] = lamNew[i]!;
        this.seen[n] = 1;
      }
    }
    this.last = { lambdaUsed: lamUsed, lambdaNew: lamNew, kl, extra, indices: idx.slice() };
    return out;
  }
}

/**
 * `[N, K]` float32 targets carrying sample indices through `fit`: row i has the single non-zero entry
 * `indices[i] + 2` at column `labels[i]` (argMax is still the label, so `'accuracy'` metrics keep working).
 * Requires indices ≤ 2^24 − 3 (float32 holds integers exactly up to 2^24).
 */
export function encodeIndexedTargets(
  labels: tf.Tensor1D | ArrayLike<number>,
  indices: ArrayLike<number>,
  numClasses: number,
): tf.Tensor2D {
  const fn = 'encodeIndexedTargets';
  const K = checkNumClasses(numClasses);
  const y = toLabels(labels, 'labels', fn, { numClasses: K, allowEmpty: true });
  if (!indices || y.length !== indices.length) {
    throw new DroError('E_SHAPE', `${fn}: labels and indices must have the same length`, {
      argument: 'indices',
      received: `${y.length} labels, ${indices?.length} indices`,
    });
  }
  const n = y.length;
  const data = new Float32Array(n * K);
  for (let i = 0; i < n; i++) {
    const j = indices[i] as number;
    if (!Number.isInteger(j) || j < 0) {
      throw new DroError('E_INDEX_RANGE', `${fn}: indices[${i}] = ${describeValue(j)} is not a non-negative integer`, {
        argument: 'indices',
      });
    }
    if (j + 1 > MAX_ENCODED_INSTANCES) {
      throw new DroError(
        'E_SPEC',
        `${fn}: index ${j} exceeds what float32 targets hold exactly (numInstances ≤ 2^24 − 2)`,
        {
          argument: 'indices',
        },
      );
    }
    data[i * K + (y[i] as number)] = j + 2;
  }
  return tf.tensor2d(data, [n, K]);
}
