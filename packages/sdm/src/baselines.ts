import { checkNumber, checkOptions, DroError, opt } from '@drojs/dro-core';

/** Selective-classification metrics over one evaluation set (spec §9). */
export interface SelectiveMetrics {
  admittedFraction: number;
  nAdmitted: number;
  /** mean(ŷ = y) over admitted points; null when nothing is admitted. */
  marginalAccuracy: number | null;
  /** Minimum over true classes with ≥ 1 admitted point. */
  minClassConditionalAccuracy: number | null;
  /** Minimum over predicted classes with ≥ 1 admitted point. */
  minPredictionConditionalAccuracy: number | null;
}

/**
 * Accuracy and coverage of the admitted points. Labels outside [0, C) (e.g. −1 for OOD sets) make every
 * admission of that point an error; they enter no class-conditional accuracy.
 */
export function selectiveMetrics(
  admit: ArrayLike<boolean | number>,
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
): SelectiveMetrics {
  const n = labels.length;
  if (admit.length !== n || predictions.length !== n) {
    throw new DroError('E_SHAPE', 'admit, predictions and labels must have the same length', {
      argument: 'admit',
      expected: `${n}`,
      received: `${admit.length} and ${predictions.length}`,
    });
  }
  const classHit = new Float64Array(numClasses);
  const classN = new Float64Array(numClasses);
  const predHit = new Float64Array(numClasses);
  const predN = new Float64Array(numClasses);
  let nAdm = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    if (!admit[i]) continue;
    nAdm++;
    const y = labels[i] as number;
    const p = predictions[i] as number;
    const ok = y === p ? 1 : 0;
    hits += ok;
    if (y >= 0 && y < numClasses) {
      classN[y]! += 1;
      classHit[y]! += ok;
    }
    if (p >= 0 && p < numClasses) {
      predN[p]! += 1;
      predHit[p]! += ok;
    }
  }
  const minRatio = (h: Float64Array, c: Float64Array): number | null => {
    let m: number | null = null;
    for (let k = 0; k < numClasses; k++) if (c[k]! > 0) m = Math.min(m ?? 1, h[k]! / c[k]!);
    return m;
  };
  return {
    admittedFraction: n > 0 ? nAdm / n : 0,
    nAdmitted: nAdm,
    marginalAccuracy: nAdm > 0 ? hits / nAdm : null,
    minClassConditionalAccuracy: minRatio(classHit, classN),
    minPredictionConditionalAccuracy: minRatio(predHit, predN),
  };
}

/** Host float64 softmax of z / T. */
export function softmaxHost(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const c = logits.length;
  const out = new Float64Array(c);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < c; i++) {
    out[i] = (logits[i] as number) / temperature;
    if (out[i]! > max) max = out[i]!;
  }
  let sum = 0;
  for (let i = 0; i < c; i++) {
    out[i] = Math.exp(out[i]! - max);
    sum += out[i]!;
  }
  for (let i = 0; i < c; i++) out[i] = out[i]! / sum;
  return out;
}

/** Index of the largest entry (ties → lowest index). */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if ((v[i] as number) > (v[best] as number)) best = i;
  return best;
}

/** Softmax thresholding: admit iff max softmax(z/T) ≥ α′. */
export function softmaxThresholdAdmit(logits: ArrayLike<number>[], alpha: number, temperature = 1): Uint8Array {
  checkNumber(alpha, 'alpha', { min: 0, max: 1 });
  checkNumber(temperature, 'temperature', { min: 0, minExclusive: true });
  const out = new Uint8Array(logits.length);
  for (let i = 0; i < logits.length; i++) {
    const p = softmaxHost(logits[i] as ArrayLike<number>, temperature);
    out[i] = p[argmax(p)]! >= alpha ? 1 : 0;
  }
  return out;
}

/** Temperature T minimising the mean NLL of softmax(z/T) over 400 log-spaced values in [0.05, 20]. */
export function fitTemperature(logits: ArrayLike<number>[], labels: ArrayLike<number>): number {
  if (logits.length === 0 || logits.length !== labels.length) {
    throw new DroError('E_SHAPE', 'logits and labels must be non-empty and of equal length', {
      argument: 'logits',
      expected: `${labels.length} rows`,
      received: `${logits.length}`,
    });
  }
  const lo = Math.log(0.05);
  const hi = Math.log(20);
  let bestT = 1;
  let bestNll = Number.POSITIVE_INFINITY;
  for (let g = 0; g < 400; g++) {
    const t = Math.exp(lo + ((hi - lo) * g) / 399);
    let nll = 0;
    for (let i = 0; i < logits.length; i++) {
      const z = logits[i] as ArrayLike<number>;
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < z.length; c++) max = Math.max(max, (z[c] as number) / t);
      let sum = 0;
      for (let c = 0; c < z.length; c++) sum += Math.exp((z[c] as number) / t - max);
      nll += max + Math.log(sum) - (z[labels[i] as number] as number) / t;
    }
    nll /= logits.length;
    if (nll < bestNll) {
      bestNll = nll;
      bestT = t;
    }
  }
  return bestT;
}

/** The ⌈(n+1)(1−a)⌉-th smallest score (+∞ if that rank exceeds n). */
function conformalQuantile(scores: number[], coverage: number): number {
  const n = scores.length;
  const rank = Math.ceil((n + 1) * coverage);
  if (rank > n || n === 0) return Number.POSITIVE_INFINITY;
  const s = Float64Array.from(scores).sort();
  return s[Math.max(rank, 1) - 1]!;
}

/** APS score: probability mass of the classes ranked at or above `y` (descending p, ties by index). */
function apsScore(p: ArrayLike<number>, y: number): number {
  const py = p[y] as number;
  let mass = 0;
  for (let c = 0; c < p.length; c++) {
    const pc = p[c] as number;
    if (pc > py || (pc === py && c <= y)) mass += pc;
  }
  return mass;
}

const CONFORMAL_SCHEMA = { score: opt.oneOf(['lac', 'aps']).require(), mondrian: opt.boolean() };

/**
 * Split-conformal admission = the prediction set is exactly {argmax p} (spec §9), miscoverage 1 − α′.
 * LAC: score 1 − p_y, set {c : 1 − p_c ≤ q̂} (Mondrian: per-class q̂_c). APS (marginal, non-randomised):
 * singleton iff max p ≥ q̂.
 */
export function conformalSingletonAdmit(
  calProbs: ArrayLike<number>[],
  calLabels: ArrayLike<number>,
  testProbs: ArrayLike<number>[],
  alpha: number,
  opts: { score: 'lac' | 'aps'; mondrian?: boolean },
): Uint8Array {
  checkOptions(opts, CONFORMAL_SCHEMA, 'conformalSingletonAdmit');
  checkNumber(alpha, 'alpha', { min: 0, max: 1 });
  if (calProbs.length !== calLabels.length) {
    throw new DroError('E_SHAPE', 'calProbs and calLabels must have the same length', {
      argument: 'calProbs',
      expected: `${calLabels.length}`,
      received: `${calProbs.length}`,
    });
  }
  if (opts.score === 'aps' && opts.mondrian) {
    throw new DroError('E_SPEC', 'Mondrian APS is not provided', {
      argument: 'opts.mondrian',
      expected: 'false with aps',
    });
  }
  const numClasses = calProbs.length > 0 ? (calProbs[0] as ArrayLike<number>).length : (testProbs[0]?.length ?? 0);
  const out = new Uint8Array(testProbs.length);
  if (opts.score === 'aps') {
    const qhat = conformalQuantile(
      calProbs.map((p, i) => apsScore(p, calLabels[i] as number)),
      alpha,
    );
    for (let i = 0; i < testProbs.length; i++) {
      const p = testProbs[i] as ArrayLike<number>;
      out[i] = qhat > 0 && (p[argmax(p)] as number) >= qhat ? 1 : 0;
    }
    return out;
  }
  const qhat = new Float64Array(numClasses);
  if (opts.mondrian) {
    for (let c = 0; c < numClasses; c++) {
      const s: number[] = [];
      for (let i = 0; i < calProbs.length; i++) {
        if (calLabels[i] === c) s.push(1 - ((calProbs[i] as ArrayLike<number>)[c] as number));
      }
      qhat[c] = conformalQuantile(s, alpha);
    }
  } else {
    qhat.fill(
      conformalQuantile(
        calProbs.map((p, i) => 1 - (p[calLabels[i] as number] as number)),
        alpha,
      ),
    );
  }
  for (let i = 0; i < testProbs.length; i++) {
    const p = testProbs[i] as ArrayLike<number>;
    const top = argmax(p);
    let ok = true;
    for (let c = 0; c < p.length && ok; c++) {
      const inSet = 1 - (p[c] as number) <= qhat[c]!;
      if (inSet !== (c === top)) ok = false;
    }
    out[i] = ok ? 1 : 0;
  }
  return out;
}
