/**
 * Test helpers shared by every `@drojs/*` package (vitest): run specs on each backend, check for tensor
 * leaks, load and compare reference vectors, finite differences.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect } from 'vitest';
import { type BackendName, initBackend } from '../backend.js';
import { findMismatch } from '../conformanceKit/compare.js';

export { findMismatch, isClose } from '../conformanceKit/compare.js';
export { checkStatefulContract, type StatefulContractCase, type StatefulObject } from './statefulContract.js';

// PROD silences tfjs's warnings and the cpu backend's "install tfjs-node" banner. IS_TEST is not used: it turns on
// a kernel leak check that misfires on customGrad ops such as tf.losses.softmaxCrossEntropy.
tf.env().set('PROD', true);

/** Host float64 tolerance. */
export const TOL_HOST = { abs: 1e-12, rel: 1e-9 } as const;
/** Tolerance for values that went through float32 tensors. */
export const TOL_F32 = { abs: 1e-5, rel: 1e-4 } as const;

/**
 * Runs the block once per backend (`cpu` and `wasm` by default; wasm with dro-core's fixes), in the
 * style of tfjs's `describeWithFlags`.
 */
export function describeBackends(name: string, backends: BackendName[] | (() => void), fn?: () => void): void {
  const list = typeof backends === 'function' ? (['cpu', 'wasm'] as BackendName[]) : backends;
  const body = typeof backends === 'function' ? backends : fn!;
  for (const b of list) {
    describe(`${name} [${b}]`, () => {
      beforeAll(async () => {
        await initBackend({ backend: b });
      });
      body();
    });
  }
}

function disposeResult(r: unknown): void {
  if (r instanceof tf.Tensor) r.dispose();
  else if (Array.isArray(r)) r.forEach(disposeResult);
  else if (r && typeof r === 'object' && !(r instanceof tf.Variable)) {
    for (const v of Object.values(r)) if (v instanceof tf.Tensor && !(v instanceof tf.Variable)) v.dispose();
  }
}

/**
 * Runs `warmup` steps (optimisers create slot variables on the first), records `numTensors`, runs
 * `repeats` more and asserts the count is unchanged. Tensors a step returns are disposed before counting.
 */
export function expectNoLeak(step: () => unknown, opts: { repeats?: number; warmup?: number } = {}): void {
  const { repeats = 100, warmup = 1 } = opts;
  for (let i = 0; i < warmup; i++) disposeResult(step());
  const before = tf.memory().numTensors;
  for (let i = 0; i < repeats; i++) disposeResult(step());
  expect(tf.memory().numTensors, 'numTensors after repeated steps').toBe(before);
}

/** Async variant of {@link expectNoLeak} for steps that await data. */
export async function expectNoLeakAsync(
  step: () => Promise<unknown>,
  opts: { repeats?: number; warmup?: number } = {},
): Promise<void> {
  const { repeats = 100, warmup = 1 } = opts;
  for (let i = 0; i < warmup; i++) disposeResult(await step());
  const before = tf.memory().numTensors;
  for (let i = 0; i < repeats; i++) disposeResult(await step());
  expect(tf.memory().numTensors, 'numTensors after repeated steps').toBe(before);
}

/** Reads a JSON vectors file. */
export function loadVectors<T = unknown>(path: string | URL): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Asserts element-wise closeness of nested numbers/arrays; reports the first mismatch. */
export function expectClose(
  actual: unknown,
  expected: unknown,
  tol: { abs?: number; rel?: number },
  path = 'value',
): void {
  const mismatch = findMismatch(actual, expected, tol, path);
  expect(mismatch, mismatch ?? '').toBeNull();
}

/** Central differences of a host function at `x` (float64). */
export function numericGradient(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  opts: { eps?: number } = {},
): Float64Array {
  const { eps = 1e-6 } = opts;
  const p = Float64Array.from(x);
  const g = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    p[i] = v + eps;
    const fp = f(p);
    p[i] = v - eps;
    const fm = f(p);
    p[i] = v;
    g[i] = (fp - fm) / (2 * eps);
  }
  return g;
}

/** Asserts that `fn` throws a DroError with `code` (and optionally a message containing `argument`). */
export function expectDroError(fn: () => unknown, code: string, argument?: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, `expected a DroError ${code}`).toBeInstanceOf(Error);
  expect((err as { name?: string }).name).toBe('DroError');
  expect((err as { code?: string }).code).toBe(code);
  if (argument !== undefined) expect((err as Error).message).toContain(argument);
}
