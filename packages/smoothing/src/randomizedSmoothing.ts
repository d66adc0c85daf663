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
import type * as tf from '@tensorflow/tfjs-core';
import { certifyMulticlassBonferroni } from './bonferroni.js';
import { ABSTAIN, CERTIFY_RULES, type CertifyRule, certifyFromCounts, predictFromCounts } from './certificate.js';
import { checkAlpha, checkCount, checkOneOf } from './checks.js';
import { type NoiseInput, type NoiseSpec, toNoiseSpec } from './noise.js';
import { l1RadiusLaplace, l1RadiusUniform } from './norms.js';
import {
  PREDICT_SCHEMA,
  pick,
  RS_CERTIFY_CALL_SCHEMA,
  RS_CERTIFY_SCHEMA,
  RS_CLASS_SCHEMA,
  RS_PREDICT_CALL_SCHEMA,
  RS_SCHEMA,
} from './optionSchemas.js';
import { checkRunControl, freshSeed, type RandomSource, type RunControl, resolveRandom } from './random.js';
import { checkExample, checkModel, countVotes, type SampleTiming } from './sample.js';
import { checkSmoothingState, restoreOptions } from './state.js';

/** Norm of a certified radius: Gaussian noise certifies L2, uniform and Laplace noise certify L1. */
export type Norm = 'l2' | 'l1';
/** `'cohen'`: pB = 1 − pA_; `'bonferroni'`: estimated runner-up bound (Gaussian noise only). */
export type CertifyBound = 'cohen' | 'bonferroni';
const BOUNDS: readonly CertifyBound[] = ['cohen', 'bonferroni'];

/** Options of {@link RandomizedSmoothing} and {@link certify}. */
export interface RandomizedSmoothingOptions {
  numClasses: number;
  noise: NoiseInput;
  /** Default 1000. */
  batchSize?: number;
  /** Selection draws, default 100. */
  n0?: number;
  /** Estimation draws for CERTIFY, default 100 000. */
  n?: number;
  /** Failure probability of one call, default 0.001. */
  alpha?: number;
  /** Default `'paper'`. */
  rule?: CertifyRule;
  /** Default `'cohen'`. */
  bound?: CertifyBound;
  /**
   * A non-negative safe integer or a string. Default: drawn from crypto (a certificate's noise must not be
   * predictable by whoever chose the input); the stream is kept in the state.
   */
  seed?: Seed;
}

/** Options with every default filled in (what the state stores). */
export type ResolvedRsOptions = {
  numClasses: number;
  noise: NoiseSpec;
  batchSize: number;
  n0: number;
  n: number;
  alpha: number;
  rule: CertifyRule;
  bound: CertifyBound;
};

export interface PredictResult {
  /** Class or ABSTAIN (−1). */
  prediction: number;
  topClass: number;
  nA: number;
  nB: number;
  pValue: number;
  counts: Int32Array;
  n: number;
  timeMs: number;
  seed?: Seed;
}

export interface CertifyResult {
  /** Class or ABSTAIN (−1); an abstention has radius 0. */
  prediction: number;
  radius: number;
  norm: Norm;
  cAHat: number;
  nA: number;
  n: number;
  pALower: number;
  /** Bound `'bonferroni'` only. */
  pBUpper?: number;
  countsSelection: Int32Array;
  countsEstimation: Int32Array;
  /** n0 + n forward evaluations. */
  samples: number;
  timeMs: number;
  /** Noise-generation vs forward split of timeMs. */
  timing?: SampleTiming;
  seed?: Seed;
}

/** The state kind, `'@drojs/smoothing/RandomizedSmoothing'`; states written as `'RandomizedSmoothing'` still load. */
export const RS_KIND = stateKind('smoothing', 'RandomizedSmoothing');

export interface RandomizedSmoothingState {
  kind: string;
  version: 1;
  options: ResolvedRsOptions;
  rng: unknown;
}

/** @internal Validates RS options and fills in the defaults. */
export function resolveRsOptions(options: Partial<RandomizedSmoothingOptions>): ResolvedRsOptions {
  const o = checkOptions(options, RS_SCHEMA, 'RandomizedSmoothing');
  const noise = toNoiseSpec(o.noise);
  const bound = checkOneOf(o.bound ?? 'cohen', 'bound', BOUNDS);
  if (bound === 'bonferroni' && noise.kind !== 'gaussian') {
    throw new DroError('E_SPEC', "bound 'bonferroni' needs Gaussian noise", {
      argument: 'bound',
      received: `noise ${noise.kind}`,
    });
  }
  return {
    numClasses: checkNumClasses(o.numClasses),
    noise,
    batchSize: checkCount(o.batchSize ?? 1000, 'batchSize'),
    n0: checkCount(o.n0 ?? 100, 'n0'),
    n: checkCount(o.n ?? 100_000, 'n'),
    alpha: checkAlpha(o.alpha ?? 0.001),
    rule: checkOneOf(o.rule ?? 'paper', 'rule', CERTIFY_RULES),
    bound,
  };
}

/** @internal CERTIFY with streams forked from `rng` (which it does not advance). */
export async function certifyCore(
  model: Classifier,
  x: tf.Tensor,
  o: ResolvedRsOptions,
  rng: Rng,
  control: RunControl,
): Promise<CertifyResult> {
  const t0 = performance.now();
  const timing: SampleTiming = { noiseMs: 0, forwardMs: 0 };
  const common = { model, base: x, numClasses: o.numClasses, noise: o.noise, batchSize: o.batchSize, control, timing };
  const countsSelection = await countVotes({ ...common, num: o.n0, rng: rng.fork('selection'), phase: 'selection' });
  const countsEstimation = await countVotes({ ...common, num: o.n, rng: rng.fork('estimation'), phase: 'estimation' });
  const samples = o.n0 + o.n;
  const timeMs = performance.now() - t0;
  if (o.bound === 'bonferroni') {
    const r = certifyMulticlassBonferroni(
      countsSelection,
      countsEstimation,
      o.alpha,
      (o.noise as { sigma: number }).sigma,
    );
    return {
      prediction: r.prediction,
      radius: r.radius,
      norm: 'l2',
      cAHat: r.cAHat,
      nA: countsEstimation[r.cAHat] as number,
      n: o.n,
      pALower: r.pALower,
      pBUpper: r.pBUpper,
      countsSelection,
      countsEstimation,
      samples,
      timeMs,
      timing,
    };
  }
  const scale = o.noise.kind === 'gaussian' ? o.noise.sigma : o.noise.lambda;
  const c = certifyFromCounts(countsSelection, countsEstimation, o.alpha, scale, o.rule);
  let radius = c.radius;
  // radius 0 with a prediction is the exact tie pA_ = ½ under 'code' (decided from the counts): it stays 0
  // for every norm rather than 2λ·(pA_ − ½) of a bound that rounded just above ½.
  if (c.prediction !== ABSTAIN && o.noise.kind !== 'gaussian' && c.radius > 0) {
    radius = o.noise.kind === 'uniform' ? l1RadiusUniform(c.pALower, scale) : l1RadiusLaplace(c.pALower, scale);
  }
  return {
    prediction: c.prediction,
    radius,
    norm: o.noise.kind === 'gaussian' ? 'l2' : 'l1',
    cAHat: c.cAHat,
    nA: c.nA,
    n: c.n,
    pALower: c.pALower,
    countsSelection,
    countsEstimation,
    samples,
    timeMs,
    timing,
  };
}

/** @internal PREDICT with a stream forked from `rng`. */
async function predictCore(
  model: Classifier,
  x: tf.Tensor,
  o: { numClasses: number; noise: NoiseSpec; batchSize: number; n: number; alpha: number },
  rng: Rng,
  control: RunControl,
): Promise<PredictResult> {
  const t0 = performance.now();
  const counts = await countVotes({
    model,
    base: x,
    num: o.n,
    numClasses: o.numClasses,
    noise: o.noise,
    batchSize: o.batchSize,
    rng: rng.fork('predict'),
    phase: 'estimation',
    control,
  });
  const p = predictFromCounts(counts, o.alpha);
  return { ...p, counts, n: o.n, timeMs: performance.now() - t0 };
}

/**
 * Randomized smoothing (Cohen et al. 2019) over any classifier. Holds its options and an `Rng`; every
 * call derives independent selection and estimation streams from it and advances it; a call that
 * rejects leaves the object untouched. Noise is added to `x` as given; the radius is in x's units.
 */
export class RandomizedSmoothing {
  readonly options: Readonly<ResolvedRsOptions>;
  private rng: Rng;

  constructor(options: RandomizedSmoothingOptions) {
    checkOptions(options, RS_CLASS_SCHEMA, 'RandomizedSmoothing');
    const o = resolveRsOptions(pick(options, RS_SCHEMA));
    const seed = options.seed === undefined ? freshSeed() : checkSeed(options.seed);
    this.options = Object.freeze({ ...o, noise: Object.freeze({ ...o.noise }) as NoiseSpec });
    this.rng = createRng(seed);
  }

  /**
   * PREDICT (§2.2): default n = 1000, alpha = options.alpha. With n below
   * `minUnanimousVotesToPredict(alpha)` (e.g. n ≤ 10 at alpha = 0.001) it always abstains.
   */
  async predict(
    model: Classifier,
    x: tf.Tensor,
    opts: { n?: number; alpha?: number } & RunControl = {},
  ): Promise<PredictResult> {
    checkModel(model);
    checkOptions(opts, RS_PREDICT_CALL_SCHEMA, 'RandomizedSmoothing.predict');
    const n = checkCount(opts.n ?? 1000, 'n');
    const alpha = checkAlpha(opts.alpha ?? this.options.alpha);
    checkRunControl(opts);
    checkExample(x, model);
    const saved = this.rng.getState();
    try {
      const r = await predictCore(model, x, { ...this.options, n, alpha }, this.rng, opts);
      this.rng.u32();
      return r;
    } catch (e) {
      this.rng.setState(saved);
      throw e;
    }
  }

  /** CERTIFY (§2.3, §4.1, §4.2) with per-call overrides of n0, n, alpha, rule and bound. */
  async certify(
    model: Classifier,
    x: tf.Tensor,
    opts: { n0?: number; n?: number; alpha?: number; rule?: CertifyRule; bound?: CertifyBound } & RunControl = {},
  ): Promise<CertifyResult> {
    checkModel(model);
    checkOptions(opts, RS_CERTIFY_CALL_SCHEMA, 'RandomizedSmoothing.certify');
    const o = resolveRsOptions({ ...this.options, ...stripUndefined(opts) });
    checkRunControl(opts);
    checkExample(x, model);
    const saved = this.rng.getState();
    try {
      const r = await certifyCore(model, x, o, this.rng, opts);
      this.rng.u32();
      return r;
    } catch (e) {
      this.rng.setState(saved);
      throw e;
    }
  }

  getState(): RandomizedSmoothingState {
    return {
      kind: RS_KIND,
      version: 1,
      options: { ...this.options, noise: { ...this.options.noise } },
      rng: this.rng.getState(),
    };
  }

  static fromState(state: RandomizedSmoothingState): RandomizedSmoothing {
    const rng = checkSmoothingState(state, RS_KIND, 'RandomizedSmoothing');
    const o = restoreOptions(() => resolveRsOptions(state.options));
    const rs = new RandomizedSmoothing({ ...o, seed: 0 });
    rs.rng = rng;
    return rs;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v !== undefined && k !== 'onProgress' && k !== 'signal') (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** Options of {@link smoothedPredict}. */
export interface PredictOptions extends RandomSource, RunControl {
  numClasses: number;
  noise: NoiseInput;
  batchSize?: number;
  /** Default 1000. */
  n?: number;
  /** Default 0.001. */
  alpha?: number;
}

/** One-shot PREDICT (§2.2). With neither seed nor rng, a crypto seed is drawn and returned as `seed`. */
export async function smoothedPredict(model: Classifier, x: tf.Tensor, opts: PredictOptions): Promise<PredictResult> {
  checkModel(model);
  checkOptions(opts, PREDICT_SCHEMA, 'smoothedPredict');
  const o = {
    numClasses: checkNumClasses(opts.numClasses),
    noise: toNoiseSpec(opts.noise),
    batchSize: checkCount(opts.batchSize ?? 1000, 'batchSize'),
    n: checkCount(opts.n ?? 1000, 'n'),
    alpha: checkAlpha(opts.alpha ?? 0.001),
  };
  checkRunControl(opts);
  checkExample(x, model);
  const src = resolveRandom(opts);
  try {
    const r = await predictCore(model, x, o, src.rng, opts);
    src.rng.u32();
    return src.seed === undefined ? r : { ...r, seed: src.seed };
  } catch (e) {
    src.restore();
    throw e;
  }
}

/** One-shot CERTIFY (§2.3). With neither seed nor rng, a crypto seed is drawn and returned as `seed`. */
export async function certify(
  model: Classifier,
  x: tf.Tensor,
  opts: Omit<RandomizedSmoothingOptions, 'seed'> & RandomSource & RunControl,
): Promise<CertifyResult> {
  checkModel(model);
  checkOptions(opts, RS_CERTIFY_SCHEMA, 'certify');
  const o = resolveRsOptions(pick(opts, RS_SCHEMA));
  checkRunControl(opts);
  checkExample(x, model);
  const src = resolveRandom(opts);
  try {
    const r = await certifyCore(model, x, o, src.rng, opts);
    src.rng.u32();
    return src.seed === undefined ? r : { ...r, seed: src.seed };
  } catch (e) {
    src.restore();
    throw e;
  }
}
