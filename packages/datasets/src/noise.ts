import {
  checkNumber,
  checkNumClasses,
  checkOptions,
  DroError,
  describeValue,
  type LabelsInput,
  type OptionRule,
  opt,
  type Rng,
  type Seed,
  toLabels,
  toRng,
} from '@drojs/dro-core';

/**
 * Label-noise models:
 * - `'symmetric'` — with probability `rate` the label is **replaced by a class drawn uniformly from all
 *   K classes, the true one included** (the LDR reference definition, ldr-loss spec §13: "uniform noise"),
 *   so the expected fraction of changed labels is `rate·(K−1)/K`, not `rate`.
 * - `'pair-flip'` — with probability `rate`, `y → map[y]`, by default `(y + 1) mod K` (the LDR reference
 *   "class-dependent" noise, e.g. `classdep:0.3`); with the default map every draw that fires changes the label.
 * - `'transition'` — the new label is drawn from row `matrix[y]` of a row-stochastic K × K matrix
 *   (`matrix[c][c']` = P(noisy = c' | clean = c)). {@link symmetricNoiseMatrix} and
 *   {@link classDependentNoiseMatrix} build the matrices of the two models above.
 */
export type LabelNoiseType = 'symmetric' | 'pair-flip' | 'transition';

/** Options of {@link injectLabelNoise}. Give exactly one of `seed` and `rng`. */
export interface LabelNoiseOptions {
  type: LabelNoiseType;
  /** Noise probability in [0, 1] for `'symmetric'` and `'pair-flip'`; not allowed with `'transition'`. */
  rate?: number;
  /** Row-stochastic K × K matrix, required for (and only for) `'transition'`. */
  matrix?: readonly (readonly number[])[];
  /**
   * `'pair-flip'` only: the class each label flips to, one entry per class (default `(y + 1) mod K`).
   * An entry equal to its own class leaves that class clean.
   */
  map?: ArrayLike<number>;
  /** Number of classes K ≥ 2; every label must lie in [0, K). */
  numClasses?: number;
  /** @deprecated Old name of {@link LabelNoiseOptions.numClasses}. */
  nClasses?: number;
  /** Seed of a fresh dro-core RNG stream (a non-negative safe integer or a string). */
  seed?: Seed;
  /** A caller's RNG; it is advanced by the draws (and left untouched when the call is rejected). */
  rng?: Rng;
}

/** Result of {@link injectLabelNoise}. */
export interface LabelNoiseResult {
  /** The noisy labels (a new array; the input is never modified). */
  labels: Int32Array;
  /** 1 where the noisy label differs from the clean one, else 0. */
  flipped: Uint8Array;
  /**
   * 1 where the noise draw fired (`uniform() < rate`), whether or not the label changed: a symmetric
   * replacement may redraw the clean class. For `'transition'` (no separate firing draw) it equals `flipped`.
   */
  hit: Uint8Array;
  /** Fraction of labels that actually changed (mean of `flipped`; 0 for empty input). */
  actualRate: number;
}

/** Row sums of a transition matrix must be 1 within this tolerance (float64 host arithmetic). */
const ROW_SUM_TOL = 1e-9;

// Messages name the options as `opts.<key>` (the argument of injectLabelNoise), so each rule is re-labelled.
const named = (r: OptionRule, argument: string): OptionRule =>
  opt.custom(r.expected, (v) => {
    r.check(v, argument);
  });

const LABEL_NOISE_OPTIONS = {
  type: named(opt.oneOf(['symmetric', 'pair-flip', 'transition'] as const), 'opts.type'),
  rate: named(opt.number({ min: 0, max: 1 }), 'opts.rate'),
  matrix: opt.any(),
  map: opt.any(),
  numClasses: opt.any(),
  nClasses: opt.any(),
  seed: named(opt.seed(), 'opts.seed'),
  rng: opt.any(),
};

/** `numClasses`, or its deprecated alias `nClasses`; both given must agree. */
function numClassesOf(opts: { numClasses?: number; nClasses?: number }): number {
  if (opts.numClasses !== undefined && opts.nClasses !== undefined && opts.numClasses !== opts.nClasses) {
    throw new DroError('E_SPEC', 'opts.numClasses and its alias opts.nClasses disagree', {
      argument: 'opts.numClasses',
      received: `${describeValue(opts.numClasses)} and ${describeValue(opts.nClasses)}`,
    });
  }
  if (opts.numClasses === undefined && opts.nClasses !== undefined)
    return checkNumClasses(opts.nClasses, 'opts.nClasses');
  return checkNumClasses(opts.numClasses, 'opts.numClasses');
}

/**
 * Injects seeded label noise (host only, no tensors). One `rng.uniform()` per label decides whether it is
 * corrupted (`< rate`), followed by one `rng.int(K)` for a symmetric replacement; `'transition'` draws one
 * `rng.uniform()` per label and inverts the row's cumulative distribution. The draw order is part of the
 * contract: the same seed gives the same labels in every release.
 *
 * @param labels clean class indices: a rank-1 tensor (int32 or whole-valued float32), `number[]` or a typed
 *   array (read through dro-core's `toLabels`; an empty array is allowed).
 * @throws DroError `E_SPEC` for an unknown option key, a bad type, rate, matrix entry, numClasses or
 *   seed/rng combination; `E_SHAPE` for a matrix that is not K × K or a map that is not one entry per class;
 *   `E_DTYPE` for labels that are not whole numbers; `E_LABEL_RANGE` for a label (or map entry) outside [0, K).
 */
export function injectLabelNoise(labels: LabelsInput, opts: LabelNoiseOptions): LabelNoiseResult {
  checkOptions(opts, LABEL_NOISE_OPTIONS, 'injectLabelNoise');
  if (opts === undefined) {
    throw new DroError('E_SPEC', 'injectLabelNoise: options are required', { argument: 'opts' });
  }
  const type = opts.type;
  if (type === undefined) {
    throw new DroError('E_SPEC', 'opts.type is required', {
      argument: 'opts.type',
      expected: "'symmetric', 'pair-flip' or 'transition'",
      received: 'undefined',
    });
  }
  const K = numClassesOf(opts);
  const y = toLabels(labels, 'labels', 'injectLabelNoise', { numClasses: K, allowEmpty: true });
  let rate = 0;
  let cdf: Float64Array | undefined;
  if (type === 'transition') {
    if (opts.rate !== undefined) {
      throw new DroError('E_SPEC', "opts.rate is not used with type 'transition' (the matrix sets the rates)", {
        argument: 'opts.rate',
        received: describeValue(opts.rate),
      });
    }
    cdf = transitionCdf(opts.matrix, K);
  } else {
    if (opts.matrix !== undefined) {
      throw new DroError('E_SPEC', `opts.matrix is only used with type 'transition', not '${type}'`, {
        argument: 'opts.matrix',
      });
    }
    rate = checkNumber(opts.rate, 'opts.rate', { min: 0, max: 1 });
  }
  const map = flipMap(opts.map, type, K);
  const rng = resolveRng(opts);

  const n = y.length;
  const out = new Int32Array(n);
  const flipped = new Uint8Array(n);
  const hit = new Uint8Array(n);
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const clean = y[i] as number;
    let noisy = clean;
    if (type === 'symmetric') {
      if (rng.uniform() < rate) {
        noisy = rng.int(K);
        hit[i] = 1;
      }
    } else if (type === 'pair-flip') {
      if (rng.uniform() < rate) {
        noisy = map[clean] as number;
        hit[i] = 1;
      }
    } else {
      noisy = sampleRow(cdf!, clean, K, rng.uniform());
    }
    out[i] = noisy;
    if (noisy !== clean) {
      flipped[i] = 1;
      changed++;
      if (type === 'transition') hit[i] = 1;
    }
  }
  return { labels: out, flipped, hit, actualRate: n === 0 ? 0 : changed / n };
}

/** The pair-flip target of each class: `opts.map` validated, or `(c + 1) mod K`. */
function flipMap(map: unknown, type: LabelNoiseType, K: number): Int32Array {
  if (map === undefined) return Int32Array.from({ length: K }, (_, c) => (c + 1) % K);
  if (type !== 'pair-flip') {
    throw new DroError('E_SPEC', `opts.map is only used with type 'pair-flip', not '${type}'`, {
      argument: 'opts.map',
    });
  }
  const m = toLabels(map, 'opts.map', 'injectLabelNoise', { numClasses: K, allowEmpty: true });
  if (m.length !== K) {
    throw new DroError('E_SHAPE', 'opts.map must have one entry per class', {
      argument: 'opts.map',
      expected: `${K} entries`,
      received: `${m.length}`,
    });
  }
  return m;
}

/** Validates seed/rng before anything is drawn. */
function resolveRng(opts: LabelNoiseOptions): Rng {
  const hasSeed = opts.seed !== undefined;
  const hasRng = opts.rng !== undefined;
  if (hasSeed === hasRng) {
    throw new DroError('E_SPEC', 'give exactly one of opts.seed and opts.rng', {
      argument: 'opts.seed',
      received: hasSeed ? 'both' : 'neither',
    });
  }
  if (hasRng) {
    const r = opts.rng as Rng;
    if (r === null || typeof r !== 'object' || typeof r.uniform !== 'function' || typeof r.int !== 'function') {
      throw new DroError('E_SPEC', 'opts.rng is not a dro-core Rng', {
        argument: 'opts.rng',
        received: describeValue(r),
      });
    }
  }
  return toRng(hasRng ? (opts.rng as Rng) : (opts.seed as Seed));
}

/** Row-wise cumulative sums of a validated row-stochastic matrix, flattened K × K. */
function transitionCdf(matrix: LabelNoiseOptions['matrix'], K: number): Float64Array {
  if (!Array.isArray(matrix) || matrix.length !== K) {
    throw new DroError('E_SHAPE', 'opts.matrix must be a K × K array of rows', {
      argument: 'opts.matrix',
      expected: `${K} rows`,
      received: describeValue(matrix),
    });
  }
  const cdf = new Float64Array(K * K);
  for (let c = 0; c < K; c++) {
    const row = matrix[c];
    if (!Array.isArray(row) || row.length !== K) {
      throw new DroError('E_SHAPE', `opts.matrix[${c}] must have ${K} entries`, {
        argument: `opts.matrix[${c}]`,
        expected: `${K} entries`,
        received: describeValue(row),
      });
    }
    let s = 0;
    for (let k = 0; k < K; k++) {
      const p = row[k];
      if (typeof p !== 'number' || !Number.isFinite(p) || p < 0) {
        throw new DroError('E_SPEC', `opts.matrix[${c}][${k}] is not a probability`, {
          argument: `opts.matrix[${c}][${k}]`,
          expected: 'a finite number ≥ 0',
          received: describeValue(p),
        });
      }
      s += p;
      cdf[c * K + k] = s;
    }
    if (Math.abs(s - 1) > ROW_SUM_TOL) {
      throw new DroError('E_SPEC', `opts.matrix[${c}] does not sum to 1`, {
        argument: `opts.matrix[${c}]`,
        expected: `a row sum within ${ROW_SUM_TOL} of 1`,
        received: String(s),
      });
    }
  }
  return cdf;
}

/** Inverts the cumulative distribution of row c at u ∈ [0, 1). */
function sampleRow(cdf: Float64Array, c: number, K: number, u: number): number {
  const base = c * K;
  // The row sum may be 1 − 1e-9; scaling u by it keeps the last class reachable and never overshoots.
  const target = u * (cdf[base + K - 1] as number);
  for (let k = 0; k < K; k++) if (target < (cdf[base + k] as number)) return k;
  // Unreachable unless rounding puts target on the last edge: take the last class with mass.
  for (let k = K - 1; k > 0; k--) if ((cdf[base + k] as number) > (cdf[base + k - 1] as number)) return k;
  return 0;
}

/**
 * The transition matrix of `'symmetric'` noise: `T = (1 − rate)·I + (rate/K)·11ᵀ` (replacement by a
 * uniform class that may equal the true one, so the off-diagonal mass per row is `rate·(K−1)/K`).
 *
 * @param numClasses K ≥ 2 (dro-core's `checkNumClasses`).
 * @param rate in [0, 1].
 * @throws DroError `E_SPEC` for a bad `numClasses` or `rate`.
 */
export function symmetricNoiseMatrix(numClasses: number, rate: number): number[][] {
  const K = checkNumClasses(numClasses);
  checkNumber(rate, 'rate', { min: 0, max: 1 });
  return Array.from({ length: K }, (_, c) => Array.from({ length: K }, (_, k) => (k === c ? 1 - rate : 0) + rate / K));
}

/**
 * The class-dependent matrix of the LDR reproduction (ldr-loss spec §13.2, `classdep:0.3`):
 * `T[c][c] = 1 − rate`, `T[c][map[c]] = rate`, with the default `map[c] = (c + 1) mod K` (pair-flip).
 *
 * @param numClasses K ≥ 2 (dro-core's `checkNumClasses`).
 * @param rate in [0, 1].
 * @param map optional target class per class (each different from its own class).
 * @throws DroError `E_SPEC` for a bad `numClasses`, `rate` or a map entry that is not another class,
 *   `E_SHAPE` for a map that is not one entry per class.
 */
export function classDependentNoiseMatrix(numClasses: number, rate: number, map?: ArrayLike<number>): number[][] {
  const K = checkNumClasses(numClasses);
  checkNumber(rate, 'rate', { min: 0, max: 1 });
  if (map !== undefined) {
    if (map.length !== K) {
      throw new DroError('E_SHAPE', 'map must have one entry per class', {
        argument: 'map',
        expected: `${K} entries`,
        received: describeValue(map),
      });
    }
    for (let c = 0; c < K; c++) {
      const t = map[c];
      if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t >= K || t === c) {
        throw new DroError('E_SPEC', `map[${c}] is not another class`, {
          argument: `map[${c}]`,
          expected: `a whole number in [0, ${K}) other than ${c}`,
          received: describeValue(t),
        });
      }
    }
  }
  return Array.from({ length: K }, (_, c) => {
    const row = new Array<number>(K).fill(0);
    row[c] = 1 - rate;
    const target = map === undefined ? (c + 1) % K : (map[c] as number);
    row[target] = (row[target] as number) + rate;
    return row;
  });
}

/**
 * Expected fraction of changed labels under a transition matrix for the given clean labels:
 * `mean_i (1 − T[y_i][y_i])` (0 for no labels).
 *
 * @param labels clean labels (dro-core's `toLabels`: Tensor1D, `number[]` or a typed array).
 * @throws DroError `E_SPEC` for a matrix with fewer than 2 rows, `E_DTYPE`/`E_LABEL_RANGE` for bad labels.
 */
export function expectedFlipRate(matrix: readonly (readonly number[])[], labels: LabelsInput): number {
  const K = matrix.length;
  checkNumClasses(K, 'matrix.length');
  const y = toLabels(labels, 'labels', 'expectedFlipRate', { numClasses: K, allowEmpty: true });
  if (y.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < y.length; i++) s += 1 - (matrix[y[i] as number]?.[y[i] as number] ?? 0);
  return s / y.length;
}
