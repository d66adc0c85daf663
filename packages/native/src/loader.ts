import { createRequire } from 'node:module';
import { NATIVE_ABI, type NativeBinding } from './binding.js';
import type { NativeStatus } from './status.js';

const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@drojs/native-linux-x64-gnu',
};

interface Loaded {
  status: NativeStatus;
  binding?: NativeBinding;
}

// On globalThis so that the ESM and CJS builds in one process share one binding and one status.
const KEY = Symbol.for('@drojs/native/loaded');
function cache(): { value?: Loaded } {
  const g = globalThis as unknown as Record<symbol, { value?: Loaded } | undefined>;
  let c = g[KEY];
  if (!c) {
    c = {};
    g[KEY] = c;
  }
  return c;
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}

function tryBinary(req: NodeJS.Require, path: string, how: string, failures: string[]): Loaded | undefined {
  let binding: NativeBinding;
  // OpenBLAS starts one thread per core when it loads, before the addon can set its one thread: give it the
  // thread count in its own environment variable for the load (and put the environment back afterwards).
  const env = process.env;
  const preset = env.OPENBLAS_NUM_THREADS !== undefined;
  if (!preset) env.OPENBLAS_NUM_THREADS = env.DROJS_NATIVE_THREADS ?? '1';
  try {
    binding = req(path) as NativeBinding;
  } catch (e) {
    failures.push(`${how}: ${message(e)}`);
    return undefined;
  } finally {
    if (!preset) delete env.OPENBLAS_NUM_THREADS;
  }
  const info = typeof binding.info === 'function' ? binding.info() : undefined;
  if (!info || info.abi !== NATIVE_ABI) {
    failures.push(`${how}: binary speaks ABI ${info?.abi ?? '?'}, this package ${NATIVE_ABI} (rebuild it)`);
    return undefined;
  }
  const status: NativeStatus = { loaded: true, reason: how, kernels: [], blas: info.blas, binary: path };
  return { status, binding };
}

/**
 * Tries one binary path (a test hook for the failure paths: a missing file, a file that is no addon).
 * @internal
 */
export function probeBinary(path: string): NativeStatus {
  const failures: string[] = [];
  const got = tryBinary(createRequire(import.meta.url), path, 'probe', failures);
  return got ? got.status : { loaded: false, reason: failures.join('; '), kernels: [] };
}

function load(): Loaded {
  if (typeof process === 'undefined' || !process.versions?.node) {
    return { status: { loaded: false, reason: 'not running in Node.js', kernels: [] } };
  }
  const req = createRequire(import.meta.url);
  const failures: string[] = [];
  const key = `${process.platform}-${process.arch}`;
  const pkg = PLATFORM_PACKAGES[key];
  if (pkg) {
    let path: string | undefined;
    try {
      path = req.resolve(`${pkg}/drojs-native.node`);
    } catch {
      failures.push(`${pkg} is not installed or has no binary`);
    }
    const got = path ? tryBinary(req, path, 'prebuilt', failures) : undefined;
    if (got) return got;
  } else {
    failures.push(`no prebuilt binary for ${key}`);
  }
  // A development build in this package (pnpm --filter @drojs/native build:native); src/ and dist/ sit beside csrc/.
  let local: string | undefined;
  try {
    local = req.resolve('../csrc/build/Release/drojs-native.node');
  } catch {
    failures.push('no local build (csrc/build/Release/drojs-native.node)');
  }
  const got = local ? tryBinary(req, local, 'local build', failures) : undefined;
  if (got) return got;
  return { status: { loaded: false, reason: failures.join('; '), kernels: [] } };
}

/**
 * Loads the native binary once per process: the platform package (`@drojs/native-linux-x64-gnu`) first, then a
 * local development build. Never throws; `loaded: false` carries every reason.
 */
export function loadNative(): NativeStatus {
  const c = cache();
  c.value ??= load();
  return { ...c.value.status, kernels: [...c.value.status.kernels] };
}

/** The loaded addon, or undefined. @internal */
export function nativeBinding(): NativeBinding | undefined {
  const c = cache();
  c.value ??= load();
  return c.value.binding;
}
