import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { NativeBinding } from './binding.js';
import { fallback, type KernelArgs, type NativeKernel, offsetOf, onHeap, sizeOf, withOutput } from './wasmHeap.js';

/** Operand addressing (csrc/kernels.h MODE_*). */
const FULL = 0;
const SCALAR = 1;
const TILE = 2;
const SPREAD = 3;

/** The binary ops and their codes (csrc/kernels.h OP_*). */
export const BINARY_OPS: Record<string, number> = { Add: 0, Sub: 1, Multiply: 2, RealDiv: 3 };

interface Operand {
  mode: number;
  /** The block length this operand imposes (0: any). */
  block: number;
}

/**
 * How one operand of shape `shape` maps onto the output: the whole output, one value, a suffix of the output's
 * dimensions repeated (leading-axis broadcast, e.g. a bias row) or a prefix held per block (e.g. [m, 1] against
 * [m, n]); undefined for any other broadcast.
 */
function classify(shape: readonly number[], out: readonly number[], total: number): Operand | undefined {
  const size = sizeOf(shape);
  if (size === total) return { mode: FULL, block: 0 };
  if (size === 1) return { mode: SCALAR, block: 0 };
  const padded = [...new Array<number>(out.length - shape.length).fill(1), ...shape];
  let t = 0;
  while (t < out.length && padded[t] === 1) t++;
  if (padded.slice(t).every((d, i) => d === out[t + i])) return { mode: TILE, block: size };
  let s = out.length;
  while (s > 0 && padded[s - 1] === 1) s--;
  if (padded.slice(0, s).every((d, i) => d === out[i])) return { mode: SPREAD, block: total / size };
  return undefined;
}

/** Add/Sub/Mul/RealDiv on float32: equal shapes, scalars, and the two one-sided broadcasts above. */
export function binaryKernel(binding: NativeBinding, previous: KernelFunc | undefined, name: string): NativeKernel {
  const prev = fallback(name, previous);
  const op = BINARY_OPS[name]!;
  return (args: KernelArgs) => {
    const { a, b } = args.inputs as { a?: TensorInfo; b?: TensorInfo };
    const backend = args.backend;
    if (!a || !b || !onHeap(backend, a, b)) return prev(args);
    let out: number[];
    try {
      out = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    } catch {
      return prev(args);
    }
    const total = sizeOf(out);
    if (total === 0) return prev(args);
    const ca = classify(a.shape, out, total);
    const cb = classify(b.shape, out, total);
    if (!ca || !cb || (ca.block > 0 && cb.block > 0)) return prev(args);
    const block = ca.block || cb.block || total;
    return withOutput(backend, out, (heap, o) =>
      binding.binary(heap, op, block, total / block, offsetOf(backend, a), ca.mode, offsetOf(backend, b), cb.mode, o),
    );
  };
}

/** Sum over leading or trailing axes of a float32 tensor (float64 accumulation); other axis sets fall through. */
export function sumKernel(binding: NativeBinding, previous: KernelFunc | undefined): NativeKernel {
  const prev = fallback('Sum', previous);
  return (args: KernelArgs) => {
    const { x } = args.inputs;
    const attrs = (args.attrs ?? {}) as { axis?: number | number[]; keepDims?: boolean };
    const backend = args.backend;
    if (!x || !onHeap(backend, x) || sizeOf(x.shape) === 0) return prev(args);
    let axes: number[];
    try {
      // A null axis (tf.sum's default) means every axis.
      axes = [...new Set(tf.util.parseAxisParam((attrs.axis ?? null) as number[], x.shape))].sort((p, q) => p - q);
    } catch {
      return prev(args);
    }
    const rank = x.shape.length;
    if (axes.length === 0) return prev(args);
    const leading = axes.every((ax, i) => ax === i);
    const trailing = axes.every((ax, i) => ax === rank - axes.length + i);
    if (!leading && !trailing) return prev(args);
    const split = trailing ? rank - axes.length : axes.length;
    const outer = sizeOf(x.shape.slice(0, split));
    const inner = sizeOf(x.shape.slice(split));
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const shape = attrs.keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i));
    return withOutput(backend, shape, (heap, o) =>
      binding.sum(heap, offsetOf(backend, x), outer, inner, trailing ? 0 : 1, o),
    );
  };
}
