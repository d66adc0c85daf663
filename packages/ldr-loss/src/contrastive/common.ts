import { checkFinite, checkNumber, DroError, describeValue } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';

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

/** Validates a pair of `[B, d]` float32 feature tensors, B ≥ 2. */
export function checkViews(a: unknown, b: unknown, names: [string, string], fn: string): { B: number } {
  for (const [t, name] of [
    [a, names[0]],
    [b, names[1]],
  ] as const) {
    if (!(t instanceof tf.Tensor) || t.dtype !== 'float32') {
      throw new DroError('E_DTYPE', `${fn}: ${name} must be a float32 tensor`, {
        argument: name,
        received: t instanceof tf.Tensor ? t.dtype : describeValue(t),
      });
    }
    if (t.rank !== 2) {
      throw new DroError('E_SHAPE', `${fn}: ${name} must be [B, d]`, {
        argument: name,
        received: `shape [${t.shape.join(', ')}]`,
      });
    }
  }
  const ta = a as tf.Tensor2D;
  const tb = b as tf.Tensor2D;
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

/** Resolved options shared by both contrastive losses. */
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
  onDuplicateIndex: 'lastWins' | 'throw';
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], name: string, dflt: T): T {
  const x = v ?? dflt;
  if (!allowed.includes(x as T)) {
    throw new DroError('E_SPEC', `${name} is not one of ${allowed.join(', ')}`, {
      argument: name,
      received: describeValue(x),
    });
  }
  return x as T;
}

/** Validates options against the package defaults given. */
export function resolveContrastive(
  o: Record<string, unknown>,
  d: Omit<ContrastiveResolved, 'numInstances'>,
): ContrastiveResolved {
  if (o === null || typeof o !== 'object')
    throw new DroError('E_SPEC', 'options must be an object', { argument: 'opts' });
  const numInstances = checkNumber(o.numInstances, 'numInstances', { min: 1, integer: true });
  const tauMin = checkNumber(o.tauMin ?? d.tauMin, 'tauMin', { min: 0, minExclusive: true });
  const tauMax = checkNumber(o.tauMax ?? d.tauMax, 'tauMax', { min: tauMin });
  const tau = checkNumber(o.tau ?? d.tau, 'tau', { min: tauMin, max: tauMax });
  const gamma = checkNumber(o.gamma ?? d.gamma, 'gamma', { min: 0, minExclusive: true, max: 1 });
  const gammaSchedule = oneOf(o.gammaSchedule, ['constant', 'cosine'] as const, 'gammaSchedule', d.gammaSchedule);
  let gammaDecayEpochs = 0;
  if (gammaSchedule === 'cosine')
    gammaDecayEpochs = checkNumber(o.gammaDecayEpochs, 'gammaDecayEpochs', { min: 0, minExclusive: true });
  else if (o.gammaDecayEpochs !== undefined)
    gammaDecayEpochs = checkNumber(o.gammaDecayEpochs, 'gammaDecayEpochs', { min: 0 });
  const clipIn = o.tauGradClip === undefined ? d.tauGradClip : o.tauGradClip;
  const tauGradClip = clipIn === null ? null : checkNumber(clipIn, 'tauGradClip', { min: 0, minExclusive: true });
  const individualTemperature = o.individualTemperature ?? d.individualTemperature;
  const normalizeFeatures = o.normalizeFeatures ?? d.normalizeFeatures;
  for (const [k, v] of [
    ['individualTemperature', individualTemperature],
    ['normalizeFeatures', normalizeFeatures],
  ] as const) {
    if (typeof v !== 'boolean')
      throw new DroError('E_SPEC', `${k} must be a boolean`, { argument: k, received: describeValue(v) });
  }
  return {
    numInstances,
    tau,
    gamma,
    gammaSchedule,
    gammaDecayEpochs,
    firstVisit: oneOf(o.firstVisit, ['sample', 'batch', 'none'] as const, 'firstVisit', d.firstVisit),
    eps: checkNumber(o.eps ?? d.eps, 'eps', { min: 0, minExclusive: true }),
    individualTemperature: individualTemperature as boolean,
    rho: checkNumber(o.rho ?? d.rho, 'rho', { min: 0 }),
    eta: checkNumber(o.eta ?? d.eta, 'eta', { min: 0, minExclusive: true }),
    beta: checkNumber(o.beta ?? d.beta, 'beta', { min: 0, minExclusive: true, max: 1 }),
    tauMin,
    tauMax,
    tauGradClip,
    normalizeFeatures: normalizeFeatures as boolean,
    onDuplicateIndex: oneOf(o.onDuplicateIndex, ['lastWins', 'throw'] as const, 'onDuplicateIndex', d.onDuplicateIndex),
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

/** Inverse of {@link toNullable}, validating length and finiteness. */
export function fromNullable(v: unknown, n: number, name: string): Float64Array {
  if (!Array.isArray(v) || v.length !== n) {
    throw new DroError('E_SPEC', `${name} must be an array of length ${n}`, {
      argument: name,
      received: describeValue(v),
    });
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x === null) out[i] = Number.NaN;
    else if (typeof x === 'number' && Number.isFinite(x)) out[i] = x;
    else throw new DroError('E_NONFINITE', `${name}[${i}] is not a finite number or null`, { argument: name });
  }
  return out;
}

/** A finite float64 array of length n. */
export function fromFinite(v: unknown, n: number, name: string): Float64Array {
  if (!Array.isArray(v) || v.length !== n) {
    throw new DroError('E_SPEC', `${name} must be an array of length ${n}`, {
      argument: name,
      received: describeValue(v),
    });
  }
  checkFinite(v as number[], name);
  return Float64Array.from(v as number[]);
}
