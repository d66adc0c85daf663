/**
 * A leading-axis Sum for the wasm backend. tfjs-backend-wasm reduces only the innermost axes, so a Sum over
 * axis 0 (every bias gradient, every column total) first transposes the whole input; for a contiguous
 * row-major tensor the leading-axis sum is a column sum that reads the input once, in order.
 */

import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** The part of tfjs's `BackendWasm` this kernel touches. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
}

type SumArgs = {
  inputs: Record<string, TensorInfo | undefined> | TensorInfo[];
  backend: unknown;
  attrs?: NamedAttrMap;
};
type SumFunc = (args: SumArgs) => TensorInfo | TensorInfo[];

/**
 * The number of leading axes `axis` names when they are exactly 0..m−1 of a rank-`rank` tensor with
 * 1 ≤ m < rank; 0 otherwise (the stock kernel's case: innermost axes, all axes, or a gap).
 */
export function leadingAxes(axis: unknown, rank: number): number {
  const list = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? axis : null;
  if (list === null || list.length === 0 || list.length >= rank) return 0;
  const seen = new Set<number>();
  for (const a of list) {
    if (typeof a !== 'number' || !Number.isInteger(a) || a < -rank || a >= rank) return 0;
    seen.add(a < 0 ? a + rank : a);
  }
  if (seen.size !== list.length) return 0;
  for (let i = 0; i < seen.size; i++) if (!seen.has(i)) return 0;
  return seen.size;
}

/**
 * Column sums of an int32 [lead, rest] row-major block read straight from the wasm heap: summed in float64
 * (exact below 2⁵³), then wrapped to int32 as the stock kernel's int32 accumulator would.
 */
function int32ColumnSums(heap: ArrayBuffer, inOffset: number, outOffset: number, lead: number, rest: number): void {
  const acc = new Float64Array(rest);
  const src = new Int32Array(heap, inOffset, lead * rest);
  for (let i = 0; i < lead; i++) {
    const row = i * rest;
    for (let j = 0; j < rest; j++) acc[j] = (acc[j] as number) + (src[row + j] as number);
  }
  const out = new Int32Array(heap, outOffset, rest);
  for (let j = 0; j < rest; j++) out[j] = (acc[j] as number) | 0;
}

/**
 * Float32 column sums as one matmul: ones[1, lead] · x[lead, rest] through the wasm registry's BatchMatMul
 * (XNNPACK, or whatever kernel is registered over it), with `x` viewed as [1, lead, rest] without a copy.
 */
function float32ColumnSums(backend: WasmHeapBackend, x: TensorInfo, lead: number, rest: number): TensorInfo {
  const ones = backend.makeOutput([1, 1, lead], 'float32');
  const data = backend.dataIdMap.get(ones.dataId)!;
  new Float32Array(backend.wasm.HEAPU8.buffer, data.memoryOffset, lead).fill(1);
  try {
    const matMul = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc as unknown as SumFunc;
    const view: TensorInfo = { dataId: x.dataId, shape: [1, lead, rest], dtype: 'float32' };
    const out = matMul({ inputs: { a: ones, b: view }, backend, attrs: { transposeA: false, transposeB: false } });
    return Array.isArray(out) ? out[0]! : out;
  } finally {
    backend.disposeData(ones.dataId);
  }
}

/**
 * Wraps the wasm Sum kernel: float32/int32 sums over leading axes 0..m−1 (m < rank) of a non-empty tensor
 * become one in-order pass over the heap; every other call goes to `original` unchanged.
 */
export function leadingAxisSum(original: SumFunc): SumFunc {
  return (args) => {
    const x = Array.isArray(args.inputs) ? args.inputs[0] : args.inputs.x;
    const attrs = (args.attrs ?? {}) as { axis?: unknown; keepDims?: boolean };
    if (!x || (x.dtype !== 'float32' && x.dtype !== 'int32')) return original(args);
    const m = leadingAxes(attrs.axis, x.shape.length);
    const size = tf.util.sizeFromShape(x.shape);
    if (m === 0 || size === 0) return original(args);
    const backend = args.backend as WasmHeapBackend;
    const inData = backend.dataIdMap.get(x.dataId);
    if (!inData) return original(args);
    const lead = tf.util.sizeFromShape(x.shape.slice(0, m));
    const restShape = x.shape.slice(m);
    const rest = size / lead;
    const outShape = attrs.keepDims ? [...new Array<number>(m).fill(1), ...restShape] : restShape;
    if (x.dtype === 'float32') {
      const out = float32ColumnSums(backend, x, lead, rest);
      // The matmul's [1, 1, rest] buffer is the result; only its shape changes (as wasm's own Sum does for keepDims).
      return { dataId: out.dataId, shape: outShape, dtype: 'float32' };
    }
    const out = backend.makeOutput(outShape, 'int32');
    const outData = backend.dataIdMap.get(out.dataId)!;
    // Read the heap only now: makeOutput may have grown the wasm memory and detached the old buffer.
    int32ColumnSums(backend.wasm.HEAPU8.buffer as ArrayBuffer, inData.memoryOffset, outData.memoryOffset, lead, rest);
    return out;
  };
}
