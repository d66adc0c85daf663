// Test fixtures: seeded random MLPs, their tfjs twins, and a float64 host re-implementation of the LinEAS
// loss (forward with maps, per-neuron exact W2 through dro-core's w2Squared1d) for finite differences.
import { createRng, w2Squared1d } from '@drojs/dro-core/host';
import * as tf from '@tensorflow/tfjs-core';
import { mlpFromWeights } from '../conformance/mlp.js';

export interface Net {
  weights: number[][][];
  biases: number[][];
}

/** A random dense ReLU network of the given sizes (input, hidden…, output), Glorot-like scale. */
export function randomNet(seed: string, sizes: number[]): Net {
  const rng = createRng(seed);
  const weights: number[][][] = [];
  const biases: number[][] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [nIn, nOut] = [sizes[l]!, sizes[l + 1]!];
    const s = Math.sqrt(2 / nIn);
    weights.push(Array.from({ length: nIn }, () => Array.from({ length: nOut }, () => s * rng.normal())));
    biases.push(Array.from({ length: nOut }, () => 0.1 * rng.normal()));
  }
  return { weights, biases };
}

export function randomRows(seed: string, n: number, d: number, shift = 0): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal() + shift));
}

export const modelOf = (net: Net) => mlpFromWeights(net.weights, net.biases);

/** The same network as a hooked function (hook numbers = hidden layer indices). */
export function hookedOf(net: Net) {
  return (x: tf.Tensor, hook: (layer: number, h: tf.Tensor) => tf.Tensor): tf.Tensor => {
    let h = x;
    net.weights.forEach((w, l) => {
      h = tf.add(tf.matMul(h, tf.tensor2d(w)), tf.tensor1d(net.biases[l]!));
      if (l < net.weights.length - 1) h = tf.relu(h);
      h = hook(l, h);
    });
    return h;
  };
}

/** Host forward: activations at `layers` with maps (`omega`, `bias` per map layer) active when given. */
export function hostActivations(
  net: Net,
  x: number[][],
  layers: number[],
  maps?: { omega: number[][]; bias: number[][] },
): number[][][] {
  const out: number[][][] = [];
  let h = x.map((r) => [...r]);
  net.weights.forEach((w, l) => {
    h = h.map((row) =>
      w[0]!.map((_, j) => {
        let a = net.biases[l]![j]!;
        for (let i = 0; i < row.length; i++) a += row[i]! * w[i]![j]!;
        return l < net.weights.length - 1 ? Math.max(a, 0) : a;
      }),
    );
    const k = layers.indexOf(l);
    if (k >= 0) {
      if (maps) h = h.map((row) => row.map((v, j) => maps.omega[k]![j]! * v + maps.bias[k]![j]!));
      out.push(h);
    }
  });
  return out;
}

/** Float64 LinEAS loss (mean over neurons, mean or sum over layers). */
export function hostLoss(
  net: Net,
  xs: number[][],
  xt: number[][],
  layers: number[],
  maps: { omega: number[][]; bias: number[][] },
  layerReduction: 'mean' | 'sum' = 'mean',
): number {
  const z = hostActivations(net, xs, layers, maps);
  const t = hostActivations(net, xt, layers);
  const terms = layers.map((_, k) => {
    const d = z[k]![0]!.length;
    let s = 0;
    for (let j = 0; j < d; j++) {
      s += w2Squared1d(
        z[k]!.map((r) => r[j]!),
        t[k]!.map((r) => r[j]!),
      ).value;
    }
    return s / d;
  });
  const sum = terms.reduce((a, b) => a + b, 0);
  return layerReduction === 'sum' ? sum : sum / layers.length;
}
