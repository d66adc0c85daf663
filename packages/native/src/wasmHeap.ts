import type { DataType, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/** The part of tfjs's `BackendWasm` the kernels touch. */
export interface WasmBackendLike {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  wasm: { HEAPU8: Uint8Array };
}

export type KernelInputs = Record<string, TensorInfo | undefined>;
export interface KernelArgs {
  inputs: KernelInputs;
  backend: WasmBackendLike;
  attrs?: NamedAttrMap;
}
export type NativeKernel = (args: KernelArgs) => TensorInfo | TensorInfo[];

/** Wraps the previously registered kernel; without one, an unsupported case is an error naming the kernel. */
export function fallback(name: string, previous: KernelFunc | undefined): NativeKernel {
  if (previous) return previous as unknown as NativeKernel;
  return () => {
    throw new Error(`@drojs/native: ${name} configuration not supported and no previous wasm kernel to fall back on`);
  };
}

/** Byte offset of a tensor's data in the wasm heap, or -1 when the tensor has none there. */
export function offsetOf(backend: WasmBackendLike, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)?.memoryOffset ?? -1;
}

/**
 * The heap as it is now. Take it after every `makeOutput`: malloc may grow the wasm memory, which detaches the
 * previous ArrayBuffer. A shared (threaded) heap is not an ArrayBuffer and is reported as undefined.
 */
export function heapOf(backend: WasmBackendLike): ArrayBuffer | undefined {
  const buffer = backend.wasm.HEAPU8.buffer;
  return buffer instanceof ArrayBuffer ? buffer : undefined;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

// Counts kernel invocations that ran natively (tests assert which cases run natively and which fall through).
const CALLS = Symbol.for('@drojs/native/calls');

/** How many kernel calls ran in the native code so far in this process. @internal */
export function nativeCallCount(): number {
  return (globalThis as unknown as Record<symbol, number | undefined>)[CALLS] ?? 0;
}

/**
 * Allocates the output, takes the heap afterwards and runs `fill` on it; on any failure the output is freed and
 * the error rethrown (the kernels only call this once every input has been checked).
 */
export function withOutput(
  backend: WasmBackendLike,
  shape: number[],
  fill: (heap: ArrayBuffer, outOffset: number) => void,
): TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  try {
    const heap = heapOf(backend);
    const offset = offsetOf(backend, out);
    if (!heap || offset < 0) throw new Error('@drojs/native: the wasm output allocation is not on an ArrayBuffer heap');
    fill(heap, offset);
    const g = globalThis as unknown as Record<symbol, number | undefined>;
    g[CALLS] = (g[CALLS] ?? 0) + 1;
    return out;
  } catch (e) {
    backend.disposeData(out.dataId, true);
    throw e;
  }
}

/** True when every tensor is float32 with its data on the (non-shared) heap. */
export function onHeap(backend: WasmBackendLike, ...ts: (TensorInfo | undefined)[]): boolean {
  if (!heapOf(backend)) return false;
  for (const t of ts) if (t && (t.dtype !== 'float32' || offsetOf(backend, t) < 0)) return false;
  return true;
}
