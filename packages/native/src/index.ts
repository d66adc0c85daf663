/**
 * @packageDocumentation
 * `@drojs/native`: optional native kernels (OpenBLAS, statically linked) registered over TensorFlow.js's wasm
 * backend, working in place on the wasm heap. Without a usable binary everything stays on wasm.
 */
export { loadNative } from './loader.js';
export {
  NATIVE_KERNELS,
  nativeKernelsRegistered,
  registerNativeKernels,
  unregisterNativeKernels,
} from './register.js';
export type { NativeStatus } from './status.js';
