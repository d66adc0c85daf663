import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** A network in the vectors' JSON format (spec §11.2). */
export interface JsonNet {
  inputShape: number[];
  layers: {
    type: 'conv2d' | 'avgPool2d' | 'flatten' | 'dense';
    filters?: number;
    kernelSize?: [number, number];
    padding?: 'same' | 'valid';
    activation?: 'tanh' | 'relu' | 'linear';
    kernel?: unknown;
    bias?: number[];
    poolSize?: [number, number];
    units?: number;
  }[];
}

/** Builds a tfjs-layers sequential model with the given weights (the caller disposes it). */
export function buildNet(spec: JsonNet): tfl.Sequential {
  const model = tfl.sequential();
  const weights: tf.Tensor[] = [];
  spec.layers.forEach((l, i) => {
    const first = i === 0 ? { inputShape: spec.inputShape } : {};
    if (l.type === 'conv2d') {
      model.add(
        tfl.layers.conv2d({
          ...first,
          filters: l.filters!,
          kernelSize: l.kernelSize!,
          padding: l.padding ?? 'valid',
          activation: l.activation ?? 'linear',
        }),
      );
      weights.push(tf.tensor(l.kernel as number[]), tf.tensor(l.bias!));
    } else if (l.type === 'avgPool2d') {
      model.add(
        tfl.layers.averagePooling2d({ ...first, poolSize: l.poolSize!, strides: l.poolSize!, padding: 'valid' }),
      );
    } else if (l.type === 'flatten') {
      model.add(tfl.layers.flatten(first));
    } else if (l.type === 'dense') {
      model.add(tfl.layers.dense({ ...first, units: l.units!, activation: l.activation ?? 'linear' }));
      weights.push(tf.tensor(l.kernel as number[]), tf.tensor(l.bias!));
    } else {
      throw new Error(`unknown layer type ${String((l as { type: unknown }).type)}`);
    }
  });
  model.setWeights(weights);
  for (const w of weights) w.dispose();
  return model;
}

/** Builds every network in `input` under `keys` (null stays null); `dispose` frees them. */
export function buildNets(
  input: Record<string, unknown>,
  keys: string[],
): { nets: Record<string, tfl.Sequential | null>; dispose(): void } {
  const nets: Record<string, tfl.Sequential | null> = {};
  for (const k of keys) {
    const v = input[k];
    if (v !== undefined) nets[k] = v === null ? null : buildNet(v as JsonNet);
  }
  return {
    nets,
    dispose() {
      for (const n of Object.values(nets)) n?.dispose();
    },
  };
}

/** JSON nulls in numeric inputs are NaN (error cases). */
export function nullToNaN(v: unknown): unknown {
  if (v === null) return Number.NaN;
  if (Array.isArray(v)) return v.map(nullToNaN);
  return v;
}

/** Tensors and typed arrays as plain JSON values for comparison. */
export function plain(v: unknown): unknown {
  if (v instanceof tf.Tensor) return v.arraySync();
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** Reshapes a flat row-major array into nested rows. */
export function nest(flat: ArrayLike<number>, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => flat[r * cols + c]!));
}
