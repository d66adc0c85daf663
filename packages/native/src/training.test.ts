import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { binaryAbsentTest, nativeSetup, relativeError, rng, sumTolerance, wasmDataIds } from './testKit.js';
import { nativeCallCount } from './wasmHeap.js';

const status = await nativeSetup();

const SIZES = [784, 256, 256, 10];
const BATCH = 64;

interface StepResult {
  loss: number;
  /** The change of every parameter in the step (the weights themselves would hide a wrong update). */
  deltas: Float32Array[];
}

/** One SGD step of the 784-256-256-10 ReLU MLP with softmax cross-entropy, from fixed weights and data. */
async function sgdStep(backend: 'cpu' | 'wasm'): Promise<StepResult> {
  await tf.setBackend(backend);
  const next = rng(2024);
  const params: tf.Variable[] = [];
  for (let l = 0; l + 1 < SIZES.length; l++) {
    const [fanIn, fanOut] = [SIZES[l]!, SIZES[l + 1]!];
    const scale = Math.sqrt(6 / fanIn);
    const w = Float32Array.from({ length: fanIn * fanOut }, () => next(-scale, scale));
    const b = Float32Array.from({ length: fanOut }, () => next(-0.1, 0.1));
    // tf.variable keeps its initial tensor alive beside itself: create both inside a tidy.
    params.push(tf.tidy(() => tf.variable(tf.tensor2d(w, [fanIn, fanOut]))));
    params.push(tf.tidy(() => tf.variable(tf.tensor1d(b))));
  }
  const x = tf.tensor2d(
    Float32Array.from({ length: BATCH * 784 }, () => next(0, 1)),
    [BATCH, 784],
  );
  const labels = Array.from({ length: BATCH }, (_, i) => (i * 7) % 10);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 10));
  const before = params.map((p) => Float32Array.from(p.dataSync()));
  const optimizer = tf.train.sgd(0.05);
  const loss = optimizer.minimize(() => {
    let h: tf.Tensor = x;
    for (let l = 0; l < params.length; l += 2) {
      const last = l + 2 === params.length;
      h = tf.fused.matMul({
        a: h,
        b: params[l] as tf.Tensor,
        bias: params[l + 1],
        activation: last ? 'linear' : 'relu',
      });
    }
    return tf.losses.softmaxCrossEntropy(y, h) as tf.Scalar;
  }, true);
  const result: StepResult = {
    loss: (await loss!.data())[0]!,
    deltas: params.map((p, i) => {
      const after = p.dataSync();
      return Float32Array.from(after, (v, j) => v - before[i]![j]!);
    }),
  };
  loss!.dispose();
  optimizer.dispose();
  tf.dispose([x, y, ...params]);
  return result;
}

if (!status.loaded) {
  describe('training step', () => binaryAbsentTest(status, 'training.test.ts'));
} else {
  describe('MLP 784-256-256-10 SGD step', () => {
    it('wasm + native equals cpu (loss and every parameter update), natively, without leaks', async () => {
      await sgdStep('wasm');
      await tf.setBackend('wasm');
      const tensors = tf.memory().numTensors;
      const buffers = wasmDataIds();
      const calls = nativeCallCount();
      const native = await sgdStep('wasm');
      const ran = nativeCallCount() - calls;
      const cpu = await sgdStep('cpu');
      await tf.setBackend('wasm');
      expect(tf.memory().numTensors).toBe(tensors);
      expect(wasmDataIds()).toBe(buffers);
      // 3 fused forward products, 5 gradient products (the first layer needs no dx), bias sums, updates.
      expect(ran).toBeGreaterThanOrEqual(8);
      expect(Math.abs(native.loss - cpu.loss)).toBeLessThanOrEqual(sumTolerance(784) * Math.abs(cpu.loss));
      // Each update is a sum over the batch of products through three layers: 784-term sums bound it.
      native.deltas.forEach((d, i) => {
        expect(relativeError(d, cpu.deltas[i]!)).toBeLessThanOrEqual(sumTolerance(784 * 4));
      });
    });
  });
}
