import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { randomNormal } from './randomTensors.js';
import { createRng, Rng } from './rng.js';
import { normalCdf } from './stats.js';
import { expectDroError } from './testing/index.js';

describe('Rng (xoshiro128**)', () => {
  it('same seed → same stream; different seeds and string seeds differ', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 20 }, () => a.u32());
    expect(Array.from({ length: 20 }, () => b.u32())).toEqual(xs);
    expect(createRng(43).u32()).not.toBe(xs[0]);
    expect(createRng('42').u32()).not.toBe(xs[0]);
    expect(createRng(2 ** 40 + 5).u32()).not.toBe(createRng(5).u32());
  });
  it('fork does not advance the parent; labels give distinct, reproducible streams', () => {
    const r = createRng(1);
    const before = r.getState();
    const f1 = r.fork('selection');
    const f2 = r.fork('estimation');
    expect(r.getState()).toEqual(before);
    const s1 = Array.from({ length: 8 }, () => f1.u32());
    const s2 = Array.from({ length: 8 }, () => f2.u32());
    expect(s1).not.toEqual(s2);
    expect(Array.from({ length: 8 }, () => createRng(1).fork('selection').u32()).slice(0, 1)).toEqual(s1.slice(0, 1));
  });
  it('getState/fromState mid-stream (with a cached Box–Muller spare) continues exactly', () => {
    const r = createRng('state');
    for (let i = 0; i < 5; i++) r.uniform();
    r.normal(); // leaves a spare
    const s = JSON.parse(JSON.stringify(r.getState()));
    expect(s.spare).not.toBeNull();
    const c = Rng.fromState(s);
    const next = [r.normal(), r.normal(), r.uniform(), r.int(7)];
    expect([c.normal(), c.normal(), c.uniform(), c.int(7)]).toEqual(next);
  });
  it('uniform is in [0,1) and normal has the right moments', () => {
    const r = createRng(9);
    let s = 0;
    let s2 = 0;
    const N = 20000;
    for (let i = 0; i < N; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / N)).toBeLessThan(0.03);
    expect(Math.abs(s2 / N - 1)).toBeLessThan(0.04);
  });
  it('int(n) shows no modulo bias (chi-square test, fixed seed)', () => {
    // n = 3·2^30 makes a modulo reduction visibly biased (the low third twice as likely).
    const n = 3 * 2 ** 30;
    const r = createRng(123);
    const bins = [0, 0, 0];
    const N = 30000;
    for (let i = 0; i < N; i++) bins[Math.floor(r.int(n) / 2 ** 30)]!++;
    const chi2 = bins.reduce((a, c) => a + (c - N / 3) ** 2 / (N / 3), 0);
    expect(chi2).toBeLessThan(13.8); // 99.9% quantile of χ²(2)
  });
  it('shuffle is a permutation; choice gives k distinct indices', () => {
    const r = createRng(5);
    const a = r.shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const c = r.choice(100, 30);
    expect(new Set(c).size).toBe(30);
    expectDroError(() => r.choice(3, 4), 'E_SPEC', 'k');
  });
  it('rejects bad seeds and malformed or foreign states', () => {
    expectDroError(() => createRng(-1), 'E_SPEC', 'seed');
    expectDroError(() => createRng(1.5), 'E_SPEC', 'seed');
    const s = createRng(1).getState();
    expectDroError(() => Rng.fromState({ ...s, version: 2 } as never), 'E_STATE_VERSION');
    expectDroError(() => Rng.fromState({ ...s, kind: 'other' } as never), 'E_STATE_VERSION');
    expectDroError(() => Rng.fromState({ ...s, state: [0, 0, 0, 0] }), 'E_STATE_VERSION');
    const r = createRng(3);
    const st = r.getState();
    expect(() => r.setState({ ...st, state: [1, 2] } as never)).toThrow();
    expect(r.getState()).toEqual(st);
  });
  it('randomNormal is host-generated and backend-independent', async () => {
    await initBackend({ backend: 'cpu' });
    const t = randomNormal([2, 3], createRng(4), { mean: 1, std: 2 });
    const r = createRng(4);
    expect(Array.from(t.dataSync())).toEqual(Array.from(Float32Array.from({ length: 6 }, () => 1 + 2 * r.normal())));
    t.dispose();
    expect(tf.memory().numTensors).toBe(0);
  });
});

/**
 * Two generators from `seed`, both advanced by `pre` normal() calls (so a spare may be pending); then one
 * fills n float32 values at `scale` and the other draws n normal() calls: values and states must agree.
 */
function expectFillMatchesNormals(seed: string, n: number, scale: number, pre: number): [Rng, Rng] {
  const a = createRng(seed);
  const b = createRng(seed);
  for (let i = 0; i < pre; i++) expect(a.normal()).toBe(b.normal());
  const f32 = new Float32Array(n);
  a.fillNormal(f32, scale);
  expect(f32).toEqual(Float32Array.from({ length: n }, () => scale * b.normal()));
  expect(a.getState()).toEqual(b.getState());
  return [a, b];
}

describe('Rng.fillNormal', () => {
  it('is exactly the stream of repeated normal() calls, spare included, for odd and even lengths', () => {
    for (const [n, scale, pre] of [
      [1, 1, 0],
      [7, 0.25, 1],
      [1000, 3, 0],
      [999, 1.5, 3],
    ] as const) {
      const [a, b] = expectFillMatchesNormals(`fill-${n}`, n, scale, pre);
      const f64 = new Float64Array(5);
      a.fillNormal(f64);
      expect(Array.from(f64)).toEqual(Array.from({ length: 5 }, () => b.normal()));
    }
  });
});

describe('Rng.fillNormal with @drojs/native registered', () => {
  it('runs natively exactly when the native kernels loaded, and stays the same stream bit for bit', async () => {
    const info = await initBackend({ backend: 'wasm', native: true });
    const hook = (globalThis as unknown as Record<symbol, unknown>)[Symbol.for('@drojs/native/fillNormal')];
    expect(typeof hook === 'function').toBe(info.native.loaded);
    for (const [n, scale, pre] of [
      [100_001, 1, 1],
      [16, 0.5, 0],
      [4097, 2, 3],
    ] as const) {
      expectFillMatchesNormals(`native-${n}`, n, scale, pre);
    }
    const off = await initBackend({ backend: 'wasm', native: false });
    expect(off.native.loaded).toBe(false);
    expect((globalThis as unknown as Record<symbol, unknown>)[Symbol.for('@drojs/native/fillNormal')]).toBeUndefined();
  });
});

describe('Rng.fillNormalPolar', () => {
  /** The polar method written plainly on uniform(): the reference the fast loop must match bit for bit. */
  function polarReference(r: Rng, n: number, scale: number): number[] {
    const out: number[] = [];
    while (out.length < n) {
      const u = 2 * r.uniform() - 1;
      const v = 2 * r.uniform() - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) continue;
      const f = scale * Math.sqrt((-2 * Math.log(s)) / s);
      out.push(u * f);
      if (out.length < n) out.push(v * f);
    }
    return out;
  }

  it('is exactly the polar method on uniform(), whole pairs per call, the Box–Muller spare untouched', () => {
    for (const [n, scale, spare] of [
      [1, 1, false],
      [8, 0.25, false],
      [999, 3, true],
      [1000, 1.5, true],
    ] as const) {
      const a = createRng(`polar-${n}`);
      const b = createRng(`polar-${n}`);
      if (spare) {
        expect(a.normal()).toBe(b.normal()); // leaves a Box–Muller spare in both
      }
      const f64 = new Float64Array(n);
      a.fillNormalPolar(f64, scale);
      expect(Array.from(f64)).toEqual(polarReference(b, n, scale));
      expect(a.getState()).toEqual(b.getState());
      const f32 = new Float32Array(n);
      a.fillNormalPolar(f32, scale);
      expect(f32).toEqual(Float32Array.from(polarReference(b, n, scale)));
      // The spare (when there was one) is still the next normal().
      expect(a.normal()).toBe(b.normal());
    }
  });

  it('differs from the Box–Muller stream of the same seed', () => {
    const x = new Float64Array(4);
    const y = new Float64Array(4);
    createRng(7).fillNormal(x);
    createRng(7).fillNormalPolar(y);
    expect(Array.from(x)).not.toEqual(Array.from(y));
  });

  it('draws standard normals: KS distance, mean, variance and tails of 200 000 draws', () => {
    const n = 200_000;
    const x = new Float64Array(n);
    createRng('polar-ks').fillNormalPolar(x);
    const sorted = Array.from(x).sort((p, q) => p - q);
    let ks = 0;
    for (let i = 0; i < n; i++) {
      const c = normalCdf(sorted[i]!);
      ks = Math.max(ks, Math.abs(c - i / n), Math.abs((i + 1) / n - c));
    }
    expect(ks).toBeLessThan(1.63 / Math.sqrt(n)); // the 1 % critical value
    const mean = x.reduce((acc, v) => acc + v, 0) / n;
    const variance = x.reduce((acc, v) => acc + (v - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    const beyond3 = x.filter((v) => Math.abs(v) > 3).length / n;
    expect(Math.abs(beyond3 - 2 * (1 - normalCdf(3)))).toBeLessThan(0.0008);
  });
});
