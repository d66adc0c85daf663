import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  binaryAbsentTest,
  expectAgree,
  type Input,
  nativeSetup,
  randomInput,
  rng,
  runOn,
  wasmDataIds,
} from './testKit.js';
import { nativeCallCount } from './wasmHeap.js';

const status = await nativeSetup();

interface Case {
  a: number[];
  b: number[];
  transposeA?: boolean;
  transposeB?: boolean;
  bias?: number[];
  activation?: 'linear' | 'relu' | 'relu6' | 'elu' | 'leakyrelu' | 'sigmoid';
}

function operands(c: Case, seed: number): Input[] {
  const next = rng(seed);
  const ins = [randomInput(c.a, next), randomInput(c.b, next)];
  if (c.bias) ins.push(randomInput(c.bias, next));
  return ins;
}

function fused(c: Case) {
  return (...xs: tf.Tensor[]) =>
    tf.fused.matMul({
      a: xs[0]!,
      b: xs[1]!,
      transposeA: c.transposeA,
      transposeB: c.transposeB,
      bias: xs[2],
      activation: c.activation ?? 'linear',
      leakyreluAlpha: 0.15,
    });
}

function plain(c: Case) {
  return (...xs: tf.Tensor[]) => tf.matMul(xs[0]!, xs[1]!, c.transposeA, c.transposeB);
}

async function check(f: (...xs: tf.Tensor[]) => tf.Tensor, ins: Input[], terms: number, grads = true) {
  const before = nativeCallCount();
  const native = await runOn('wasm', f, ins, grads);
  const ran = nativeCallCount() - before;
  const cpu = await runOn('cpu', f, ins, grads);
  expectAgree(native, cpu, terms);
  return ran;
}

if (!status.loaded) {
  describe('matmul kernels', () => binaryAbsentTest(status, 'matMul.test.ts'));
} else {
  describe('BatchMatMul (native sgemm)', () => {
    beforeAll(async () => {
      await tf.setBackend('wasm');
    });

    const cases: Case[] = [
      { a: [1, 1], b: [1, 1] },
      { a: [7, 13], b: [13, 5] },
      { a: [33, 65], b: [65, 17], transposeA: false, transposeB: false },
      { a: [65, 33], b: [65, 17], transposeA: true },
      { a: [33, 65], b: [17, 65], transposeB: true },
      { a: [65, 33], b: [17, 65], transposeA: true, transposeB: true },
      { a: [3, 9, 11], b: [3, 11, 4] },
      { a: [3, 9, 11], b: [1, 11, 4] },
      { a: [1, 9, 11], b: [3, 4, 11], transposeB: true },
      { a: [2, 3, 5, 7], b: [2, 3, 7, 6] },
      { a: [2, 3, 5, 7], b: [7, 6] },
      { a: [64, 784], b: [784, 256] },
    ];
    for (const c of cases) {
      const label = `${JSON.stringify(c.a)}${c.transposeA ? 'ᵀ' : ''} × ${JSON.stringify(c.b)}${c.transposeB ? 'ᵀ' : ''}`;
      it(`${label}: values and gradients equal cpu`, async () => {
        const k = c.transposeA ? c.a[c.a.length - 2]! : c.a[c.a.length - 1]!;
        const terms = Math.max(k, ...c.a, ...c.b);
        // tfjs-core's BatchMatMul gradient does not reduce a broadcast batch (it throws on every backend), so a
        // broadcast batch is checked for values only.
        const broadcast = c.a.slice(0, -2).join() !== c.b.slice(0, -2).join();
        const ins = operands(c, 1 + c.a.length * 31 + k);
        expect(await check(plain(c), ins, terms, false)).toBe(1); // the product itself ran natively
        if (!broadcast) await check(plain(c), ins, terms, true);
      });
    }
  });

  describe('_FusedMatMul (bias + activation)', () => {
    const base: Case = { a: [19, 37], b: [37, 23], bias: [23] };
    const variants: Case[] = [
      { ...base, activation: 'linear' },
      { ...base, activation: 'relu' },
      { ...base, activation: 'relu6' },
      { ...base, activation: 'elu' },
      { ...base, activation: 'leakyrelu' },
      { ...base, activation: 'sigmoid' },
      { ...base, bias: [1, 23], activation: 'relu', transposeA: true, a: [37, 19] },
      { ...base, bias: [1], activation: 'relu', transposeB: true, b: [23, 37] },
      { a: [2, 9, 11], b: [2, 11, 5], bias: [5], activation: 'relu' },
      { a: [128, 300], b: [300, 64], bias: [64], activation: 'relu' },
    ];
    for (const c of variants) {
      it(`${JSON.stringify(c.a)} × ${JSON.stringify(c.b)} + bias ${JSON.stringify(c.bias)}, ${c.activation}${c.transposeA ? ', transposeA' : ''}${c.transposeB ? ', transposeB' : ''}: values and gradients equal cpu`, async () => {
        const ins = operands(c, 7);
        const terms = Math.max(...c.a, ...c.b);
        expect(await check(fused(c), ins, terms, false)).toBe(1); // the fused product ran natively
        await check(fused(c), ins, terms, true);
      });
    }
    it('relu keeps NaN as the cpu backend does', async () => {
      const ins: Input[] = [
        { shape: [1, 2], values: Float32Array.from([Number.NaN, 1]) },
        { shape: [2, 2], values: Float32Array.from([1, 0, 0, -1]) },
      ];
      const f = fused({ a: [1, 2], b: [2, 2], activation: 'relu' });
      const native = await runOn('wasm', f, ins, false);
      const cpu = await runOn('cpu', f, ins, false);
      expect(Array.from(native.value)).toEqual(Array.from(cpu.value));
    });
  });

  describe('matmul fall-through', () => {
    it('PReLU activation and a partial batch broadcast run on the previous kernel, correctly', async () => {
      const next = rng(3);
      const prelu = (...xs: tf.Tensor[]) =>
        tf.fused.matMul({ a: xs[0]!, b: xs[1]!, activation: 'prelu', preluActivationWeights: xs[2] });
      const ins = [randomInput([4, 6], next), randomInput([6, 5], next), randomInput([5], next)];
      expect(await check(prelu, ins, 6, false)).toBe(0);
      const partial = (...xs: tf.Tensor[]) => tf.matMul(xs[0]!, xs[1]!);
      const pins = [randomInput([2, 1, 3, 4], next), randomInput([1, 3, 4, 2], next)];
      expect(await check(partial, pins, 4, false)).toBe(0);
    });
  });

  describe('leaks', () => {
    it('no tensor or wasm buffer outlives a forward + backward pass', async () => {
      await tf.setBackend('wasm');
      const next = rng(5);
      const ins = operands({ a: [16, 32], b: [32, 8], bias: [8] }, 11);
      const f = fused({ a: [16, 32], b: [32, 8], bias: [8], activation: 'relu' });
      await runOn('wasm', f, ins, true);
      await tf.setBackend('wasm');
      const tensors = tf.memory().numTensors;
      const buffers = wasmDataIds();
      for (let i = 0; i < 3; i++) await runOn('wasm', f, ins, true);
      await tf.setBackend('wasm');
      expect(tf.memory().numTensors).toBe(tensors);
      expect(wasmDataIds()).toBe(buffers);
      expect(next()).toBeLessThan(1);
    });
  });
}
