import { checkOptions, type OptionSchema, opt, stateKind } from '@drojs/dro-core/host';

/** State kind of a {@link Drm}; states written as `'causal.Drm'` before the platform still load. */
export const DRM_KIND = stateKind('causal', 'Drm');
export const DRM_LEGACY_KIND = 'causal.Drm';

const DRM_SCHEMA: OptionSchema = {
  // Checked by the constructor (a tfjs-layers model; heads: D + 1 of them).
  featurizer: opt.any(),
  heads: opt.any(),
  numDomains: opt.integer({ min: 1 }).require(),
  numClasses: opt.integer({ min: 2 }).require(),
  featureDim: opt.integer({ min: 1 }),
  learningRate: opt.number({ min: 0, minExclusive: true }),
  weightDecay: opt.number({ min: 0 }),
  seed: opt.seed().require(),
};

const PREDICT_SCHEMA: OptionSchema = {
  select: opt.any(), // a DrmSelect, checked where it is used
  gamma: opt.any(), // any number but NaN (γ < 0 selects per sample), checked by predict
  includePooled: opt.boolean(),
};

const ADAPT_SCHEMA: OptionSchema = {
  beta: opt.number({ min: 0, max: 1 }).require(),
  gamma: opt.number().require(),
  steps: opt.integer({ min: 1 }),
  lrScale: opt.number({ min: 0, minExclusive: true }),
  label: opt.oneOf(['drm', 'own', 'last', 'uniform']),
  update: opt.oneOf(['heads', 'all']),
  predict: opt.oneOf(['before', 'after']),
  includePooled: opt.boolean(),
  referenceQuirks: opt.boolean(),
};

/** `new Drm(o)` options through dro-core's `checkOptions` (unknown keys are E_SPEC naming the key). */
export function checkDrmOptions<T extends object>(o: T): T {
  return checkOptions(o, DRM_SCHEMA, 'Drm');
}

/** `predict(x, o)` options. */
export function checkPredictOptions<T extends object>(o: T): T {
  return checkOptions(o, PREDICT_SCHEMA, 'Drm.predict');
}

/** `adapt(x, o)` options (β and γ required). */
export function checkAdaptOptions<T extends object>(o: T): T {
  return checkOptions(o, ADAPT_SCHEMA, 'Drm.adapt');
}
