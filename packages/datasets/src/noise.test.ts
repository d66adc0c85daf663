import { createRng } from '@drojs/dro-core';
import { expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { toOneHot } from './labels.js';
import { classDependentNoiseMatrix, expectedFlipRate, injectLabelNoise, symmetricNoiseMatrix } from './noise.js';

const K = 10;
const N = 20_000;
/** Balanced clean labels 0..K−1 repeated. */
const clean = Int32Array.from({ length: N }, (_, i) => i % K);

/** |observed − expected| must be within 4 binomial standard deviations. */
function expectBinomial(count: number, n: number, p: number): void {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(count - n * p)).toBeLessThanOrEqual(4 * sd + 1e-12);
}

describe('injectLabelNoise', () => {
  it('symmetric: replaces with prob. rate by a uniform class, so the flip rate is rate·(K−1)/K', () => {
    const rate = 0.4;
    const r = injectLabelNoise(clean, { type: 'symmetric', rate, nClasses: K, seed: 1 });
    const changed = r.flipped.reduce((a, b) => a + b, 0);
    expectBinomial(changed, N, (rate * (K - 1)) / K);
    expect(r.actualRate).toBe(changed / N);
    // flipped marks exactly the changed rows
    for (let i = 0; i < N; i++) expect(r.flipped[i]).toBe(r.labels[i] !== clean[i] ? 1 : 0);
    // a corrupted label goes to every other class equally: count transitions out of class 0
    const to = new Array<number>(K).fill(0);
    let from0 = 0;
    for (let i = 0; i < N; i++) {
      if (clean[i] !== 0) continue;
      from0++;
      to[r.labels[i]!]!++;
    }
    for (let k = 1; k < K; k++) expectBinomial(to[k]!, from0, rate / K);
    expect(r.labels).toBeInstanceOf(Int32Array);
    expect(clean[5]).toBe(5); // input untouched
  });

  it('pair-flip: changed labels are exactly y → (y + 1) mod K at the given rate', () => {
    const rate = 0.3;
    const r = injectLabelNoise(clean, { type: 'pair-flip', rate, nClasses: K, seed: 'pair' });
    let changed = 0;
    for (let i = 0; i < N; i++) {
      if (r.labels[i] !== clean[i]) {
        changed++;
        expect(r.labels[i]).toBe((clean[i]! + 1) % K);
      }
    }
    expectBinomial(changed, N, rate);
    expect(r.actualRate).toBeCloseTo(changed / N, 15);
  });

  it('transition: empirical confusion rows follow the matrix', () => {
    const T = [
      [0.5, 0.3, 0.2],
      [0, 1, 0],
      [0.1, 0, 0.9],
    ];
    const n = 30_000;
    const y = Int32Array.from({ length: n }, (_, i) => i % 3);
    const r = injectLabelNoise(y, { type: 'transition', matrix: T, nClasses: 3, seed: 7 });
    const counts = [0, 1, 2].map(() => [0, 0, 0]);
    for (let i = 0; i < n; i++) counts[y[i]!]![r.labels[i]!]!++;
    for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) expectBinomial(counts[c]![k]!, n / 3, T[c]![k]!);
    expect(counts[1]).toEqual([0, n / 3, 0]); // zero-probability transitions never happen
    expectBinomial(Math.round(r.actualRate * n), n, expectedFlipRate(T, y));
  });

  it('transition with the class-dependent matrix matches the pair-flip rates', () => {
    const T = classDependentNoiseMatrix(K, 0.3);
    expect(T[9]).toEqual([0.3, 0, 0, 0, 0, 0, 0, 0, 0, 0.7]);
    const r = injectLabelNoise(clean, { type: 'transition', matrix: T, nClasses: K, seed: 3 });
    for (let i = 0; i < N; i++) if (r.flipped[i]) expect(r.labels[i]).toBe((clean[i]! + 1) % K);
    expectBinomial(Math.round(r.actualRate * N), N, 0.3);
    expect(expectedFlipRate(symmetricNoiseMatrix(K, 0.4), clean)).toBeCloseTo(0.36, 12);
    const row = symmetricNoiseMatrix(4, 0.4)[2]!;
    for (const [k, v] of [0.1, 0.1, 0.7, 0.1].entries()) expect(row[k]).toBeCloseTo(v, 15);
  });

  it('rate 0 changes nothing and rate 1 pair-flips everything', () => {
    expect(injectLabelNoise(clean, { type: 'symmetric', rate: 0, nClasses: K, seed: 1 }).actualRate).toBe(0);
    const all = injectLabelNoise(clean, { type: 'pair-flip', rate: 1, nClasses: K, seed: 1 });
    expect(all.actualRate).toBe(1);
    expect(all.labels[9]).toBe(0);
  });

  it('is deterministic by seed, differs across seeds, and a seed equals createRng(seed)', () => {
    const a = injectLabelNoise(clean, { type: 'symmetric', rate: 0.5, nClasses: K, seed: 42 });
    const b = injectLabelNoise(clean, { type: 'symmetric', rate: 0.5, nClasses: K, seed: 42 });
    const c = injectLabelNoise(clean, { type: 'symmetric', rate: 0.5, nClasses: K, seed: 43 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(Array.from(a.labels)).not.toEqual(Array.from(c.labels));
    const rng = createRng(42);
    const d = injectLabelNoise(clean, { type: 'symmetric', rate: 0.5, nClasses: K, rng });
    expect(Array.from(d.labels)).toEqual(Array.from(a.labels));
    // the caller's rng advanced
    expect(rng.getState()).not.toEqual(createRng(42).getState());
  });

  it('accepts plain arrays and empty input', () => {
    const r = injectLabelNoise([0, 1, 2], { type: 'pair-flip', rate: 1, nClasses: 3, seed: 0 });
    expect(Array.from(r.labels)).toEqual([1, 2, 0]);
    const e = injectLabelNoise(new Int32Array(0), { type: 'symmetric', rate: 0.5, nClasses: 2, seed: 0 });
    expect(e.labels.length).toBe(0);
    expect(e.actualRate).toBe(0);
  });

  it('rejects bad input with DroError before touching the rng', () => {
    const rng = createRng(5);
    const before = rng.getState();
    const base = { type: 'symmetric' as const, rate: 0.2, nClasses: 3, rng };
    expectDroError(() => injectLabelNoise([0, 3], base), 'E_LABEL_RANGE', 'labels');
    expectDroError(() => injectLabelNoise([0, -1], base), 'E_LABEL_RANGE', 'labels');
    expectDroError(() => injectLabelNoise([0, 1.5], base), 'E_DTYPE', 'labels');
    expectDroError(() => injectLabelNoise('012' as unknown as number[], base), 'E_DTYPE', 'labels');
    expectDroError(() => injectLabelNoise([0], { ...base, rate: 1.1 }), 'E_SPEC', 'opts.rate');
    expectDroError(() => injectLabelNoise([0], { ...base, rate: Number.NaN }), 'E_SPEC', 'opts.rate');
    expectDroError(() => injectLabelNoise([0], { ...base, rate: undefined }), 'E_SPEC', 'opts.rate');
    expectDroError(() => injectLabelNoise([0], { ...base, nClasses: 1 }), 'E_SPEC', 'opts.nClasses');
    expectDroError(() => injectLabelNoise([0], { ...base, type: 'uniform' as 'symmetric' }), 'E_SPEC', 'opts.type');
    expectDroError(() => injectLabelNoise([0], { ...base, seed: 1 }), 'E_SPEC', 'opts.seed');
    expectDroError(() => injectLabelNoise([0], { ...base, rng: undefined }), 'E_SPEC', 'opts.seed');
    expectDroError(() => injectLabelNoise([0], { ...base, matrix: [[1]] }), 'E_SPEC', 'opts.matrix');
    const tr = { type: 'transition' as const, nClasses: 2, rng };
    expectDroError(() => injectLabelNoise([0], tr), 'E_SHAPE', 'opts.matrix');
    expectDroError(() => injectLabelNoise([0], { ...tr, matrix: [[1, 0], [0.5]] }), 'E_SHAPE', 'opts.matrix[1]');
    expectDroError(
      () =>
        injectLabelNoise([0], {
          ...tr,
          matrix: [
            [1, 0],
            [0.5, 0.6],
          ],
        }),
      'E_SPEC',
      'opts.matrix[1]',
    );
    expectDroError(
      () =>
        injectLabelNoise([0], {
          ...tr,
          matrix: [
            [1.5, -0.5],
            [0, 1],
          ],
        }),
      'E_SPEC',
      'opts.matrix[0][1]',
    );
    expectDroError(
      () =>
        injectLabelNoise([0], {
          ...tr,
          matrix: [
            [1, 0],
            [0, 1],
          ],
          rate: 0.1,
        }),
      'E_SPEC',
      'opts.rate',
    );
    expect(rng.getState()).toEqual(before);
    expectDroError(() => classDependentNoiseMatrix(3, 0.2, [1, 1, 0]), 'E_SPEC', 'map[1]');
    expectDroError(() => symmetricNoiseMatrix(3, -0.1), 'E_SPEC', 'rate');
  });
});

describe('toOneHot', () => {
  it('encodes labels row-major and validates them', () => {
    expect(Array.from(toOneHot([2, 0], 3))).toEqual([0, 0, 1, 1, 0, 0]);
    expectDroError(() => toOneHot([3], 3), 'E_LABEL_RANGE', 'labels');
  });
});
