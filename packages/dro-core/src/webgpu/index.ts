/**
 * `@drojs/dro-core/webgpu` — the opt-in GPU path (toolchain.md §10.2): Dawn's Node bindings from the
 * `webgpu` npm package under `@tensorflow/tfjs-backend-webgpu`. Both are optional peers, loaded only
 * here, through dynamic imports with variable specifiers so that bundlers and the type checker never
 * require them.
 * @packageDocumentation
 */
import * as tf from '@tensorflow/tfjs-core';
import { DroError } from '../errors.js';

/** The part of the `webgpu` package (dawn-gpu/node-webgpu) used here. */
interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

interface GpuLike {
  requestAdapter(
    options?: Record<string, unknown>,
  ): Promise<{ info?: AdapterInfoLike; isFallbackAdapter?: boolean } | null>;
}

/** What {@link registerWebGpu} found. */
export interface WebGpuInfo {
  /** The adapter tfjs will use, e.g. `'nvidia / … / NVIDIA H100 …'` or `'mesa / software / llvmpipe …'`. */
  adapter: string;
  /**
   * Whether Dawn reports a fallback (software) adapter, e.g. SwiftShader. Mesa's lavapipe is reported as a
   * CPU device but not always as a fallback: test `adapter` for `llvmpipe` as well before trusting timings.
   */
  isFallbackAdapter: boolean;
}

const STATE_KEY = Symbol.for('@drojs/dro-core/webgpu');
type Pending = Promise<WebGpuInfo>;

async function importPeer<T>(specifier: string): Promise<T> {
  try {
    return (await import(/* @vite-ignore */ specifier)) as T;
  } catch (e) {
    throw new DroError('E_BACKEND', `the optional peer '${specifier}' could not be loaded`, {
      expected: `'${specifier}' installed (npm i webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0)`,
      received: e instanceof Error ? e.message : String(e),
      cause: e,
    });
  }
}

function describeAdapter(info: AdapterInfoLike | undefined): string {
  if (!info) return 'unknown adapter';
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((s) => s);
  return parts.length > 0 ? parts.join(' / ') : 'unknown adapter';
}

/** Installs `gpu` as `navigator.gpu`. Node 20 has no `navigator`; Node ≥ 21 has a read-only one. */
function installNavigatorGpu(gpu: GpuLike): void {
  const g = globalThis as { navigator?: object };
  if (g.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else {
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  }
}

async function setUp(): Promise<WebGpuInfo> {
  const dawn = await importPeer<DawnModule & { default?: DawnModule }>('webgpu');
  const mod: DawnModule = typeof dawn.create === 'function' ? dawn : (dawn.default as DawnModule);
  // tfjs's webgpu backend refers to GPUBufferUsage, GPUMapMode, … as globals, as in a browser.
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  const gpu = mod.create([]);
  installNavigatorGpu(gpu);
  // Ask for the adapter ourselves: tfjs's own failure ("Failed to get GPU adapter") does not say why.
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new DroError('E_BACKEND', 'WebGPU (Dawn) found no adapter', {
      expected:
        'a Vulkan loader (libvulkan.so.1) and an ICD: the NVIDIA driver, or Mesa ≥ 24 lavapipe via VK_ICD_FILENAMES (toolchain.md §10.3)',
      received: 'requestAdapter() → null',
    });
  }
  // Only now, with navigator.gpu in place, may the tfjs backend be imported (tfjs#8066).
  await importPeer<unknown>('@tensorflow/tfjs-backend-webgpu');
  if (!tf.findBackendFactory('webgpu')) {
    throw new DroError('E_BACKEND', "'@tensorflow/tfjs-backend-webgpu' did not register the 'webgpu' backend", {
      expected: 'the same @tensorflow/tfjs-core instance (4.22.0) for dro-core and the webgpu backend',
    });
  }
  return {
    adapter: describeAdapter(adapter.info),
    isFallbackAdapter: !!(adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter),
  };
}

/**
 * Sets up WebGPU in Node and selects it: creates Dawn's GPU object from the `webgpu` package, copies its
 * globals onto `globalThis`, installs it as `navigator.gpu` (with `Object.defineProperty`), imports
 * `@tensorflow/tfjs-backend-webgpu` and calls `tf.setBackend('webgpu')`. Safe to call more than once
 * (the set-up runs once per process). Usually reached through `initBackend({ backend: 'webgpu' })`.
 * @throws DroError E_BACKEND when a peer is missing, no adapter exists, or the backend fails to start.
 */
export async function registerWebGpu(): Promise<WebGpuInfo> {
  const g = globalThis as unknown as Record<symbol, Pending | undefined>;
  let pending = g[STATE_KEY];
  if (!pending) {
    pending = setUp();
    g[STATE_KEY] = pending;
    // A failed set-up may be retried (e.g. after installing a peer), so forget it.
    pending.catch(() => {
      if (g[STATE_KEY] === pending) g[STATE_KEY] = undefined;
    });
  }
  const info = await pending;
  const ok = await tf.setBackend('webgpu');
  if (!ok) throw new DroError('E_BACKEND', "tf.setBackend('webgpu') returned false", { received: info.adapter });
  await tf.ready();
  return info;
}
