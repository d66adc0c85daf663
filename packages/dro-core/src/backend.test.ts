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
