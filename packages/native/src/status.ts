/**
 * What {@link loadNative} and {@link registerNativeKernels} report. Never thrown: a missing or unusable binary is
 * `loaded: false` with the reason.
 */
export interface NativeStatus {
  /** True when the binary loaded (and, for `registerNativeKernels`, its kernels are registered over wasm). */
  loaded: boolean;
  /** Why it did not load, or how it loaded (`'prebuilt'`, `'local build'`). */
  reason: string;
  /** The tfjs kernel names registered over the wasm backend (empty when none). */
  kernels: string[];
  /** The BLAS inside the binary, e.g. `'OpenBLAS 0.3.21 … Cooperlake'`. */
  blas?: string;
  /** The path of the binary that loaded. */
  binary?: string;
}
