import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// tfjs-layers registers every gradient when imported (tfjs-core alone registers none in Node).
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { DroError, describeValue } from './errors.js';
import { checkOptions, opt } from './validate/options.js';
import { applyWasmFixes } from './wasmFixes.js';

export type BackendName = 'wasm' | 'cpu' | 'webgpu' | 'tensorflow';
const NAMES: readonly BackendName[] = ['wasm', 'cpu', 'webgpu', 'tensorflow'];

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  reason?: string;
}

/**
 * The optional native kernels' state (the same shape as `@drojs/native`'s `NativeStatus`): `loaded` true when
 * they are registered over the wasm backend; otherwise `reason` says why not (not installed, no binary for this
 * platform, disabled, another backend).
 */
export interface NativeStatus {
  loaded: boolean;
  reason: string;
  /** The tfjs kernel names registered natively (empty when none). */
  kernels: string[];
  /** The BLAS inside the binary, when loaded. */
  blas?: string;
  /** The binary's path, when loaded. */
  binary?: string;
}

export interface BackendInfo {
  name: BackendName;
  gpu: boolean;
  fixesApplied: string[];
  attempts: BackendAttempt[];
  /** The optional native kernels (`@drojs/native`); always present, `loaded: false` with a reason when unused. */
  native: NativeStatus;
}

export interface InitBackendOptions {
  /** A backend or an ordered list of candidates. Default: `$DRO_BACKEND`, else `['wasm', 'cpu']`. */
  backend?: BackendName | BackendName[];
  /** Environment variable consulted when `backend` is not given. Default `'DRO_BACKEND'`. */
  env?: string;
  /**
   * On the wasm backend, register `@drojs/native`'s kernels (OpenBLAS) when that optional package is installed
   * and its binary loads; otherwise stay on wasm silently. `false` unregisters them again. Default: `true`
   * unless the environment variable `DRO_NATIVE` is `0`.
   */
  native?: boolean;
}

const INIT_BACKEND_OPTIONS = { backend: opt.any(), env: opt.string(), native: opt.boolean() };

/** Throws E_BACKEND unless a core gradient (Sum) is registered. */
export function ensureGradients(): void {
  if (!tf.getGradient('Sum')) {
    throw new DroError('E_BACKEND', 'tfjs gradients are not registered', {
      expected: "@tensorflow/tfjs-layers imported once (dro-core's entry does it)",
    });
  }
}

function readEnv(name: string): string | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return g.process?.env?.[name];
}

function parseNames(raw: string, argument: string): BackendName[] {
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!NAMES.includes(n as BackendName)) {
      throw new DroError('E_BACKEND', 'unknown backend', {
        argument,
        expected: NAMES.join(', '),
        received: describeValue(n),
      });
    }
  }
  return names as BackendName[];
}

let tensorflowGpu = false;

type ProcessLike = {
  listeners(event: string): ((...args: unknown[]) => void)[];
  removeListener(event: string, fn: (...args: unknown[]) => void): void;
};

/**
 * Runs `fn` and removes the `uncaughtException`/`unhandledRejection` handlers it installed: the wasm backend's
 * Emscripten glue adds handlers that rethrow from inside tfjs-backend-wasm and end the process with exit code 7,
 * hiding the user's own error and Node's normal exit code 1.
 */
async function withoutProcessHandlers<T>(fn: () => Promise<T>): Promise<T> {
  const proc = (globalThis as { process?: ProcessLike }).process;
  if (!proc || typeof proc.listeners !== 'function') return fn();
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = new Map(events.map((e) => [e, new Set(proc.listeners(e))]));
  try {
    return await fn();
  } finally {
    for (const e of events) for (const l of proc.listeners(e)) if (!before.get(e)!.has(l)) proc.removeListener(e, l);
  }
}

async function load(name: BackendName): Promise<void> {
  if (name === 'webgpu') {
    // A variable specifier keeps bundlers from pulling the optional WebGPU peers into every build.
    const sub = '@drojs/dro-core/webgpu';
    const m = (await import(/* @vite-ignore */ sub)) as { registerWebGpu: () => Promise<void> };
    await m.registerWebGpu();
  } else if (name === 'tensorflow') {
    tensorflowGpu = false;
    try {
      const gpuPkg = '@tensorflow/tfjs-node-gpu';
      await import(/* @vite-ignore */ gpuPkg);
      tensorflowGpu = true;
    } catch {
      const cpuPkg = '@tensorflow/tfjs-node';
      await import(/* @vite-ignore */ cpuPkg);
    }
  }
}

interface NativeModule {
  registerNativeKernels(): NativeStatus;
  unregisterNativeKernels(): boolean;
}
let nativeModule: Promise<NativeModule | string> | undefined;

/** Imports `@drojs/native` once; a string is the reason it is unavailable. */
function importNative(): Promise<NativeModule | string> {
  // A variable specifier: the optional peer is never bundled or required at build time.
  const spec = '@drojs/native';
  nativeModule ??= (import(/* @vite-ignore */ spec) as Promise<NativeModule>).then(
    (m) => m,
    (e: unknown) =>
      `@drojs/native could not be imported (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`,
  );
  return nativeModule;
}

/** Registers (or, when not wanted, removes) the native kernels over wasm. Never throws. */
async function setupNative(wanted: boolean, why: string): Promise<NativeStatus> {
  if (!wanted) {
    // Only a module that was imported before can have registered kernels.
    if (nativeModule) {
      const m = await nativeModule;
      if (typeof m !== 'string') m.unregisterNativeKernels();
    }
    return { loaded: false, reason: `disabled (${why})`, kernels: [] };
  }
  const m = await importNative();
  if (typeof m === 'string') return { loaded: false, reason: m, kernels: [] };
  try {
    return m.registerNativeKernels();
  } catch (e) {
    return { loaded: false, reason: e instanceof Error ? e.message : String(e), kernels: [] };
  }
}

/**
 * Selects and initialises a tfjs backend. Candidates are tried in order; a failure is recorded and the
 * next one tried; `DroError('E_BACKEND')` listing every attempt is thrown only when all fail. A backend
 * named explicitly is never replaced by one not in the list. On wasm, {@link applyWasmFixes} runs, then the
 * optional native kernels are registered (see {@link InitBackendOptions.native}; reported in `native`).
 * @throws DroError E_SPEC for an unknown option or a non-boolean `native`; E_BACKEND as above.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  checkOptions(options, INIT_BACKEND_OPTIONS, 'initBackend');
  const envName = options.env ?? 'DRO_BACKEND';
  let candidates: BackendName[];
  if (options.backend !== undefined) {
    const list = Array.isArray(options.backend) ? options.backend : [options.backend];
    candidates = parseNames(list.join(','), 'options.backend');
  } else {
    const raw = readEnv(envName);
    candidates = raw ? parseNames(raw, envName) : ['wasm', 'cpu'];
  }
  if (candidates.length === 0) throw new DroError('E_BACKEND', 'no candidate backend', { argument: 'options.backend' });
  const attempts: BackendAttempt[] = [];
  for (const name of candidates) {
    try {
      await load(name);
      const ok = await withoutProcessHandlers(async () => {
        const set = await tf.setBackend(name);
        await tf.ready();
        return set;
      });
      if (!ok || tf.getBackend() !== name) throw new Error(`tf.setBackend('${name}') returned false`);
      ensureGradients();
      const fixesApplied = name === 'wasm' ? applyWasmFixes() : [];
      const wanted = options.native ?? readEnv('DRO_NATIVE') !== '0';
      const why = options.native === false ? 'options.native = false' : 'DRO_NATIVE=0';
      const native: NativeStatus =
        name === 'wasm'
          ? await setupNative(wanted, why)
          : {
              loaded: false,
              reason: `the native kernels run on the wasm backend only (backend: ${name})`,
              kernels: [],
            };
      attempts.push({ name, ok: true });
      const gpu = name === 'webgpu' || (name === 'tensorflow' && tensorflowGpu);
      return { name, gpu, fixesApplied, attempts, native };
    } catch (e) {
      attempts.push({ name, ok: false, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  throw new DroError(
    'E_BACKEND',
    `no backend could be initialised: ${attempts.map((a) => `${a.name} (${a.reason})`).join('; ')}`,
    {
      argument: options.backend !== undefined ? 'options.backend' : envName,
      expected: 'an available backend',
      received: candidates.join(', '),
    },
  );
}
