import {
  type Classifier,
  checkNumClasses,
  checkOptions,
  checkSeed,
  createRng,
  DroError,
  type Rng,
  type Seed,
  stateKind,
} from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkAlpha, checkCount, checkPositive } from '../checks.js';
import { DRS_CERTIFY_CALL_SCHEMA, DRS_CERTIFY_SCHEMA, DRS_CLASS_SCHEMA, DRS_SCHEMA, pick } from '../optionSchemas.js';
import { checkRunControl, freshSeed, type RandomSource, type RunControl, resolveRandom } from '../random.js';
import { checkExample, checkModel, checkModelInput, countVotes, type SampleTiming } from '../sample.js';
import { checkSmoothingState, restoreOptions } from '../state.js';
import { dualCertifyFromCounts } from './radius.js';
import {
  checkSplitInput,
  type Side,
  type SplitSpec,
  sideMask,
  splitBatch,
  splitInputShape,
  subInputShape,
  validateSplit,
} from './split.js';

/** Options of {@link DualRandomizedSmoothing} and {@link dualCertify}. */
export interface DualRandomizedSmoothingOptions {
  numClasses: number;
  split: SplitSpec;
  /** Gaussian noise of the left side. */
  sigmaL: number;
  /** Gaussian noise of the right side; default sigmaL. */
  sigmaR?: number;
  /** Default 1000. */
  batchSize?: number;
  /** Selection draws per side, default 100 (the authors use 200). */
  n0?: number;
  /** Estimation draws per side, default 100 000. */
  n?: number;
  /** Total failure probability, default 0.001. */
  alpha?: number;
  /** true (default): alpha/2 per side, sound at 1 − alpha; false: alpha per side (the authors' accounting), sound at 1 − 2 alpha. */
  splitAlpha?: boolean;
  /** A non-negative safe integer or a string. Default: drawn from crypto; the stream is kept in the state. */
  seed?: Seed;
}

export type ResolvedDrsOptions = Required<Omit<DualRandomizedSmoothingOptions, 'seed'>>;

export interface DualCertifyResult {
  prediction: number;
  radius: number;
  norm: 'l2';
  cAHat: number;
  pLLower: number;
  pRLower: number;
  alphaPerSide: number;
  /** alpha, or 2·alpha when splitAlpha is false. */
  failureProbability: number;
  countsSelectionL: Int32Array;
  countsSelectionR: Int32Array;
  countsL: Int32Array;
  countsR: Int32Array;
  /** 2 (n0 + n) sub-classifier evaluations. */
  samples: number;
  timeMs: number;
  timing?: SampleTiming;
  seed?: Seed;
}

/** The state kind, `'@drojs/smoothing/DualRandomizedSmoothing'`; states written as `'DualRandomizedSmoothing'` still load. */
export const DRS_KIND = stateKind('smoothing', 'DualRandomizedSmoothing');

export interface DualRandomizedSmoothingState {
  kind: string;
  version: 1;
  options: ResolvedDrsOptions;
  rng: unknown;
}

/** @internal */
export function resolveDrsOptions(options: Partial<DualRandomizedSmoothingOptions>): ResolvedDrsOptions {
  if (options && typeof options === 'object' && (options as { noise?: unknown }).noise !== undefined) {
    // A common mistake carried over from RandomizedSmoothing: say what DRS takes instead.
    throw new DroError('E_SPEC', 'DRS takes Gaussian noise as sigmaL and sigmaR, not noise', { argument: 'noise' });
  }
  const o = checkOptions(options, DRS_SCHEMA, 'DualRandomizedSmoothing');
  validateSplit(o.split);
  const sigmaL = checkPositive(o.sigmaL, 'sigmaL');
  const splitAlpha = o.splitAlpha ?? true;
  return {
    numClasses: checkNumClasses(o.numClasses),
    split: structuredClone(o.split),
    sigmaL,
    sigmaR: checkPositive(o.sigmaR ?? sigmaL, 'sigmaR'),
    batchSize: checkCount(o.batchSize ?? 1000, 'batchSize'),
    n0: checkCount(o.n0 ?? 100, 'n0'),
    n: checkCount(o.n ?? 100_000, 'n'),
    alpha: checkAlpha(o.alpha ?? 0.001),
    splitAlpha,
  };
}

/** @internal DRS CERTIFY with four streams forked from `rng` (which it does not advance). */
export async function dualCertifyCore(
  modelL: Classifier,
  modelR: Classifier,
  x: tf.Tensor,
  o: ResolvedDrsOptions,
  rng: Rng,
  control: RunControl,
): Promise<DualCertifyResult> {
  const t0 = performance.now();
  const timing: SampleTiming = { noiseMs: 0, forwardMs: 0 };
  const masked = o.split.layout === 'masked';
  const shape = splitInputShape(o.split);
  const sides = tf.tidy(() => {
    const xb = tf.expandDims(x, 0);
    const mk = (s: Side) => tf.squeeze(splitBatch(o.split, xb, s), [0]);
    return {
      left: mk('left'),
      right: mk('right'),
      maskL: masked ? tf.tensor(sideMask(o.split, 'left'), shape, 'float32') : undefined,
      maskR: masked ? tf.tensor(sideMask(o.split, 'right'), shape, 'float32') : undefined,
    };
  });
  try {
    const job = (side: Side, phase: 'selection' | 'estimation', num: number) =>
      countVotes({
        model: side === 'left' ? modelL : modelR,
        base: side === 'left' ? sides.left : sides.right,
        noiseMask: side === 'left' ? sides.maskL : sides.maskR,
        num,
        numClasses: o.numClasses,
        noise: { kind: 'gaussian', sigma: side === 'left' ? o.sigmaL : o.sigmaR },
        rng: rng.fork(`${phase}/${side}`),
        batchSize: o.batchSize,
        phase,
        side,
        control,
        timing,
      });
    const countsSelectionL = await job('left', 'selection', o.n0);
    const countsSelectionR = await job('right', 'selection', o.n0);
    const countsL = await job('left', 'estimation', o.n);
    const countsR = await job('right', 'estimation', o.n);
    const c = dualCertifyFromCounts(
      countsSelectionL,
      countsSelectionR,
      countsL,
      countsR,
      o.alpha,
      o.sigmaL,
      o.sigmaR,
      o.splitAlpha,
    );
    const alphaPerSide = o.splitAlpha ? o.alpha / 2 : o.alpha;
    return {
      ...c,
      norm: 'l2',
      alphaPerSide,
      failureProbability: 2 * alphaPerSide,
      countsSelectionL,
      countsSelectionR,
      countsL,
      countsR,
      samples: 2 * (o.n0 + o.n),
      timeMs: performance.now() - t0,
      timing,
    };
  } finally {
    sides.left.dispose();
    sides.right.dispose();
    sides.maskL?.dispose();
    sides.maskR?.dispose();
  }
}

/** @internal Validates one DRS example against the split. */
export function checkDualExample(x: unknown, o: ResolvedDrsOptions, modelL: Classifier, modelR: Classifier): tf.Tensor {
  const t = checkExample(x, undefined);
  checkSplitInput(o.split, t, false);
  checkModelInput(modelL, subInputShape(o.split, 'left'), 'modelL');
  checkModelInput(modelR, subInputShape(o.split, 'right'), 'modelR');
  return t;
}

/**
 * Dual randomized smoothing (Xia et al. 2024) with the sound radius (§3.4): two sub-classifiers, one per
 * side of a fixed split, each smoothed with its own Gaussian noise. The authors' unsound radius rules
 * are not used here; they live only in `@drojs/smoothing/legacy`.
 */
export class DualRandomizedSmoothing {
  readonly options: Readonly<ResolvedDrsOptions>;
  private rng: Rng;

  constructor(options: DualRandomizedSmoothingOptions) {
    checkOptions(options, DRS_CLASS_SCHEMA, 'DualRandomizedSmoothing');
    const o = resolveDrsOptions(pick(options, DRS_SCHEMA));
    const seed = options.seed === undefined ? freshSeed() : checkSeed(options.seed);
    this.options = Object.freeze(o);
    this.rng = createRng(seed);
  }

  async certify(
    modelL: Classifier,
    modelR: Classifier,
    x: tf.Tensor,
    opts: { n0?: number; n?: number; alpha?: number; splitAlpha?: boolean } & RunControl = {},
  ): Promise<DualCertifyResult> {
    checkModel(modelL, 'modelL');
    checkModel(modelR, 'modelR');
    checkOptions(opts, DRS_CERTIFY_CALL_SCHEMA, 'DualRandomizedSmoothing.certify');
    const over: Partial<DualRandomizedSmoothingOptions> = {};
    if (opts.n0 !== undefined) over.n0 = opts.n0;
    if (opts.n !== undefined) over.n = opts.n;
    if (opts.alpha !== undefined) over.alpha = opts.alpha;
    if (opts.splitAlpha !== undefined) over.splitAlpha = opts.splitAlpha;
    const o = resolveDrsOptions({ ...this.options, ...over });
    checkRunControl(opts);
    checkDualExample(x, o, modelL, modelR);
    const saved = this.rng.getState();
    try {
      const r = await dualCertifyCore(modelL, modelR, x, o, this.rng, opts);
      this.rng.u32();
      return r;
    } catch (e) {
      this.rng.setState(saved);
      throw e;
    }
  }

  getState(): DualRandomizedSmoothingState {
    return {
      kind: DRS_KIND,
      version: 1,
      options: structuredClone({ ...this.options }),
      rng: this.rng.getState(),
    };
  }

  static fromState(state: DualRandomizedSmoothingState): DualRandomizedSmoothing {
    const rng = checkSmoothingState(state, DRS_KIND, 'DualRandomizedSmoothing');
    const o = restoreOptions(() => resolveDrsOptions(state.options));
    const d = new DualRandomizedSmoothing({ ...o, seed: 0 });
    d.rng = rng;
    return d;
  }
}

/** One-shot DRS CERTIFY. With neither seed nor rng, a crypto seed is drawn and returned as `seed`. */
export async function dualCertify(
  modelL: Classifier,
  modelR: Classifier,
  x: tf.Tensor,
  opts: Omit<DualRandomizedSmoothingOptions, 'seed'> & RandomSource & RunControl,
): Promise<DualCertifyResult> {
  checkModel(modelL, 'modelL');
  checkModel(modelR, 'modelR');
  checkOptions(opts, DRS_CERTIFY_SCHEMA, 'dualCertify');
  const o = resolveDrsOptions(pick(opts, DRS_SCHEMA));
  checkRunControl(opts);
  checkDualExample(x, o, modelL, modelR);
  const src = resolveRandom(opts);
  try {
    const r = await dualCertifyCore(modelL, modelR, x, o, src.rng, opts);
    src.rng.u32();
    return src.seed === undefined ? r : { ...r, seed: src.seed };
  } catch (e) {
    src.restore();
    throw e;
  }
}
