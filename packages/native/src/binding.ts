/** The version of the addon's entry points this TypeScript layer speaks (csrc/addon.c `DROJS_NATIVE_ABI`). */
export const NATIVE_ABI = 1;

/**
 * The N-API addon. Every kernel takes the wasm heap and byte offsets into it; the addon checks each extent
 * against the heap and throws (a RangeError with code `E_NATIVE`) rather than touch memory outside it.
 * @internal
 */
export interface NativeBinding {
  matmul(
    heap: ArrayBuffer,
    aOffset: number,
    bOffset: number,
    outOffset: number,
    batchA: number,
    batchB: number,
    m: number,
    n: number,
    k: number,
    transposeA: number,
    transposeB: number,
    biasOffset: number,
    biasLength: number,
    activation: number,
    alpha: number,
  ): void;
  /** `geometry`: n h w c fh fw co strideH strideW dilationH dilationW padTop padLeft outH outW (15 values). */
  conv2d(heap: ArrayBuffer, xOffset: number, wOffset: number, yOffset: number, ...rest: number[]): void;
  conv2dBackpropInput(heap: ArrayBuffer, dyOffset: number, wOffset: number, dxOffset: number, ...g: number[]): void;
  conv2dBackpropFilter(heap: ArrayBuffer, xOffset: number, dyOffset: number, dwOffset: number, ...g: number[]): void;
  binary(
    heap: ArrayBuffer,
    op: number,
    blockLength: number,
    blocks: number,
    aOffset: number,
    aMode: number,
    bOffset: number,
    bMode: number,
    outOffset: number,
  ): void;
  sum(heap: ArrayBuffer, xOffset: number, outer: number, inner: number, leading: number, outOffset: number): void;
  setThreads(n: number): void;
  info(): { abi: number; blas: string; core: string; threads: number };
}
