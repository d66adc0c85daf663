import { createRng } from '@drojs/dro-core';
import { describeBackends, expectDroError } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { checkerboardSplit, splitInputs } from './dual/split.js';
import { addNoise, fillNoise, toNoiseSpec } from './noise.js';

describe('noise samplers', () => {
  it('Gaussian noise through rng.fillNormal is bit-identical to the per-draw loop, odd lengths and spares included', () => {
    for (const [len, sigma, seed, warm] of [
      [1, 0.25, 1, 0],
      [7, 0.5, 2, 1],
      [1000, 1.7, 'x', 3],
    ] as const) {
      const a = createRng(seed);
      const b = createRng(seed);
      // Warm-up draws leave a cached Box–Muller spare on odd counts; both paths must consume it alike.
      for (let i = 0; i < warm; i++) {
        a.normal();
        b.normal();
      }
      const fast = new Float32Array(len);
      fillNoise(fast, { kind: 'gaussian', sigma }, a);
      const loop = Float32Array.from({ length: len }, () => sigma * b.normal());
      expect(Array.from(fast)).toEqual(Array.from(loop));
      expect(a.getState()).toEqual(b.getState());
    }
  });

  it("the 'polar' sampler is dro-core's fillNormalPolar stream; 'box-muller' is the default and normalises away", () => {
    const a = createRng('p');
    const b = createRng('p');
    const polar = new Float32Array(999);
    fillNoise(polar, toNoiseSpec({ kind: 'gaussian', sigma: 0.3, sampler: 'polar' }), a);
    const ref = new Float32Array(999);
    b.fillNormalPolar(ref, 0.3);
    expect(Array.from(polar)).toEqual(Array.from(ref));
    expect(a.getState()).toEqual(b.getState());
    expect(toNoiseSpec({ kind: 'gaussian', sigma: 0.3, sampler: 'polar' })).toEqual({
      kind: 'gaussian',
      sigma: 0.3,
      sampler: 'polar',
    });
    expect(toNoiseSpec({ kind: 'gaussian', sigma: 0.3, sampler: 'box-muller' })).toEqual({
      kind: 'gaussian',
      sigma: 0.3,
    });
    const boxMuller = new Float32Array(999);
    fillNoise(boxMuller, toNoiseSpec({ kind: 'gaussian', sigma: 0.3 }), createRng('p'));
    expect(Array.from(boxMuller)).not.toEqual(Array.from(polar));
  });

  it('rejects an unknown sampler, and a sampler on non-Gaussian noise, naming noise.sampler', () => {
    expectDroError(() => toNoiseSpec({ kind: 'gaussian', sigma: 1, sampler: 'ziggurat' }), 'E_SPEC', 'noise.sampler');
    expectDroError(() => toNoiseSpec({ kind: 'uniform', lambda: 1, sampler: 'polar' }), 'E_SPEC', 'noise.sampler');
  });

  it('have the right mean and variance (Gaussian σ², uniform λ²/3, Laplace 2λ²)', () => {
    const n = 200_000;
    for (const [spec, variance] of [
      [{ kind: 'gaussian', sigma: 0.5 }, 0.25],
      [{ kind: 'gaussian', sigma: 0.5, sampler: 'polar' }, 0.25],
      [{ kind: 'uniform', lambda: 0.5 }, 0.25 / 3],
      [{ kind: 'laplace', lambda: 0.5 }, 0.5],
    ] as const) {
      const buf = new Float32Array(n);
      fillNoise(buf, spec, createRng(1));
      let m = 0;
      let v = 0;
      for (const x of buf) m += x;
      m /= n;
      for (const x of buf) v += (x - m) ** 2;
      v /= n - 1;
      expect(Math.abs(m)).toBeLessThan(5 * Math.sqrt(variance / n));
      expect(Math.abs(v / variance - 1)).toBeLessThan(0.02);
    }
  });
  it('validates noise specs', () => {
    expect(toNoiseSpec(0.3)).toEqual({ kind: 'gaussian', sigma: 0.3 });
    expectDroError(() => toNoiseSpec({ kind: 'cauchy', sigma: 1 }), 'E_SPEC', 'noise.kind');
    expectDroError(() => toNoiseSpec({ kind: 'laplace', lambda: 0 }), 'E_SPEC', 'noise.lambda');
    expectDroError(() => toNoiseSpec(Number.POSITIVE_INFINITY), 'E_NONFINITE', 'noise');
  });
});

describeBackends('tensor helpers', ['cpu', 'wasm'], () => {
  it('addNoise and splitInputs add exactly the tensors they return; addNoise draws fresh noise', () => {
    const x = tf.zeros([2, 4, 1]);
    const rng = createRng(2);
    const nt = tf.memory().numTensors;
    const a = addNoise(x, 0.5, rng);
    const b = addNoise(x, 0.5, rng);
    expect(tf.memory().numTensors).toBe(nt + 2);
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(b.dataSync()));
    const s = splitInputs(checkerboardSplit(2, 4), x);
    expect(tf.memory().numTensors).toBe(nt + 4);
    expect(s.left.shape).toEqual([2, 2, 1]);
    tf.dispose([a, b, s.left, s.right]);
    const xi = tf.zeros([2], 'int32');
    expectDroError(() => addNoise(xi, 0.5, rng), 'E_DTYPE', 'x');
    expectDroError(() => splitInputs(checkerboardSplit(2, 4), tf.zeros([2, 2])), 'E_SHAPE', 'x');
    tf.dispose([x, xi]);
  });
});
