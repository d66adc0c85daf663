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

const OPS = {
  Add: tf.add,
  Sub: tf.sub,
  Multiply: tf.mul,
  RealDiv: tf.div,
} as const;

async function check(f: (...xs: tf.Tensor[]) => tf.Tensor, ins: Input[], terms: number, grads: boolean) {
  const before = nativeCallCount();
  const native = await runOn('wasm', f, ins, grads);
  const ran = nativeCallCount() - before;
  const cpu = await runOn('cpu', f, ins, grads);
  expectAgree(native, cpu, terms);
  return ran;
}

/** Divisors kept away from 0 so that the quotient's gradient is well scaled. */
function operand(shape: number[], next: (lo?: number, hi?: number) => number, divisor: boolean): Input {
  if (!divisor) return randomInput(shape, next);
  return randomInput(shape, () => (next() < 0 ? -1 : 1) * next(0.5, 2));
}

if (!status.loaded) {
  describe('elementwise kernels', () => binaryAbsentTest(status, 'elementwise.test.ts'));
} else {
  const shapes: [number[], number[]][] = [
    [
      [5, 7],
      [5, 7],
    ],
    [[1], [4, 9]],
    [[4, 9], []],
    [[6, 3, 5], [5]],
    [
      [6, 3, 5],
      [1, 3, 5],
    ],
    [
      [3, 5],
      [6, 3, 5],
    ],
    [
      [7, 1],
      [7, 4],
    ],
    [
      [2, 3, 4],
      [2, 1, 1],
    ],
    [[1000], [1000]],
  ];
  describe('Add, Sub, Multiply, RealDiv (equal shapes, scalars, leading- and trailing-axis broadcast)', () => {
    for (const [name, op] of Object.entries(OPS)) {
      for (const [sa, sb] of shapes) {
        it(`${name} ${JSON.stringify(sa)} with ${JSON.stringify(sb)}: values and gradients equal cpu`, async () => {
          const next = rng(sa.length * 13 + sb.length);
          const ins = [operand(sa, next, false), operand(sb, next, name === 'RealDiv')];
          const f = (...xs: tf.Tensor[]) => op(xs[0]!, xs[1]!);
          // The broadcast operand's gradient is a sum over the broadcast axes.
          const n = Math.max(...sa, ...sb, 1) ** 2;
          expect(await check(f, ins, n, false)).toBe(1); // the op itself ran natively
          await check(f, ins, n, true);
        });
      }
    }
    it('a middle-axis broadcast and int32 operands fall through to wasm and equal cpu', async () => {
      const next = rng(8);
      const middle = (...xs: tf.Tensor[]) => tf.mul(xs[0]!, xs[1]!);
      expect(await check(middle, [randomInput([3, 4, 5], next), randomInput([3, 1, 5], next)], 1, false)).toBe(0);
      const ints = (...xs: tf.Tensor[]) => tf.add(tf.cast(xs[0]!, 'int32'), tf.cast(xs[1]!, 'int32'));
      const ins = [randomInput([4], () => 3), randomInput([4], () => -5)];
      expect(await check(ints, ins, 1, false)).toBe(0);
    });
    it('division by zero and NaN follow IEEE as on cpu', async () => {
      const ins: Input[] = [
        { shape: [4], values: Float32Array.from([1, -1, 0, Number.NaN]) },
        { shape: [4], values: Float32Array.from([0, 0, 0, 1]) },
      ];
      const native = await runOn('wasm', (a, b) => tf.div(a!, b!), ins, false);
      expect(Array.from(native.value)).toEqual([
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        Number.NaN,
        Number.NaN,
      ]);
    });
  });

  describe('Sum over leading or trailing axes (float64 accumulation)', () => {
    const cases: [number[], number | number[] | undefined, boolean][] = [
      [[256, 10], 0, false],
      [[256, 10], 0, true],
      [[4, 5, 6], [0, 1], false],
      [[4, 5, 6], [1, 2], true],
      [[4, 5, 6], -1, false],
      [[4, 5, 6], undefined, false],
      [[31360], 0, false],
      [[1, 7], 0, false],
    ];
    for (const [shape, axis, keepDims] of cases) {
      it(`${JSON.stringify(shape)} axis ${JSON.stringify(axis)}${keepDims ? ' keepDims' : ''}: value and gradient equal cpu`, async () => {
        const ins = [randomInput(shape, rng(shape.length + 17))];
        const f = (...xs: tf.Tensor[]) => tf.sum(xs[0]!, axis, keepDims);
        const n = shape.reduce((p, d) => p * d, 1);
        expect(await check(f, ins, n, false)).toBe(1); // the sum itself ran natively
        await check(f, ins, n, true);
      });
    }
    it('a middle axis and int32 fall through to wasm and equal cpu', async () => {
      const f = (...xs: tf.Tensor[]) => tf.sum(xs[0]!, 1);
      expect(await check(f, [randomInput([3, 4, 5], rng(2))], 4, false)).toBe(0);
      const g = (...xs: tf.Tensor[]) => tf.sum(tf.cast(xs[0]!, 'int32'), 0);
      expect(await check(g, [randomInput([3, 4], () => 7)], 3, false)).toBe(0);
    });
  });

  describe('leaks', () => {
    it('no tensor or wasm buffer outlives repeated broadcast ops and sums', async () => {
      const next = rng(1);
      const ins = [randomInput([6, 3, 5], next), randomInput([5], next)];
      const f = (...xs: tf.Tensor[]) => tf.sum(tf.div(tf.add(xs[0]!, xs[1]!), tf.scalar(3)), 0);
      await runOn('wasm', f, ins, true);
      const tensors = tf.memory().numTensors;
      const buffers = wasmDataIds();
      for (let i = 0; i < 3; i++) await runOn('wasm', f, ins, true);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(wasmDataIds()).toBe(buffers);
    });
  });
}
