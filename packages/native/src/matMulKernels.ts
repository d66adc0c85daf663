import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { activationCode } from './activation.js';
import type { NativeBinding } from './binding.js';
import { fallback, type KernelArgs, type NativeKernel, offsetOf, onHeap, sizeOf, withOutput } from './wasmHeap.js';

interface MatMulAttrs {
  transposeA?: boolean;
  transposeB?: boolean;
  activation?: string;
  leakyreluAlpha?: number;
}

/** The batch shape of the output, or undefined unless one batch is broadcast whole or both are equal. */
function batchShape(outerA: number[], outerB: number[]): number[] | undefined {
  let shape: number[];
  try {
    shape = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
  } catch {
    return undefined;
  }
  const ba = sizeOf(outerA);
  const bb = sizeOf(outerB);
  const batch = sizeOf(shape);
  // Equal sizes that broadcast to a shape of that size differ only by 1s: the same row-major layout.
  if (ba === bb && ba === batch) return shape;
  if ((ba === 1 && bb === batch) || (bb === 1 && ba === batch)) return shape;
  return undefined;
}

/** A bias the addon can add: one value, or one per output column. */
function biasOk(bias: TensorInfo, n: number, outRank: number): boolean {
  if (bias.shape.length > outRank) return false;
  const size = sizeOf(bias.shape);
  return size === 1 || (size === n && bias.shape[bias.shape.length - 1] === n);
}

/**
 * BatchMatMul (`fused` false) or _FusedMatMul (bias, linear/relu/relu6/elu/leakyrelu/sigmoid) through OpenBLAS
 * sgemm on the operands in place, transposes as sgemm flags. Falls through for other dtypes, empty shapes,
 * partial batch broadcasts, PReLU and unusual biases.
 */
export function matMulKernel(binding: NativeBinding, previous: KernelFunc | undefined, fused: boolean): NativeKernel {
  const name = fused ? '_FusedMatMul' : 'BatchMatMul';
  const prev = fallback(name, previous);
  return (args: KernelArgs) => {
    const { a, b, bias, preluActivationWeights } = args.inputs;
    const attrs = (args.attrs ?? {}) as MatMulAttrs;
    const backend = args.backend;
    if (!a || !b || a.shape.length < 2 || b.shape.length < 2 || preluActivationWeights) return prev(args);
    if (!onHeap(backend, a, b, bias)) return prev(args);
    const act = fused ? activationCode(attrs.activation) : 0;
    if (act === undefined) return prev(args);
    const ra = a.shape.length;
    const rb = b.shape.length;
    const tA = attrs.transposeA === true;
    const tB = attrs.transposeB === true;
    const m = a.shape[tA ? ra - 1 : ra - 2]!;
    const k = a.shape[tA ? ra - 2 : ra - 1]!;
    const kb = b.shape[tB ? rb - 1 : rb - 2]!;
    const n = b.shape[tB ? rb - 2 : rb - 1]!;
    if (k !== kb || m === 0 || n === 0 || k === 0) return prev(args);
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    const outer = batchShape(outerA, outerB);
    if (!outer || sizeOf(outer) === 0) return prev(args);
    const outShape = [...outer, m, n];
    if (bias && !biasOk(bias, n, outShape.length)) return prev(args);
    const alpha = typeof attrs.leakyreluAlpha === 'number' ? attrs.leakyreluAlpha : 0.2;
    return withOutput(backend, outShape, (heap, out) =>
      binding.matmul(
        heap,
        offsetOf(backend, a),
        offsetOf(backend, b),
        out,
        sizeOf(outerA),
        sizeOf(outerB),
        m,
        n,
        k,
        tA ? 1 : 0,
        tB ? 1 : 0,
        bias ? offsetOf(backend, bias) : -1,
        bias ? sizeOf(bias.shape) : n,
        act,
        alpha,
      ),
    );
  };
}
