import {
  checkNumber,
  checkOptions,
  checkStateValues,
  DroError,
  describeValue,
  invalidState,
  type OptionSchema,
  opt,
  toTensor,
} from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { DUPLICATE_RULE, kebab } from '../options.js';

/** log(e^a + e^b) in float64; −∞ handled. */
export function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/**
 * Moving average in log domain: `log u = logaddexp(log(1−γ) + logU_old, log γ + log ĝ)`; an unvisited
 * entry (NaN) has u = 0, and γ = 1 replaces u outright.
 */
export function movingLog(logUOld: number, gamma: number, logG: number): number {
  if (gamma === 1) return logG;
  if (Number.isNaN(logUOld)) return Math.log(gamma) + logG;
  return logAddExp(Math.log1p(-gamma) + logUOld, Math.log(gamma) + logG);
}

/** Row-wise L2 normalisation `h / sqrt(max(Σh², 1e-24))` (sqrt's gradient at 0 would be infinite). */
export function l2Rows(h: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(h, tf.sqrt(tf.maximum(tf.sum(tf.square(h), 1, true), 1e-24))) as tf.Tensor2D);
}

/**
 * Runs `body` on a pair of `[B, d]` float32 feature matrices, B ≥ 2, read by dro-core's `toTensor` (a
 * non-numeric value or another dtype → `E_DTYPE`, another rank → `E_SHAPE`); tensors it made are disposed.
 */
export function withViews<R>(
  a: unknown,
  b: unknown,
  names: [string, string],
  fn: string,
  body: (ta: tf.Tensor2D, tb: tf.Tensor2D, B: number) => R,
): R {
  const ta = toTensor(a, names[0], fn, { rank: 2 }) as tf.Tensor2D;
  let tb: tf.Tensor2D | undefined;
  try {
    tb = toTensor(b, names[1], fn, { rank: 2 }) as tf.Tensor2D;
    const { B } = checkViews(ta, tb, names, fn);
    return body(ta, tb, B);
  } finally {
    if (ta !== a) ta.dispose();
    if (tb !== undefined && tb !== b) tb.dispose();
  }
}

/** Checks that two `[B, d]` feature matrices have the same shape and B ≥ 2. */
export function checkViews(ta: tf.Tensor2D, tb: tf.Tensor2D, names: [string, string], fn: string): { B: number } {
  if (ta.shape[0] !== tb.shape[0] || ta.shape[1] !== tb.shape[1]) {
    throw new DroError('E_SHAPE', `${fn}: ${names[0]} and ${names[1]} must have the same shape`, {
      argument: names[1],
      expected: `shape [${ta.shape.join(', ')}]`,
      received: `shape [${tb.shape.join(', ')}]`,
    });
  }
  const B = ta.shape[0];
  if (B < 2) {
    throw new DroError('E_SHAPE', `${fn}: a batch needs B ≥ 2 rows (2B − 2 negatives)`, {
      argument: names[0],
      received: `B = ${B}`,
    });
  }
  return { B };
}

/** Resolved options shared by both contrastive losses (defaults filled in, as stored in their states). */
export interface ContrastiveResolved {
  numInstances: number;
  tau: number;
  gamma: number;
  gammaSchedule: 'constant' | 'cosine';
  gammaDecayEpochs: number;
  firstVisit: 'sample' | 'batch' | 'none';
  eps: number;
  individualTemperature: boolean;
  rho: number;
  eta: number;
  beta: number;
  tauMin: number;
  tauMax: number;
  tauGradClip: number | null;
  normalizeFeatures: boolean;
  onDuplicateIndex: 'last-wins' | 'throw';
}

/** Keys of the unimodal loss's options (the bimodal loss adds `includePositiveInNormalizer`). */
export const CONTRASTIVE_OPTIONS = {
  numInstances: opt.integer({ min: 1 }).require(),
  tau: opt.any(),
  gamma: opt.any(),
  gammaSchedule: opt.oneOf(['constant', 'cosine'] as const),
  gammaDecayEpochs: opt.any(),
  firstVisit: opt.oneOf(['sample', 'batch', 'none'] as const),
  eps: opt.any(),
  individualTemperature: opt.boolean(),
  rho: opt.any(),
  eta: opt.any(),
  beta: opt.any(),
  tauMin: opt.any(),
  tauMax: opt.any(),
  tauGradClip: opt.any(),
  normalizeFeatures: opt.boolean(),
  onDuplicateIndex: DUPLICATE_RULE,
};

/** Validates options (unknown keys rejected by `schema`) against the package defaults given. */
export function resolveContrastive(
  o: Record<string, unknown>,
  d: Omit<ContrastiveResolved, 'numInstances'>,
  schema: OptionSchema,
  caller: string,
): ContrastiveResolved {
  checkOptions(o, schema, caller);
  const numInstances = checkNumber(o.numInstances, 'numInstances', { min: 1, integer: true });
  const tauMin = checkNumber(o.tauMin ?? d.tauMin, 'tauMin', { min: 0, minExclusive: true });
  const tauMax = checkNumber(o.tauMax ?? d.tauMax, 'tauMax', { min: tauMin });
  const tau = checkNumber(o.tau ?? d.tau, 'tau', { min: tauMin, max: tauMax });
  const gamma = checkNumber(o.gamma ?? d.gamma, 'gamma', { min: 0, minExclusive: true, max: 1 });
  const gammaSchedule = (o.gammaSchedule ?? d.gammaSchedule) as ContrastiveResolved['gammaSchedule'];
  let gammaDecayEpochs = 0;
  if (gammaSchedule === 'cosine')
    gammaDecayEpochs = checkNumber(o.gammaDecayEpochs, 'gammaDecayEpochs', { min: 0, minExclusive: true });
  else if (o.gammaDecayEpochs !== undefined)
    gammaDecayEpochs = checkNumber(o.gammaDecayEpochs, 'gammaDecayEpochs', { min: 0 });
  const clipIn = o.tauGradClip === undefined ? d.tauGradClip : o.tauGradClip;
  const tauGradClip = clipIn === null ? null : checkNumber(clipIn, 'tauGradClip', { min: 0, minExclusive: true });
  const individualTemperature = o.individualTemperature ?? d.individualTemperature;
  const normalizeFeatures = o.normalizeFeatures ?? d.normalizeFeatures;
  return {
    numInstances,
    tau,
    gamma,
    gammaSchedule,
    gammaDecayEpochs,
    firstVisit: (o.firstVisit ?? d.firstVisit) as ContrastiveResolved['firstVisit'],
    eps: checkNumber(o.eps ?? d.eps, 'eps', { min: 0, minExclusive: true }),
    individualTemperature: individualTemperature as boolean,
    rho: checkNumber(o.rho ?? d.rho, 'rho', { min: 0 }),
    eta: checkNumber(o.eta ?? d.eta, 'eta', { min: 0, minExclusive: true }),
    beta: checkNumber(o.beta ?? d.beta, 'beta', { min: 0, minExclusive: true, max: 1 }),
    tauMin,
    tauMax,
    tauGradClip,
    normalizeFeatures: normalizeFeatures as boolean,
    onDuplicateIndex: kebab<'last-wins' | 'throw'>((o.onDuplicateIndex ?? d.onDuplicateIndex) as string),
  };
}

/** γ per row for a batch under a first-visit rule (`visited(n)` says whether index n has a value). */
export function gammasFor(
  idx: Int32Array,
  gamma: number,
  rule: 'sample' | 'batch' | 'none',
  visited: (n: number) => boolean,
): Float64Array {
  const out = new Float64Array(idx.length).fill(gamma);
  if (rule === 'sample') idx.forEach((n, i) => (out[i] = visited(n) ? gamma : 1));
  else if (rule === 'batch' && idx.every((n) => !visited(n))) out.fill(1);
  return out;
}

/** JSON form of a float64 array with NaN (unvisited) as null. */
export function toNullable(a: Float64Array): (number | null)[] {
  return Array.from(a, (v) => (Number.isNaN(v) ? null : v));
}

/** Inverse of {@link toNullable} on a restored state: length n, finite numbers or null (`E_STATE_VERSION`). */
export function fromNullable(v: unknown, n: number, name: string): Float64Array {
  if (!Array.isArray(v) || v.length !== n) throw invalidState(name, `an array of length ${n}`, describeValue(v));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x === null) out[i] = Number.NaN;
    else if (typeof x === 'number' && Number.isFinite(x)) out[i] = x;
    else throw invalidState(`${name}[${i}]`, 'a finite number or null', describeValue(x));
  }
  return out;
}

/** A finite float64 array of length n from a restored state (`E_STATE_VERSION` otherwise). */
export function fromFinite(v: unknown, n: number, name: string): Float64Array {
  if (!Array.isArray(v) || v.length !== n) throw invalidState(name, `an array of length ${n}`, describeValue(v));
  checkStateValues(v as number[], name);
  return Float64Array.from(v as number[]);
}
