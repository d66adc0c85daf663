/**
 * Test support (not part of the package's API): runs the same tfjs function on the cpu backend and on wasm with
 * the native kernels, for values and gradients, with inputs from a seeded generator.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// tfjs-layers registers the gradients (tfjs-core alone registers none in Node).
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { registerNativeKernels } from './register.js';
import type { NativeStatus } from './status.js';

/** float32 unit roundoff. */
export const U = 2 ** -24;

/** Sets up wasm and registers the native kernels; the status says whether the kernel tests can run. */
export async function nativeSetup(): Promise<NativeStatus> {
  await tf.setBackend('wasm');
  await tf.ready();
  return registerNativeKernels();
}

/**
 * Registers the one test a kernel file has when no binary is present: the loader must say so (loaded false,
 * with a reason), and one line says the kernel tests did not run.
 */
export function binaryAbsentTest(status: NativeStatus, file: string): void {
  it('reports a missing binary instead of throwing (kernel tests need `pnpm --filter @drojs/native build:native`)', () => {
    expect(status.loaded).toBe(false);
    expect(status.reason.length).toBeGreaterThan(0);
    expect(status.kernels).toEqual([]);
    console.log(`@drojs/native ${file}: no native binary (${status.reason}); kernel tests not run, wasm only`);
  });
}

/** A seeded generator (mulberry32) of floats in [lo, hi). */
export function rng(seed: number): (lo?: number, hi?: number) => number {
  let s = seed >>> 0;
  return (lo = -1, hi = 1) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return lo + (hi - lo) * u;
  };
}

export interface Input {
  shape: number[];
  values: Float32Array;
}

export function randomInput(shape: number[], next: () => number): Input {
  const n = shape.reduce((p, d) => p * d, 1);
  return { shape, values: Float32Array.from({ length: n }, () => next()) };
}

export interface Outcome {
  shape: number[];
  value: Float32Array;
  grads: Float32Array[];
}

/**
 * Runs `f` on `backend`: its value and, when `withGrads`, the gradients of Σ f(x)·w (w a fixed random weight,
 * so every upstream gradient differs) with respect to every input. All tensors are disposed.
 */
export async function runOn(
  backend: 'cpu' | 'wasm',
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: Input[],
  withGrads: boolean,
): Promise<Outcome> {
  await tf.setBackend(backend);
  const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
  try {
    return tf.tidy(() => {
      const y = f(...xs);
      const value = y.dataSync() as Float32Array;
      const shape = [...y.shape];
      if (!withGrads) return { shape, value: Float32Array.from(value), grads: [] };
      const next = rng(99);
      const w = tf.tensor(
        Float32Array.from({ length: y.size }, () => next()),
        y.shape,
      );
      const g = tf.grads((...ins: tf.Tensor[]) => tf.sum(tf.mul(f(...ins), w)))(xs);
      return { shape, value: Float32Array.from(value), grads: g.map((t) => Float32Array.from(t.dataSync())) };
    });
  } finally {
    for (const x of xs) x.dispose();
  }
}

/** max |a − b| / max(max |b|, tiny). */
export function relativeError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let err = 0;
  let scale = 1e-30;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  if (a.some((v, i) => Number.isNaN(v) !== Number.isNaN(b[i]!))) return Number.POSITIVE_INFINITY;
  return err / scale;
}

/**
 * The tolerance for a float32 result built from sums of `terms` products, relative to the largest value: rounding
 * grows like √terms·u for random signs (8 for the tail, 4 for the chained ops of a gradient) and is never below
 * a few ulps. Both sides are float32 computations; cpu accumulates in float64, so this bounds OpenBLAS's error.
 */
export function sumTolerance(terms: number): number {
  return Math.max(64, 32 * Math.sqrt(terms)) * U;
}

/** Asserts cpu and wasm+native agree on value, shape and every gradient. */
export function expectAgree(native: Outcome, cpu: Outcome, terms: number): void {
  expect(native.shape).toEqual(cpu.shape);
  expect(relativeError(native.value, cpu.value)).toBeLessThanOrEqual(sumTolerance(terms));
  expect(native.grads.length).toBe(cpu.grads.length);
  native.grads.forEach((g, i) => {
    expect(relativeError(g, cpu.grads[i]!)).toBeLessThanOrEqual(sumTolerance(terms));
  });
}

/** The number of live wasm data buffers (kernel outputs leaked on any path would raise it). */
export function wasmDataIds(): number {
  return (tf.findBackend('wasm') as unknown as { numDataIds(): number }).numDataIds();
}
