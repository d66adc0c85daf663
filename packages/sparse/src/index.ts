/**
 * `@drojs/sparse`: mutual-information screening and sparse regression with lasso, SCAD and MCP penalties by
 * an accelerated nonconvex proximal gradient — host float64 code, no TensorFlow.js.
 * @packageDocumentation
 */
export { type CvOptions, type CvResult, cvPath, cvPathAsync } from './cv.js';
export {
  type Selection,
  type SparseModel,
  SparseRegression,
  type SparseRegressionOptions,
  type SparseRegressionState,
} from './estimator.js';
export { type FitOptions, fitPenalized } from './fit.js';
export { lambdaGrid, lambdaMax } from './lambda.js';
export type { ModelOptions, SolverOptions } from './modelOptions.js';
export { fitPath, fitPathAsync, type PathOptions } from './path.js';
export { type Penalty, penalty, softThreshold } from './penalty.js';
export {
  distanceCorrelation,
  miKde,
  miToLinfoot,
  normalScores,
  pearsonAbs,
  pearsonToMi,
} from './screen/scalarStats.js';
export { type ScreenOptions, type ScreenResult, screen, screenAsync } from './screen/screen.js';
export { SparseFit, type SparseFitJson } from './sparseFit.js';
export { SparsePath } from './sparsePath.js';
export type { Family, Matrix, PenaltyName, Progress, Vector } from './types.js';
