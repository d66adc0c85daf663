/** A design matrix, rows = samples: nested rows or row-major `{ data, rows, cols }`. */
export type Matrix = number[][] | { data: Float64Array | number[]; rows: number; cols: number };
/** A vector of numbers (array or typed array). */
export type Vector = ArrayLike<number>;
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
