/**
 * The wasm backend fixes of toolchain.md §9 (gradients registered, missing kernels provided with a
 * composite Conv2DBackpropFilter and copy-to-cpu fallbacks, transposed matmuls materialised).
 * Idempotent; returns the names of the fixes in force.
 */
export function applyWasmFixes(): string[] {
  // Implemented in the wasm-fixes work item (see the foundation issue); until then nothing is patched.
  return [];
}
