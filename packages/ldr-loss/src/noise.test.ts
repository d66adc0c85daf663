import { expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { classDependentLabelNoise, uniformLabelNoise } from './index.js';

const labels = Int32Array.from({ length: 20000 }, (_, i) => i % 10);

describe('label noise', () => {
  it('uniform noise replaces a `rate` fraction, flipping about rate·(K−1)/K; seeded and deterministic', () => {
    const a = uniformLabelNoise(labels, 10, 0.4, 7);
    const b = uniformLabelNoise(labels, 10, 0.4, 7);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    const hits = a.hit.reduce((s, v) => s + v, 0) / labels.length;
    const flips = a.labels.reduce((s, v, i) => s + (v !== labels[i] ? 1 : 0), 0) / labels.length;
    expect(Math.abs(hits - 0.4)).toBeLessThan(0.015);
    expect(Math.abs(flips - 0.36)).toBeLessThan(0.015);
    a.labels.forEach((v, i) => {
      if (!a.hit[i]) expect(v).toBe(labels[i]);
    });
  });

  it('class-dependent noise maps y → (y + 1) mod K (or a given map) with probability `rate`', () => {
    const r = classDependentLabelNoise(labels, 10, 0.3, 3);
    r.labels.forEach((v, i) => expect(v).toBe(r.hit[i] ? (labels[i]! + 1) % 10 : labels[i]));
    expect(Math.abs(r.hit.reduce((s, v) => s + v, 0) / labels.length - 0.3)).toBeLessThan(0.015);
    const m = classDependentLabelNoise([0, 1], 2, 1, 1, [0, 0]);
    expect(Array.from(m.labels)).toEqual([0, 0]);
    expectDroError(() => uniformLabelNoise([0, 10], 10, 0.1, 1), 'E_LABEL_RANGE');
    expectDroError(() => uniformLabelNoise([0, 1], 10, 1.1, 1), 'E_SPEC', 'rate');
    expectDroError(() => classDependentLabelNoise([0, 1], 3, 0.1, 1, [1, 2]), 'E_SHAPE', 'map');
  });
});
