// The option schemas of every public smoothing function, checked with dro-core's `checkOptions` so that an
// unknown (misspelt) key is rejected by name. Value rules reuse the package checks in checks.ts, so a value
// is judged the same way whichever entry point receives it.
import { checkNumClasses, DroError, describeValue, type OptionSchema, opt, Rng } from '@drojs/dro-core';
import { checkAlpha, checkCount } from './checks.js';

const count = opt.custom('a whole number ≥ 1', (v, a) => {
  checkCount(v, a);
});
const alpha = opt.custom('a number in (0, 1)', (v, a) => {
  checkAlpha(v, a);
});
const numClasses = opt.custom('a whole number ≥ 2', (v, a) => {
  checkNumClasses(v, a);
});
const rng = opt.custom('a dro-core Rng', (v, a) => {
  if (!(v instanceof Rng)) {
    throw new DroError('E_SPEC', `${a} must be a dro-core Rng`, { argument: a, received: describeValue(v) });
  }
});
/** Noise, split and rule values are checked by their own resolvers (with `noise.sigma`-style names). */
const checkedLater = opt.any();

/** `onProgress` and `signal` of every long call. */
export const RUN_CONTROL_SCHEMA: OptionSchema = { onProgress: opt.function(), signal: opt.signal() };
/** `seed` or `rng` of the one-shot calls. */
export const RANDOM_SOURCE_SCHEMA: OptionSchema = { seed: opt.seed(), rng };

/** RandomizedSmoothing's options without its seed (the resolved form the state stores). */
export const RS_SCHEMA: OptionSchema = {
  numClasses,
  noise: checkedLater,
  batchSize: count,
  n0: count,
  n: count,
  alpha,
  rule: checkedLater,
  bound: checkedLater,
};
/** `new RandomizedSmoothing(options)`. */
export const RS_CLASS_SCHEMA: OptionSchema = { ...RS_SCHEMA, seed: opt.seed() };
/** `certify(model, x, options)`. */
export const RS_CERTIFY_SCHEMA: OptionSchema = { ...RS_SCHEMA, ...RANDOM_SOURCE_SCHEMA, ...RUN_CONTROL_SCHEMA };
/** `RandomizedSmoothing.prototype.certify`'s per-call overrides. */
export const RS_CERTIFY_CALL_SCHEMA: OptionSchema = {
  n0: count,
  n: count,
  alpha,
  rule: checkedLater,
  bound: checkedLater,
  ...RUN_CONTROL_SCHEMA,
};
/** `RandomizedSmoothing.prototype.predict`'s per-call overrides. */
export const RS_PREDICT_CALL_SCHEMA: OptionSchema = { n: count, alpha, ...RUN_CONTROL_SCHEMA };
/** `smoothedPredict(model, x, options)`. */
export const PREDICT_SCHEMA: OptionSchema = {
  numClasses,
  noise: checkedLater,
  batchSize: count,
  n: count,
  alpha,
  ...RANDOM_SOURCE_SCHEMA,
  ...RUN_CONTROL_SCHEMA,
};
/** `sampleCounts(model, x, num, options)`. */
export const SAMPLE_SCHEMA: OptionSchema = {
  numClasses,
  noise: checkedLater,
  batchSize: count,
  ...RANDOM_SOURCE_SCHEMA,
  ...RUN_CONTROL_SCHEMA,
};

/** DualRandomizedSmoothing's options without its seed (the resolved form the state stores). */
export const DRS_SCHEMA: OptionSchema = {
  numClasses,
  split: checkedLater,
  sigmaL: checkedLater,
  sigmaR: checkedLater,
  batchSize: count,
  n0: count,
  n: count,
  alpha,
  splitAlpha: opt.boolean(),
};
/** `new DualRandomizedSmoothing(options)`. */
export const DRS_CLASS_SCHEMA: OptionSchema = { ...DRS_SCHEMA, seed: opt.seed() };
/** `dualCertify(modelL, modelR, x, options)`. */
export const DRS_CERTIFY_SCHEMA: OptionSchema = { ...DRS_SCHEMA, ...RANDOM_SOURCE_SCHEMA, ...RUN_CONTROL_SCHEMA };
/** `DualRandomizedSmoothing.prototype.certify`'s per-call overrides. */
export const DRS_CERTIFY_CALL_SCHEMA: OptionSchema = {
  n0: count,
  n: count,
  alpha,
  splitAlpha: opt.boolean(),
  ...RUN_CONTROL_SCHEMA,
};

/** The dataset loops' own options (added to the RS or DRS options). */
export const DATASET_SCHEMA: OptionSchema = {
  seed: opt.seed().require(),
  skip: count,
  max: count,
  resumeFrom: opt.array(),
  onExample: opt.function(),
  onResult: opt.function(),
  ...RUN_CONTROL_SCHEMA,
};

/** A noise spec object (`{ kind, sigma }` or `{ kind, lambda }`). */
export const NOISE_SCHEMA: OptionSchema = {
  kind: checkedLater,
  sigma: checkedLater,
  lambda: checkedLater,
  sampler: checkedLater,
};

/** `noiseAugmentedLoss(model, x, labels, options)`. */
export const LOSS_SCHEMA: OptionSchema = {
  noise: checkedLater,
  rng: rng.require(),
  m: count,
  consistency: opt.object(),
  sideOf: opt.object(),
  loss: opt.function(),
};
/** `trainWithNoise(model, xs, labels, options)`. */
export const TRAIN_SCHEMA: OptionSchema = {
  noise: checkedLater,
  epochs: count.require(),
  batchSize: count,
  optimizer: opt.any(),
  ...RANDOM_SOURCE_SCHEMA,
  m: count,
  consistency: opt.object(),
  sideOf: opt.object(),
  loss: opt.function(),
  onEpochEnd: opt.function(),
  signal: opt.signal(),
};

/** The entries of `o` whose keys `schema` lists (e.g. the RS options out of a call's options). */
export function pick<T extends object>(o: T, schema: OptionSchema): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(schema)) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out as Partial<T>;
}
