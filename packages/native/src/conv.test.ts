import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
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

interface ConvCase {
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: [number, number];
  pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
  dilations?: [number, number];
}

function inputs(c: ConvCase, seed: number, bias: boolean): Input[] {
  const next = rng(seed);
  const ins = [randomInput(c.x, next), randomInput(c.f, next)];
  if (bias) ins.push(randomInput([c.f[3]], next));
  return ins;
}

/** The sum length behind each output and gradient value (filter taps × channels, or pixels for the filter grad). */
function terms(c: ConvCase): number {
  return Math.max(c.f[0] * c.f[1] * c.f[2], c.f[0] * c.f[1] * c.f[3], c.x[0] * c.x[1] * c.x[2]);
}

async function check(f: (...xs: tf.Tensor[]) => tf.Tensor, ins: Input[], n: number, grads: boolean) {
  const before = nativeCallCount();
  const native = await runOn('wasm', f, ins, grads);
  const ran = nativeCallCount() - before;
  const cpu = await runOn('cpu', f, ins, grads);
  expectAgree(native, cpu, n);
  return ran;
}

if (!status.loaded) {
  describe('conv kernels', () => binaryAbsentTest(status, 'conv.test.ts'));
} else {
  const cases: ConvCase[] = [
    { x: [2, 9, 11, 3], f: [3, 3, 3, 5], strides: [1, 1], pad: 'same' },
    { x: [2, 9, 11, 3], f: [3, 3, 3, 5], strides: [1, 1], pad: 'valid' },
    { x: [3, 10, 7, 4], f: [3, 2, 4, 6], strides: [2, 2], pad: 'same' },
    { x: [3, 10, 7, 4], f: [5, 3, 4, 2], strides: [2, 1], pad: 'valid' },
    { x: [1, 8, 8, 5], f: [1, 1, 5, 7], strides: [1, 1], pad: 'valid' },
    {
      x: [2, 6, 5, 3],
      f: [3, 3, 3, 4],
      strides: [1, 1],
      pad: [
        [0, 0],
        [2, 1],
        [0, 2],
        [0, 0],
      ],
    },
    { x: [4, 28, 28, 1], f: [3, 3, 1, 32], strides: [1, 1], pad: 'same' },
    // Big enough for several ~1 MiB im2col chunks (P = 8·24·24 = 4608 rows of K = 3·3·32 = 288 floats).
    { x: [8, 24, 24, 32], f: [3, 3, 32, 8], strides: [1, 1], pad: 'same' },
  ];

  describe('Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter (im2col + sgemm)', () => {
    for (const c of cases) {
      const label = `x ${JSON.stringify(c.x)} * f ${JSON.stringify(c.f)} stride ${c.strides} pad ${JSON.stringify(c.pad)}`;
      it(`${label}: values and both gradients equal cpu`, async () => {
        const conv = (...xs: tf.Tensor[]) => tf.conv2d(xs[0] as tf.Tensor4D, xs[1] as tf.Tensor4D, c.strides, c.pad);
        const ins = inputs(c, c.x[1] * 7 + c.f[0], false);
        expect(await check(conv, ins, terms(c), false)).toBe(1); // the convolution itself ran natively
        // Backward: Conv2DBackpropInput, Conv2DBackpropFilter, and the loss's Multiply, Sum (forward and grad).
        expect(await check(conv, ins, terms(c), true)).toBeGreaterThanOrEqual(5);
      });
    }
    it('dilation 2 (forward only: tfjs has no dilated conv gradient) equals cpu', async () => {
      const c: ConvCase = { x: [2, 11, 9, 3], f: [3, 3, 3, 4], strides: [1, 1], pad: 'same', dilations: [2, 2] };
      const conv = (...xs: tf.Tensor[]) =>
        tf.conv2d(xs[0] as tf.Tensor4D, xs[1] as tf.Tensor4D, 1, 'same', 'NHWC', c.dilations);
      expect(await check(conv, inputs(c, 4, false), terms(c), false)).toBe(1);
    });
  });

  describe('FusedConv2D (bias + activation)', () => {
    for (const activation of ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid'] as const) {
      it(`${activation}: values and gradients (input, filter, bias) equal cpu`, async () => {
        const c: ConvCase = { x: [2, 7, 6, 3], f: [3, 3, 3, 4], strides: [1, 1], pad: 'same' };
        const conv = (...xs: tf.Tensor[]) =>
          tf.fused.conv2d({
            x: xs[0] as tf.Tensor4D,
            filter: xs[1] as tf.Tensor4D,
            strides: 1,
            pad: 'same',
            bias: xs[2],
            activation,
            leakyreluAlpha: 0.3,
          });
        const ins = inputs(c, 9, true);
        expect(await check(conv, ins, terms(c), false)).toBe(1); // the fused convolution ran natively
        await check(conv, ins, terms(c), true);
      });
    }
  });

  describe('conv fall-through and leaks', () => {
    it('PReLU fused conv runs on the previous wasm kernel and equals cpu', async () => {
      const c: ConvCase = { x: [1, 5, 5, 2], f: [3, 3, 2, 3], strides: [1, 1], pad: 'valid' };
      const next = rng(12);
      const conv = (...xs: tf.Tensor[]) =>
        tf.fused.conv2d({
          x: xs[0] as tf.Tensor4D,
          filter: xs[1] as tf.Tensor4D,
          strides: 1,
          pad: 'valid',
          activation: 'prelu',
          preluActivationWeights: xs[2],
        });
      const ins = [...inputs(c, 12, false), randomInput([3], next)];
      expect(await check(conv, ins, terms(c), false)).toBe(0);
    });
    it('no tensor or wasm buffer outlives forward + backward passes', async () => {
      const c = cases[2]!;
      const conv = (...xs: tf.Tensor[]) => tf.conv2d(xs[0] as tf.Tensor4D, xs[1] as tf.Tensor4D, c.strides, c.pad);
      const ins = inputs(c, 3, false);
      await runOn('wasm', conv, ins, true);
      const tensors = tf.memory().numTensors;
      const buffers = wasmDataIds();
      for (let i = 0; i < 3; i++) await runOn('wasm', conv, ins, true);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(wasmDataIds()).toBe(buffers);
    });
  });
}
