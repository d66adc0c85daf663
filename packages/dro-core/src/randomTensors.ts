import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from './rng.js';

/** Float32 tensor of normal draws generated on the host (backend-independent). */
export function randomNormal(shape: number[], rng: Rng, opts: { mean?: number; std?: number } = {}): tf.Tensor {
  const { mean = 0, std = 1 } = opts;
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = mean + std * rng.normal();
  return tf.tensor(v, shape, 'float32');
}

/** Float32 tensor of uniform draws in [min, max) generated on the host. */
export function randomUniform(shape: number[], rng: Rng, opts: { min?: number; max?: number } = {}): tf.Tensor {
  const { min = 0, max = 1 } = opts;
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = min + (max - min) * rng.uniform();
  return tf.tensor(v, shape, 'float32');
}
