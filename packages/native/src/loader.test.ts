import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { loadNative, probeBinary } from './loader.js';
import { NATIVE_KERNELS, nativeKernelsRegistered, registerNativeKernels, unregisterNativeKernels } from './register.js';
import { nativeSetup } from './testKit.js';

const status = await nativeSetup();

describe('loadNative', () => {
  it('never throws: a missing file and a file that is no addon are loaded:false with the reason', () => {
    const missing = probeBinary('/nonexistent/drojs-native.node');
    expect(missing.loaded).toBe(false);
    expect(missing.reason).toMatch(/probe: .*(Cannot find|no such)/i);
    const notAddon = probeBinary(fileURLToPath(new URL('../package.json', import.meta.url)));
    expect(notAddon.loaded).toBe(false);
    expect(notAddon.reason).toMatch(/ABI/);
  });

  it('returns the same status every call, as a copy', () => {
    const a = loadNative();
    const b = loadNative();
    expect(a).toEqual(b);
    a.kernels.push('x');
    expect(loadNative().kernels).not.toContain('x');
  });

  if (!status.loaded) {
    it('without a binary: loaded false, a reason, no kernels registered', () => {
      expect(status.reason.length).toBeGreaterThan(0);
      expect(status.kernels).toEqual([]);
      expect(nativeKernelsRegistered()).toBe(false);
      console.log(`@drojs/native loader.test.ts: no native binary (${status.reason}); kernel tests not run, wasm only`);
    });
  } else {
    it('with a binary: OpenBLAS inside, every kernel registered over wasm', () => {
      expect(status.reason).toMatch(/^(prebuilt|local build)$/);
      expect(status.blas).toMatch(/^OpenBLAS /);
      expect(status.binary).toMatch(/drojs-native\.node$/);
      expect(status.kernels).toEqual([...NATIVE_KERNELS]);
      expect(nativeKernelsRegistered()).toBe(true);
    });

    it('registration is idempotent and unregistering restores the previous kernels', () => {
      const native = tf.getKernel('Add', 'wasm');
      expect(registerNativeKernels().kernels).toEqual([...NATIVE_KERNELS]);
      expect(tf.getKernel('Add', 'wasm')).toBe(native);
      expect(unregisterNativeKernels()).toBe(true);
      const restored = tf.getKernel('Add', 'wasm');
      expect(restored).toBeDefined();
      expect(restored).not.toBe(native);
      expect(nativeKernelsRegistered()).toBe(false);
      expect(unregisterNativeKernels()).toBe(false);
      // Conv2DBackpropFilter had no wasm kernel before (tfjs-backend-wasm lacks it): it is gone again.
      expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
      expect(registerNativeKernels().loaded).toBe(true);
      expect(tf.getKernel('Add', 'wasm')).not.toBe(restored);
    });
  }
});

// Threads are counted in /proc (Linux, the one platform with a binary).
describe.runIf(process.platform === 'linux')('OpenBLAS threads', () => {
  it('loading the binary starts no BLAS worker threads and leaves the environment as it was', async () => {
    const { readdirSync } = await import('node:fs');
    const { spawnSync } = await import('node:child_process');
    // A fresh process: count its threads before and after the load.
    const script = `
      const fs = require('node:fs');
      const before = fs.readdirSync('/proc/self/task').length;
      import(${JSON.stringify(new URL('./loader.ts', import.meta.url).href)}).then((m) => {
        const s = m.loadNative();
        const after = fs.readdirSync('/proc/self/task').length;
        console.log(JSON.stringify({ loaded: s.loaded, added: after - before, env: process.env.OPENBLAS_NUM_THREADS ?? null }));
      });`;
    expect(readdirSync('/proc/self/task').length).toBeGreaterThan(0);
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: undefined },
    });
    const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as {
      loaded: boolean;
      added: number;
      env: string | null;
    };
    expect(out.loaded).toBe(status.loaded);
    expect(out.added).toBe(0);
    expect(out.env).toBeNull();
  });
});
