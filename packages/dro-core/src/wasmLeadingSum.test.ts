import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import './backend.js';
import { createRng } from './rng.js';
import { expectClose, expectNoLeak, TOL_F32 } from './testing/index.js';
import { applyWasmFixes, originalWasmKernel } from './wasmFixes.js';
import { leadingAxes } from './wasmLeadingSum.js';

function uniform(n: number, seed: number, offset = 0): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => offset + 2 * rng.uniform() - 1);
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Runs `f` on the named backend and returns host values and shapes. */
async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor | tf.Tensor[]) {
  await tf.setBackend(backend);
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const values = list.map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) }));
  tf.dispose(list);
  return values;
}

async function expectSameOnBothBackends(f: () => tf.Tensor | tf.Tensor[]) {
  const cpu = await on('cpu', f);
  const wasm = await on('wasm', f);
  expect(wasm.map((v) => [v.shape, v.dtype])).toEqual(cpu.map((v) => [v.shape, v.dtype]));
  expectClose(
    wasm.map((v) => v.values),
    cpu.map((v) => v.values),
    TOL_F32,
  );
}

describe('leadingAxes', () => {
  it('accepts exactly the leading axes 0..m−1 (negative spellings too) with m < rank', () => {
    expect(leadingAxes(0, 2)).toBe(1);
    expect(leadingAxes([0], 3)).toBe(1);
    expect(leadingAxes([1, 0], 3)).toBe(2);
    expect(leadingAxes([-3, 1], 3)).toBe(2);
    expect(leadingAxes(-2, 2)).toBe(1);
  });
  it('rejects innermost, gapped, repeated, full and malformed axes', () => {
    expect(leadingAxes(1, 2)).toBe(0);
    expect(leadingAxes([0, 2], 3)).toBe(0);
    expect(leadingAxes([0, 0], 3)).toBe(0);
    expect(leadingAxes([0, 1], 2)).toBe(0);
    expect(leadingAxes(0, 1)).toBe(0);
    expect(leadingAxes([], 2)).toBe(0);
    expect(leadingAxes(3, 2)).toBe(0);
    expect(leadingAxes(0.5, 2)).toBe(0);
    expect(leadingAxes(undefined, 2)).toBe(0);
  });
});

describe('wasm leading-axis Sum', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    expect(applyWasmFixes()).toContain('leading-axis-sum');
  });

  it('replaces the stock kernel (kept for every other case)', () => {
    const stock = originalWasmKernel('Sum');
    expect(stock).toBeTruthy();
    expect(tf.getKernel('Sum', 'wasm')).not.toBe(stock);
    expect(tf.getKernel('Sum', 'wasm')!.setupFunc).toBe(stock!.setupFunc);
  });

  const cases: { shape: number[]; axis: number | number[]; keepDims?: boolean }[] = [
    { shape: [256, 256], axis: 0 },
    { shape: [7, 3], axis: [0], keepDims: true },
    { shape: [4, 5, 6], axis: [0, 1] },
    { shape: [4, 5, 6], axis: [-2, 0], keepDims: true },
    { shape: [3, 2, 4, 5], axis: [0] },
    { shape: [1, 9], axis: 0 },
    { shape: [5, 1], axis: 0 },
    // Not leading: the stock kernel's path, results must still agree.
    { shape: [4, 5, 6], axis: [1] },
    { shape: [4, 5, 6], axis: [0, 2] },
    { shape: [4, 5], axis: [0, 1] },
    { shape: [6], axis: 0 },
  ];
  for (const c of cases) {
    it(`float32 sum of [${c.shape}] over ${JSON.stringify(c.axis)}${c.keepDims ? ' (keepDims)' : ''} matches cpu`, async () => {
      const v = uniform(sizeOf(c.shape), sizeOf(c.shape));
      await expectSameOnBothBackends(() => tf.sum(tf.tensor(v, c.shape), c.axis, c.keepDims));
    });
  }

  it('an offset, long column (31,360 float32 terms) stays within float32 tolerance of cpu', async () => {
    const shape = [31_360, 3];
    const v = uniform(sizeOf(shape), 5, 100);
    await expectSameOnBothBackends(() => tf.sum(tf.tensor(v, shape), 0));
  });

  it('int32 sums (one-hot vote counts) are exact, and wrap like int32', async () => {
    const labels = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 10);
    await expectSameOnBothBackends(() => tf.sum(tf.oneHot(tf.tensor1d(labels, 'int32'), 10, 1, 0, 'int32'), 0));
    const big = tf.tensor2d([2 ** 31 - 1, 5, 1, -5], [2, 2], 'int32');
    const s = tf.sum(big, 0);
    expect(s.dtype).toBe('int32');
    expect(Array.from(s.dataSync())).toEqual([-(2 ** 31), 0]);
    tf.dispose([big, s]);
  });

  it('a sum over axis 0 of an empty tensor gives zeros', async () => {
    await expectSameOnBothBackends(() => tf.sum(tf.zeros([0, 3]), 0));
  });

  it('dense-layer gradients (bias gradients are leading-axis sums) match cpu', async () => {
    const x = uniform(32 * 20, 1);
    const w = uniform(20 * 8, 2);
    const b = uniform(8, 3);
    await expectSameOnBothBackends(() =>
      tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(tf.square(tf.relu(tf.add(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D), bb)))),
      )([tf.tensor2d(x, [32, 20]), tf.tensor2d(w, [20, 8]), tf.tensor1d(b)]),
    );
  });

  it('the gradient of a leading-axis sum broadcasts back', async () => {
    const v = uniform(4 * 3 * 2, 9);
    await expectSameOnBothBackends(() =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.sum(t, [0, 1]), tf.tensor1d([2, -3]))))(tf.tensor(v, [4, 3, 2])),
    );
  });

  it('the input survives, and no tensor or buffer leaks', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d(uniform(64 * 16, 4), [64, 16]);
    const before = Array.from(x.dataSync());
    expectNoLeak(() => tf.sum(x, 0).dispose(), { repeats: 5 });
    expectNoLeak(() => tf.tidy(() => tf.sum(tf.cast(x, 'int32'), 0, true)), { repeats: 5 });
    expect(Array.from(x.dataSync())).toEqual(before);
    const buffers = tf.memory().numDataBuffers;
    for (let i = 0; i < 5; i++) tf.sum(x, 0).dispose();
    expect(tf.memory().numDataBuffers).toBe(buffers);
    x.dispose();
  });
});
