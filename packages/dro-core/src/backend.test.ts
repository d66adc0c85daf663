import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { DroError } from './errors.js';
import { describeBackends } from './testing/index.js';

describeBackends('backend selection', ['cpu', 'wasm'], () => {
  it('runs a gradient on the selected backend', () => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, 2]));
    expect(Array.from(g.dataSync())).toEqual([2, 4]);
  });
});

describe('initBackend', () => {
  it('picks wasm by default', async () => {
    const info = await initBackend({ env: 'DRO_BACKEND_UNSET_FOR_TEST' });
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
  it('honours the environment variable', async () => {
    process.env.DRO_TEST_BACKEND = 'cpu';
    const info = await initBackend({ env: 'DRO_TEST_BACKEND' });
    expect(info.name).toBe('cpu');
    delete process.env.DRO_TEST_BACKEND;
  });
  it('raises E_BACKEND listing the attempts when an explicit backend is unavailable', async () => {
    const err = await initBackend({ backend: 'tensorflow' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DroError);
    expect((err as DroError).code).toBe('E_BACKEND');
    expect((err as DroError).message).toContain('tensorflow');
    expect(tf.getBackend()).not.toBe('tensorflow');
  });
});

describe('initBackend: the optional native kernels (@drojs/native)', () => {
  async function binaryPresent(): Promise<boolean> {
    const spec = '@drojs/native';
    const m = (await import(/* @vite-ignore */ spec)) as { loadNative(): { loaded: boolean } };
    return m.loadNative().loaded;
  }

  it('reports native: registered over wasm exactly when the binary loads', async () => {
    const info = await initBackend({ backend: 'wasm', native: true });
    const present = await binaryPresent();
    expect(info.native.loaded).toBe(present);
    if (present) {
      expect(info.native.kernels).toContain('BatchMatMul');
      expect(info.native.blas).toMatch(/OpenBLAS/);
    } else {
      expect(info.native.kernels).toEqual([]);
      expect(info.native.reason.length).toBeGreaterThan(0);
    }
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.matMul(x, x, false, true)))(tf.tensor2d([[1, 2]]));
    expect(Array.from(g.dataSync())).toEqual([2, 4]);
  });

  it('native: false removes the native kernels again and says why', async () => {
    await initBackend({ backend: 'wasm', native: true });
    const withNative = tf.getKernel('BatchMatMul', 'wasm');
    const info = await initBackend({ backend: 'wasm', native: false });
    expect(info.native).toEqual({ loaded: false, reason: 'disabled (options.native = false)', kernels: [] });
    const restored = tf.getKernel('BatchMatMul', 'wasm');
    if (await binaryPresent()) expect(restored).not.toBe(withNative);
    else expect(restored).toBe(withNative);
  });

  it('DRO_NATIVE=0 turns it off by default; an explicit option wins', async () => {
    const saved = process.env.DRO_NATIVE;
    process.env.DRO_NATIVE = '0';
    try {
      const off = await initBackend({ backend: 'wasm' });
      expect(off.native.reason).toBe('disabled (DRO_NATIVE=0)');
      const on = await initBackend({ backend: 'wasm', native: true });
      expect(on.native.loaded).toBe(await binaryPresent());
    } finally {
      if (saved === undefined) delete process.env.DRO_NATIVE;
      else process.env.DRO_NATIVE = saved;
      await initBackend({ backend: 'wasm' });
    }
  });

  it('on another backend native is reported as not applicable', async () => {
    const info = await initBackend({ backend: 'cpu', native: true });
    expect(info.native.loaded).toBe(false);
    expect(info.native.reason).toContain('wasm backend only');
    await initBackend({ backend: 'wasm' });
  });

  it('rejects a misspelt option and a non-boolean native with E_SPEC', async () => {
    for (const [options, key] of [
      [{ nativ: true }, 'nativ'],
      [{ native: 'yes' }, 'native'],
    ] as const) {
      const err = await initBackend(options as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DroError);
      expect((err as DroError).code).toBe('E_SPEC');
      expect((err as DroError).message).toContain(key);
    }
  });
});
