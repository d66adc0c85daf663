import { type CaseRunner, classifierCase } from './shared.js';

export const classifierRunners: Record<string, CaseRunner> = {
  classifier_edges_hyst: (c, tol) => classifierCase(c, tol, false),
  classifier_uniform_extremes: (c, tol) => classifierCase(c, tol, false),
  classifier_float_obs: (c, tol) => classifierCase(c, tol, true),
};
