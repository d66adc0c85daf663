import { checkArgs, IV_KEYS } from '../args.js';
import { prepareIv } from './design.js';
import { ivFit } from './kclass.js';
import type { IvArgs, LinearFit } from './types.js';

/**
 * Two-stage least squares with first-stage diagnostics, Cragg–Donald, Sargan (over-identified) and
 * Wu–Hausman. Default convention: unadjusted covariance with the n − p divisor and t inference
 * (`covType: 'unadjusted', debiased: true`), the textbook / R ivreg / statsmodels convention.
 * Residuals use the original X, never X̂. With `intercept: true` (default) a column 'const' is added
 * to both the regressors and the instruments.
 */
export function tsls(a: IvArgs): LinearFit {
  checkArgs(a, IV_KEYS, 'tsls');
  const d = prepareIv(a, { caller: 'tsls' });
  return ivFit(d, 1, 'tsls', a);
}
