import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import './backend.js';
import { createRng } from './rng.js';
import { expectClose, expectNoLeak, TOL_F32 } from './testing/index.js';
import { applyWasmFixes, originalWasmKernel } from './wasmFixes.js';

function uniform(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => 2 * rng.uniform() - 1);
}

type Data = { shape: number[]; values: Float32Array };
const data = (shape: number[], seed: number): Data => ({
  shape,
  values: uniform(
    shape.reduce((a, b) => a * b, 1),
    seed,
  ),
});
const tensor = (d: Data) => tf.tensor(d.values, d.shape);

/** Runs `f` on the named backend (fresh tensors made from host data) and returns host values. */
async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor | tf.Tensor[]): Promise<number[][]> {
  await tf.setBackend(backend);
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const values = list.map((t) => Array.from(t.dataSync()));
  tf.dispose(list);
  return values;
}

async function expectSameOnBothBackends(f: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  const cpu = await on('cpu', f);
  const wasm = await on('wasm', f);
  expectClose(wasm, cpu, TOL_F32);
}

const X = data([2, 6, 5, 3], 1);
const W = data([3, 3, 3, 4], 2);
const C = data([2, 6, 5, 4], 3);

function convFilterGrad(stride: number, pad: 'same' | 'valid'): () => tf.Tensor {
  return () => {
    const x = tensor(X) as tf.Tensor4D;
    const w = tensor(W) as tf.Tensor4D;
    return tf.grad((f: tf.Tensor) => {
      const y = tf.conv2d(x, f as tf.Tensor4D, stride, pad);
      // A fixed random cotangent so every filter entry gets a distinct gradient.
      const c = tf.slice(tensor(C), [0, 0, 0, 0], y.shape);
      return tf.sum(tf.mul(y, c));
    })(w);
  };
}

/** One SGD step of a tiny conv net (conv → relu → dense) on the backend in force; returns the loss. */
function makeConvStep(stride: number) {
  const x = tf.keep(tf.tensor(uniform(4 * 8 * 8 * 1, 11), [4, 8, 8, 1]) as tf.Tensor4D);
  const filter = tf.variable(
    tf.tensor(
      uniform(3 * 3 * 1 * 4, 12).map((v) => 0.5 * v),
      [3, 3, 1, 4],
    ) as tf.Tensor4D,
  );
  const side = stride === 1 ? 8 : 4;
  const dense = tf.variable(
    tf.tensor(
      uniform(side * side * 4 * 3, 13).map((v) => 0.1 * v),
      [side * side * 4, 3],
    ) as tf.Tensor2D,
  );
  const labels = tf.keep(tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3));
  const opt = tf.train.sgd(0.1);
  const step = () =>
    opt.minimize(() => {
      const h = tf.relu(tf.conv2d(x, filter, stride, 'same'));
      const logits = tf.matMul(tf.reshape(h, [4, -1]), dense);
      // Squared error, not softmaxCrossEntropy: under IS_TEST tfjs's leak check trips on the latter's customGrad.
      return tf.mean(tf.square(tf.sub(logits, labels))) as tf.Scalar;
    }, true) as tf.Scalar;
  const dispose = () => tf.dispose([x, filter, dense, labels]);
  return { step, filter, dense, dispose };
}

describe('wasm fixes', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
  });

  it('stock wasm (before the fixes) has no Conv2DBackpropFilter and cannot train a conv net', () => {
    // This file runs in its own process (vitest forks pool), so nothing has patched the registry yet.
    expect(originalWasmKernel('Conv2DBackpropFilter')).toBeNull();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeUndefined();
    const net = makeConvStep(1);
    expect(() => net.step()).toThrow(/Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'/);
    net.dispose();
  });

  it('applies every fix and reports them', () => {
    const stockMatMul = tf.getKernel('BatchMatMul', 'wasm');
    const fixes = applyWasmFixes();
    expect(fixes[0]).toBe('gradients');
    expect(fixes).toContain('kernel:Conv2DBackpropFilter(composite)');
    expect(fixes).toContain('matmul-transpose');
    const fb = fixes.find((f) => f.startsWith('kernel-fallbacks:'));
    expect(fb).toBeDefined();
    const n = Number(fb!.split(':')[1]);
    // Every kernel the cpu backend has and stock wasm lacks is now registered on wasm.
    const wasmNow = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    const missing = tf.getKernelsForBackend('cpu').filter((k) => !wasmNow.has(k.kernelName));
    expect(missing.map((k) => k.kernelName)).toEqual([]);
    const patchedMissing = ['UnsortedSegmentSum', 'Einsum', 'Complex', 'FFT', 'IFFT', 'Real', 'Imag'];
    for (const k of patchedMissing) expect(originalWasmKernel(k), k).toBeUndefined();
    expect(n).toBeGreaterThanOrEqual(patchedMissing.length);
    // The stock entries are remembered, and the wrapper keeps their set-up hook.
    expect(originalWasmKernel('BatchMatMul')).toBe(stockMatMul);
    expect(tf.getKernel('BatchMatMul', 'wasm')).not.toBe(stockMatMul);
    expect(tf.getKernel('BatchMatMul', 'wasm')!.setupFunc).toBe(stockMatMul!.setupFunc);
  });

  it('Identity and same-dtype Cast share the buffer; the data outlives either handle; real casts still convert', () => {
    applyWasmFixes();
    expect(applyWasmFixes()).toContain('zero-copy-identity-cast');
    const buffers = () => tf.memory().numDataBuffers;
    const before = buffers();
    const x = tf.tensor2d([1.5, -2, 3, 4], [2, 2]);
    const afterX = buffers();
    const y = tf.clone(x); // Identity
    const z = tf.cast(x, 'float32');
    expect(buffers()).toBe(afterX); // no copy: one buffer, three handles
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1.5, -2, 3, 4]);
    y.dispose();
    expect(Array.from(z.dataSync())).toEqual([1.5, -2, 3, 4]);
    const i = tf.cast(z, 'int32');
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.dataSync())).toEqual([1, -2, 3, 4]);
    tf.dispose([z, i]);
    expect(buffers()).toBe(before);
    // Gradients pass through Identity unchanged.
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.clone(t), 3)))(tf.ones([3]));
    expect(Array.from(g.dataSync())).toEqual([3, 3, 3]);
    g.dispose();
  });

  it('is idempotent', () => {
    const first = applyWasmFixes();
    const entries = ['BatchMatMul', '_FusedMatMul', 'Conv2DBackpropFilter', 'UnsortedSegmentSum'].map((k) =>
      tf.getKernel(k, 'wasm'),
    );
    const second = applyWasmFixes();
    expect(second).toEqual(first);
    expect(
      ['BatchMatMul', '_FusedMatMul', 'Conv2DBackpropFilter', 'UnsortedSegmentSum'].map((k) => tf.getKernel(k, 'wasm')),
    ).toEqual(entries);
  });

  it.each([
    [1, 'same'],
    [1, 'valid'],
  ] as const)('composite conv filter gradient (stride %i, %s) matches cpu', async (stride, pad) => {
    await expectSameOnBothBackends(convFilterGrad(stride, pad));
  });

  it.each([
    [2, 'same'],
    [2, 'valid'],
  ] as const)('conv filter gradient through the cpu fallback (stride %i, %s) matches cpu', async (stride, pad) => {
    await expectSameOnBothBackends(convFilterGrad(stride, pad));
  });

  it('gather / embedding gradient (UnsortedSegmentSum fallback) matches cpu', async () => {
    const E = data([10, 4], 21);
    const V = data([6, 4], 22);
    await expectSameOnBothBackends(() => {
      const idx = tf.tensor1d([1, 3, 3, 9, 0, 3], 'int32');
      const v = tensor(V);
      return tf.grad((e: tf.Tensor) => tf.sum(tf.mul(tf.gather(e, idx), v)))(tensor(E));
    });
  });

  it('transposed matmuls match cpu (2-D, batched, fused with bias and relu)', async () => {
    const A = data([7, 5], 31);
    const B = data([5, 6], 32);
    const A3 = data([3, 7, 5], 33);
    const B3 = data([3, 5, 6], 34);
    const bias = data([6], 35);
    await expectSameOnBothBackends(() => {
      const out: tf.Tensor[] = [];
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const a = ta ? tf.transpose(tensor(A)) : tensor(A);
        const b = tb ? tf.transpose(tensor(B)) : tensor(B);
        out.push(tf.matMul(a, b, ta, tb));
        const a3 = ta ? tf.transpose(tensor(A3), [0, 2, 1]) : tensor(A3);
        const b3 = tb ? tf.transpose(tensor(B3), [0, 2, 1]) : tensor(B3);
        out.push(tf.matMul(a3, b3, ta, tb));
        out.push(tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias: tensor(bias), activation: 'relu' }));
      }
      return out;
    });
  });

  it('matmul gradients (transposed products) match cpu', async () => {
    const A = data([16, 9], 41);
    const B = data([9, 5], 42);
    await expectSameOnBothBackends(() => {
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.matMul(a, b))));
      return g([tensor(A), tensor(B)]);
    });
  });

  it('Einsum (array inputs) and FFT/Complex through the fallbacks match cpu', async () => {
    const A = data([4, 3], 51);
    const B = data([3, 5], 52);
    const S = data([2, 8], 53);
    await expectSameOnBothBackends(() => {
      const c = tf.complex(tensor(S), tf.reverse(tensor(S), 1));
      const f = tf.spectral.fft(c);
      const r = tf.spectral.rfft(tensor(S));
      return [tf.einsum('ij,jk->ik', tensor(A), tensor(B)), tf.real(f), tf.imag(f), tf.real(r), tf.imag(r)];
    });
  });

  it.each([1, 2])('a conv train step (stride %i) runs on wasm and matches the cpu step', async (stride) => {
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const net = makeConvStep(stride);
      const losses = [net.step(), net.step()].map((l) => {
        const v = l.dataSync()[0]!;
        l.dispose();
        return v;
      });
      const filter = Array.from(net.filter.dataSync());
      net.dispose();
      return { losses, filter };
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(Number.isFinite(wasm.losses[0])).toBe(true);
    expect(wasm.losses[1]).toBeLessThan(wasm.losses[0]!);
    expectClose([wasm.losses, wasm.filter], [cpu.losses, cpu.filter], TOL_F32);
  });

  it.each([1, 2])('leaks no tensor and no backend data over repeated conv train steps (stride %i)', async (stride) => {
    await tf.setBackend('wasm');
    const net = makeConvStep(stride);
    const wasmBackend = tf.backend() as unknown as { numDataIds(): number };
    const cpuBackend = tf.findBackend('cpu') as unknown as { numDataIds(): number };
    net.step().dispose();
    // Kernel temporaries never become engine tensors, so also count the backends' own data ids.
    const before = { wasm: wasmBackend.numDataIds(), cpu: cpuBackend.numDataIds() };
    expectNoLeak(net.step, { repeats: 10, warmup: 1 });
    expect({ wasm: wasmBackend.numDataIds(), cpu: cpuBackend.numDataIds() }).toEqual(before);
    net.dispose();
  });
});
