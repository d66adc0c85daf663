import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { NativeBinding } from './binding.js';
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel, conv2dKernel } from './convKernels.js';
import { BINARY_OPS, binaryKernel, sumKernel } from './elementwiseKernels.js';
import { loadNative, nativeBinding } from './loader.js';
import { matMulKernel } from './matMulKernels.js';
import type { NativeStatus } from './status.js';
import type { NativeKernel } from './wasmHeap.js';

const WASM = 'wasm';

type Factory = (binding: NativeBinding, previous: KernelFunc | undefined) => NativeKernel;

const FACTORIES: [string, Factory][] = [
  ['BatchMatMul', (b, p) => matMulKernel(b, p, false)],
  ['_FusedMatMul', (b, p) => matMulKernel(b, p, true)],
  ['Conv2D', (b, p) => conv2dKernel(b, p, false)],
  ['FusedConv2D', (b, p) => conv2dKernel(b, p, true)],
  ['Conv2DBackpropInput', conv2dBackpropInputKernel],
  ['Conv2DBackpropFilter', conv2dBackpropFilterKernel],
  ['Sum', sumKernel],
  ...Object.keys(BINARY_OPS).map((name): [string, Factory] => [name, (b, p) => binaryKernel(b, p, name)]),
];

/** The tfjs kernel names this package registers over the wasm backend. */
export const NATIVE_KERNELS: readonly string[] = FACTORIES.map(([name]) => name);

interface Registration {
  /** The wasm registry entries replaced (undefined: there was none), to restore them. */
  previous: Map<string, KernelConfig | undefined>;
}

// On globalThis (like tfjs's kernel registry itself) so that the ESM and CJS builds register only once.
const KEY = Symbol.for('@drojs/native/registration');
function registry(): { current?: Registration } {
  const g = globalThis as unknown as Record<symbol, { current?: Registration } | undefined>;
  let r = g[KEY];
  if (!r) {
    r = {};
    g[KEY] = r;
  }
  return r;
}

function put(name: string, kernelFunc: KernelFunc, base: KernelConfig | undefined): void {
  if (tf.getKernel(name, WASM)) tf.unregisterKernel(name, WASM);
  const config: KernelConfig = { kernelName: name, backendName: WASM, kernelFunc };
  // Keep the previous set-up/dispose hooks: they bind the wasm entry points the fall-through kernel calls.
  if (base?.setupFunc) config.setupFunc = base.setupFunc;
  if (base?.disposeFunc) config.disposeFunc = base.disposeFunc;
  tf.registerKernel(config);
}

/**
 * Loads the binary and registers its kernels over the wasm backend's (BatchMatMul, _FusedMatMul, Conv2D,
 * FusedConv2D, Conv2DBackpropInput, Conv2DBackpropFilter, Sum, Add, Sub, Multiply, RealDiv). Each keeps the kernel
 * registered before it and calls it for any case it does not handle. Call it after the wasm backend's own
 * patches (dro-core's `initBackend` does, after `applyWasmFixes`). Idempotent; never throws for a missing
 * binary: the status says `loaded: false` and why, and nothing is registered.
 */
export function registerNativeKernels(): NativeStatus {
  const status = loadNative();
  const binding = nativeBinding();
  if (!status.loaded || !binding) return status;
  if (tf.findBackendFactory(WASM) == null) {
    return { ...status, loaded: false, reason: 'the tfjs wasm backend is not registered', kernels: [] };
  }
  const r = registry();
  if (!r.current) {
    const previous = new Map<string, KernelConfig | undefined>();
    for (const [name, make] of FACTORIES) {
      const base = tf.getKernel(name, WASM);
      previous.set(name, base);
      put(name, make(binding, base?.kernelFunc) as unknown as KernelFunc, base);
    }
    r.current = { previous };
  }
  return { ...status, kernels: [...NATIVE_KERNELS] };
}

/** True while the native kernels are registered. */
export function nativeKernelsRegistered(): boolean {
  return registry().current !== undefined;
}

/**
 * Puts back the wasm kernels that {@link registerNativeKernels} replaced (for comparisons in one process).
 * Returns false when nothing was registered.
 */
export function unregisterNativeKernels(): boolean {
  const r = registry();
  if (!r.current) return false;
  for (const [name, base] of r.current.previous) {
    if (tf.getKernel(name, WASM)) tf.unregisterKernel(name, WASM);
    if (base) tf.registerKernel(base);
  }
  r.current = undefined;
  return true;
}
