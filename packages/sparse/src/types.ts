import type { MatrixInput, VectorInput } from '@drojs/dro-core/host';

/** A design matrix, rows = samples: nested rows, row-major `{ data, rows, cols }` or a rank-2 tensor (dro-core's `MatrixInput`). */
export type Matrix = MatrixInput;
/** A vector of numbers: array, typed array or rank-1 tensor (dro-core's `VectorInput`). */
export type Vector = VectorInput;
/** The penalties: the lasso and the two nonconvex ones. */
export type PenaltyName = 'lasso' | 'scad' | 'mcp';
/** Loss families: least squares or logistic. */
export type Family = 'gaussian' | 'binomial';
/** Progress and cancellation of the async variants. */
export interface Progress {
  /** Called after each unit of work (λ value, fold, block of columns). */
  onProgress?: (done: number, total: number) => void;
  /** Aborting rejects the call with `DroError('E_ABORTED')`. */
  signal?: AbortSignal;
}
