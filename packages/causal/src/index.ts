/**
 * @drojs/causal — classical IV with diagnostics (OLS, 2SLS, k-class, LIML), IV-like regression from
 * data augmentation, anchor regression, EACS and DRM. Host estimators run in float64.
 * @packageDocumentation
 */

export type { AnchorFit, Anchors } from './anchor.js';
export { anchorCV, anchorRegression } from './anchor.js';
export * from './crome/index.js';
export type { AdaptOptions, DrmOptions, DrmSelect, DrmState, SerializedModel } from './drm/drm.js';
export { Drm } from './drm/drm.js';
export { entropySelect } from './drm/entropySelect.js';
export { drmRules } from './drm/rules.js';
export type { EacsFitted, EacsOptions, EacsState, Environment, SubsetModel } from './eacs/eacs.js';
export { allSubsets, Eacs } from './eacs/eacs.js';
export type { LogisticSelector, Selector } from './eacs/logistic.js';
export { multinomialLogistic } from './eacs/logistic.js';
export type { SummaryKind } from './eacs/summary.js';
export { environmentSummary } from './eacs/summary.js';
export type { Matrix, Vector } from './hostData.js';
export type { ScreenableArgs } from './iv/applyScreen.js';
export { firstStage } from './iv/firstStage.js';
export { kClass } from './iv/kclass.js';
export { liml, limlKappa } from './iv/liml.js';
export { ols } from './iv/ols.js';
export type {
  InstrumentScreening,
  ScreenInstrumentsArgs,
  ScreenInstrumentsResult,
  ScreenSpec,
} from './iv/screenInstruments.js';
export { screenInstruments } from './iv/screenInstruments.js';
export { andersonRubin, andersonRubinSet, sargan, wuHausman } from './iv/tests.js';
export { tsls } from './iv/tsls.js';
export type {
  CommonArgs,
  CovarianceResult,
  CovType,
  Diagnostic,
  FirstStage,
  IvArgs,
  LinearFit,
  TestResult,
  Unavailable,
} from './iv/types.js';
export { isAvailable } from './iv/types.js';
export { wald } from './iv/wald.js';
export { ivlLoss } from './ivl/ivlLoss.js';
export type { IvlArgs, IvlFit } from './ivl/ivlRegression.js';
export { ivlLimit, ivlPath, ivlProjected, ivlRegression } from './ivl/ivlRegression.js';
export { selectIvlAlpha } from './ivl/selectAlpha.js';
export {
  discretizeUniform,
  linearConfoundedScm,
  ncer,
  nullSpaceBasis,
  nullSpaceTranslation,
} from './ivl/simulation.js';
