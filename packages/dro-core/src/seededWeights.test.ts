import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';
import { seededWeights } from './seededWeights.js';
import { expectDroError } from './testing/index.js';

const MLP = [[20, 8], [8], [8, 3], [3]];

describe('seededWeights', () => {
  it('the same seed gives identical weights; different seeds differ', () => {
    const a = seededWeights(MLP, 7);
    const b = seededWeights(MLP, 7);
    const c = seededWeights(MLP, 8);
    const s = seededWeights(MLP, 'run/init');
    expect(a.map((w) => Array.from(w))).toEqual(b.map((w) => Array.from(w)));
    for (const other of [c, s]) for (let i = 0; i < a.length; i++) expect(other[i]).not.toEqual(a[i]);
  });

  it('a seed and an Rng created from it draw the same stream; an Rng is advanced by every draw', () => {
    const rng = createRng(11);
    const fromRng = seededWeights(MLP, rng);
    expect(fromRng.map((w) => Array.from(w))).toEqual(seededWeights(MLP, 11).map((w) => Array.from(w)));
    const fresh = createRng(11);
    for (let i = 0; i < 20 * 8 + 8 + 8 * 3 + 3; i++) fresh.uniform();
    expect(rng.uniform()).toBe(fresh.uniform());
  });

  it("reproduces the examples' hand-written PyTorch-style draw: kernel then bias, row-major, (2u − 1)/√fan_in", () => {
    const rng = createRng(3);
    const want: number[][] = [];
    for (const [fanIn, fanOut] of [
      [20, 8],
      [8, 3],
    ] as const) {
      const b = 1 / Math.sqrt(fanIn);
      want.push(Array.from(Float32Array.from({ length: fanIn * fanOut }, () => (2 * rng.uniform() - 1) * b)));
      want.push(Array.from(Float32Array.from({ length: fanOut }, () => (2 * rng.uniform() - 1) * b)));
    }
    expect(seededWeights(MLP, 3).map((w) => Array.from(w))).toEqual(want);
  });

  it('bounds follow the scheme: fan-in (biases use the kernel before), Glorot with zero biases, conv fans', () => {
    // conv kernel [3, 3, 4, 16]: fan_in 36, fan_out 144; dense [64, 10].
    const shapes = [[3, 3, 4, 16], [16], [64, 10], [10]];
    const maxAbs = (w: Float32Array) => w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const f = seededWeights(shapes, 1);
    const fanInBounds = [1 / 6, 1 / 6, 1 / 8, 1 / 8];
    f.forEach((w, i) => {
      expect(maxAbs(w)).toBeLessThanOrEqual(Math.fround(fanInBounds[i] as number));
      expect(maxAbs(w)).toBeGreaterThan(0.5 * (fanInBounds[i] as number));
    });
    const g = seededWeights(shapes, 1, { scheme: 'glorot-uniform' });
    const glorot = [Math.sqrt(6 / (36 + 144)), Math.sqrt(6 / 74)];
    expect(maxAbs(g[0] as Float32Array)).toBeLessThanOrEqual(Math.fround(glorot[0] as number));
    expect(maxAbs(g[0] as Float32Array)).toBeGreaterThan(0.9 * (glorot[0] as number));
    expect(maxAbs(g[2] as Float32Array)).toBeGreaterThan(0.9 * (glorot[1] as number));
    expect(Array.from(g[1] as Float32Array).every((v) => v === 0)).toBe(true);
    expect(Array.from(g[3] as Float32Array).every((v) => v === 0)).toBe(true);
    // Zero biases draw nothing: the second kernel follows the first in the stream.
    const kernelsOnly = seededWeights(
      [
        [3, 3, 4, 16],
        [64, 10],
      ],
      1,
      { scheme: 'glorot-uniform' },
    );
    expect(Array.from(g[2] as Float32Array)).toEqual(Array.from(kernelsOnly[1] as Float32Array));
  });

  it('rejects a leading bias, bad dimensions, bad seeds and unknown or bad options by name', () => {
    expectDroError(() => seededWeights([[4], [4, 2]], 0), 'E_SHAPE', 'shapes[0]');
    expectDroError(() => seededWeights([[4, 0]], 0), 'E_SHAPE', 'shapes[0]');
    expectDroError(() => seededWeights([[4, 2], [2.5]], 0), 'E_SHAPE', 'shapes[1]');
    expectDroError(() => seededWeights('x' as never, 0), 'E_SHAPE', 'shapes');
    expectDroError(() => seededWeights(MLP, -1), 'E_SPEC', 'source');
    expectDroError(() => seededWeights(MLP, 0, { schema: 'glorot-uniform' } as never), 'E_SPEC', 'schema');
    expectDroError(() => seededWeights(MLP, 0, { scheme: 'he-normal' as never }), 'E_SPEC', 'scheme');
  });
});
