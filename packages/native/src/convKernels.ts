import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { activationCode } from './activation.js';
import type { NativeBinding } from './binding.js';
import { fallback, type KernelArgs, type NativeKernel, offsetOf, onHeap, sizeOf, withOutput } from './wasmHeap.js';

type Conv2DInfo = tf.backend_util.Conv2DInfo;
type Pad = Parameters<typeof tf.backend_util.computeConv2DInfo>[4];
type Rounding = Parameters<typeof tf.backend_util.computeConv2DInfo>[5];

interface ConvAttrs {
  strides?: number | [number, number];
  pad?: Pad;
  dataFormat?: string;
  dilations?: number | [number, number];
  dimRoundingMode?: Rounding;
  activation?: string;
  leakyreluAlpha?: number;
  inputShape?: number[];
  filterShape?: number[];
}

/** tfjs's own geometry (padding resolved as on every backend), or undefined for what the addon does not do. */
function geometry(
  inShape: readonly number[] | undefined,
  filterShape: readonly number[] | undefined,
  attrs: ConvAttrs,
  withDilations: boolean,
): Conv2DInfo | undefined {
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC' || inShape?.length !== 4 || filterShape?.length !== 4) return undefined;
  // Grouped / depthwise shapes (filter in-channels ≠ input channels) are left to the previous kernel.
  if (filterShape[2] !== inShape[3]) return undefined;
  let info: Conv2DInfo;
  try {
    info = tf.backend_util.computeConv2DInfo(
      inShape as [number, number, number, number],
      filterShape as [number, number, number, number],
      attrs.strides ?? 1,
      withDilations ? (attrs.dilations ?? 1) : 1,
      attrs.pad ?? 'valid',
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
  } catch {
    return undefined;
  }
  const p = info.padInfo;
  if (p.top < 0 || p.left < 0 || sizeOf(info.outShape) === 0 || sizeOf(inShape) === 0) return undefined;
  if (sizeOf(filterShape) === 0) return undefined;
  return info;
}

function geometryArgs(c: Conv2DInfo): number[] {
  return [
    c.batchSize,
    c.inHeight,
    c.inWidth,
    c.inChannels,
    c.filterHeight,
    c.filterWidth,
    c.outChannels,
    c.strideHeight,
    c.strideWidth,
    c.dilationHeight,
    c.dilationWidth,
    c.padInfo.top,
    c.padInfo.left,
    c.outHeight,
    c.outWidth,
  ];
}

function sameShape(t: TensorInfo, shape: readonly number[]): boolean {
  return t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]);
}

/**
 * Conv2D (`fused` false) or FusedConv2D (bias, linear/relu/relu6/elu/leakyrelu/sigmoid): NHWC, any stride,
 * padding and dilation, as im2col in ~1 MiB chunks + sgemm. NCHW, grouped filters and PReLU fall through.
 */
export function conv2dKernel(binding: NativeBinding, previous: KernelFunc | undefined, fused: boolean): NativeKernel {
  const prev = fallback(fused ? 'FusedConv2D' : 'Conv2D', previous);
  return (args: KernelArgs) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs;
    const attrs = (args.attrs ?? {}) as ConvAttrs;
    const backend = args.backend;
    if (!x || !filter || preluActivationWeights || !onHeap(backend, x, filter, bias)) return prev(args);
    const act = fused ? activationCode(attrs.activation) : 0;
    const info = geometry(x.shape, filter.shape, attrs, true);
    if (act === undefined || !info) return prev(args);
    let biasLength = info.outChannels;
    if (bias) {
      biasLength = sizeOf(bias.shape);
      const lastOk = bias.shape[bias.shape.length - 1] === info.outChannels;
      if (bias.shape.length > 4 || !(biasLength === 1 || (biasLength === info.outChannels && lastOk))) {
        return prev(args);
      }
    }
    const alpha = typeof attrs.leakyreluAlpha === 'number' ? attrs.leakyreluAlpha : 0.2;
    return withOutput(backend, [...info.outShape], (heap, out) =>
      binding.conv2d(
        heap,
        offsetOf(backend, x),
        offsetOf(backend, filter),
        out,
        ...geometryArgs(info),
        bias ? offsetOf(backend, bias) : -1,
        biasLength,
        act,
        alpha,
      ),
    );
  };
}

/** Conv2DBackpropInput (the gradient of Conv2D for its input), NHWC: sgemm against the filter, then col2im. */
export function conv2dBackpropInputKernel(binding: NativeBinding, previous: KernelFunc | undefined): NativeKernel {
  const prev = fallback('Conv2DBackpropInput', previous);
  return (args: KernelArgs) => {
    const { dy, filter } = args.inputs;
    const attrs = (args.attrs ?? {}) as ConvAttrs;
    const backend = args.backend;
    if (!dy || !filter || !onHeap(backend, dy, filter)) return prev(args);
    const info = geometry(attrs.inputShape, filter.shape, attrs, false);
    if (!info || !sameShape(dy, info.outShape)) return prev(args);
    return withOutput(backend, [...info.inShape], (heap, out) =>
      binding.conv2dBackpropInput(heap, offsetOf(backend, dy), offsetOf(backend, filter), out, ...geometryArgs(info)),
    );
  };
}

/** Conv2DBackpropFilter (the gradient of Conv2D for its filter), NHWC: im2col chunks, sgemm accumulated. */
export function conv2dBackpropFilterKernel(binding: NativeBinding, previous: KernelFunc | undefined): NativeKernel {
  const prev = fallback('Conv2DBackpropFilter', previous);
  return (args: KernelArgs) => {
    const { x, dy } = args.inputs;
    const attrs = (args.attrs ?? {}) as ConvAttrs;
    const backend = args.backend;
    if (!x || !dy || !onHeap(backend, x, dy)) return prev(args);
    const info = geometry(x.shape, attrs.filterShape, attrs, false);
    if (!info || !sameShape(dy, info.outShape)) return prev(args);
    return withOutput(backend, [...(attrs.filterShape as number[])], (heap, out) =>
      binding.conv2dBackpropFilter(heap, offsetOf(backend, x), offsetOf(backend, dy), out, ...geometryArgs(info)),
    );
  };
}
