import { checkArgs, IV_KEYS } from '../args.js';
import { applyScreen, type ScreenableArgs, withScreening } from './applyScreen.js';
import { prepareIv } from './design.js';
import { ivFit } from './kclass.js';
import type { LinearFit } from './types.js';

/**
 * Two-stage least squares with first-stage diagnostics, Cragg–Donald, Sargan (over-identified) and
 * Wu–Hausman. Default convention: unadjusted covariance with the n − p divisor and t inference
 * (`covType: 'unadjusted', debiased: true`), the textbook / R ivreg / statsmodels convention.
 * Residuals use the original X, never X̂. With `intercept: true` (default) a column 'const' is added
 * to both the regressors and the instruments. With `screen: { keep, method?, split?, seed? }` the candidate
 * instruments are first screened with @drojs/sparse's `screen` and only the `keep` strongest enter the fit;
 * the fit's `screening` names them (see `screenInstruments`).
 */
export function tsls(a0: ScreenableArgs): LinearFit {
  checkArgs(a0, [...IV_KEYS, 'screen'], 'tsls');
  const { args: a, screening, notes } = applyScreen(a0, 'tsls');
  const d = prepareIv(a, { caller: 'tsls' });
  return withScreening(ivFit(d, 1, 'tsls', a, notes), screening);
}
