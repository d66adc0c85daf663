import { createRng } from '@drojs/dro-core';
import { describe, expect, it } from 'vitest';
import { buildDistanceCdfs, distanceQuantile } from './distance.js';
import { distanceBounds, effectiveSampleSizes } from './dkw.js';
import { cauchyQuantile, mad } from './legacy/index.js';
import { calibrationSet, literalRegion } from './region.fixture.js';
import { findHighReliabilityRegion, highReliabilityIndicator, rescaledSimilarity } from './region.js';

describe('region, q′, distance and DKW properties', () => {
  it('q′ ∈ {0} ∪ [1, q], 0 exactly when q = 0', () => {
    const rng = createRng(1);
    for (let i = 0; i < 500; i++) {
      const q = rng.int(100);
      const p = rng.uniform();
      const v = rescaledSimilarity(q, p);
      if (q === 0) expect(v).toBe(0);
      else {
        expect(v).toBeGreaterThanOrEqual(1);
        expect(v).toBeLessThanOrEqual(q);
      }
    }
  });

  it('Algorithm 1 agrees with the literal definition; ψ ≥ α′ and q′_min is a calibration q′', () => {
    for (const [seed, alpha] of [
      [1, 0.95],
      [2, 0.9],
      [3, 0.8],
      [4, 0.99],
    ] as const) {
      const s = calibrationSet(seed, 400, 3);
      const { region, calibrationIsOod } = findHighReliabilityRegion({ ...s, alpha, numClasses: 3 });
      const lit = literalRegion(s, alpha, 3);
      expect(region.qPrimeMin).toBe(lit.qPrimeMin);
      expect(Array.from(region.thresholds)).toEqual(lit.psi);
      expect(Array.from(calibrationIsOod)).toEqual(s.qPrime.map((v) => (Math.floor(v) <= 0 ? 1 : 0)));
      if (region.found) {
        expect(s.qPrime).toContain(region.qPrimeMin);
        for (const t of region.thresholds) expect(t).toBeGreaterThanOrEqual(alpha);
        for (let i = 0; i < 50; i++) {
          const ind = highReliabilityIndicator(s.qPrime[i]!, s.sdmProbs[i]!, s.preds[i]!, region);
          if (ind.isHighReliability) {
            expect(ind.isOod).toBe(false);
            expect(s.qPrime[i]!).toBeGreaterThanOrEqual(region.qPrimeMin);
          }
        }
      }
    }
  });

  it('eCDF quantile: 1 at or below the minimum, 0 above the maximum, 0 for an empty class', () => {
    const cdfs = buildDistanceCdfs([3, 1, 2, 5, 4, 9], [1, 1, 1, 1, 1, 0], [0, 0, 0, 1, 1, 1], 3);
    expect(cdfs.map((c) => Array.from(c))).toEqual([[1, 2, 3], [4, 5], []]);
    expect(distanceQuantile(0, cdfs.slice(0, 2)).d).toBe(1);
    expect(distanceQuantile(2, cdfs.slice(0, 2)).perClass[0]).toBeCloseTo(2 / 3, 15);
    expect(distanceQuantile(6, cdfs.slice(0, 2)).d).toBe(0);
    expect(distanceQuantile(0, cdfs).d).toBe(0);
  });

  it('DKW: ε shrinks with n, ε = 1 at n = 0 and α′ = 1, bounds bracket d', () => {
    const sorted = [Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), Float64Array.from([0, 2, 4, 6])];
    const a = effectiveSampleSizes(5, sorted, 0.95);
    expect(Array.from(a.n)).toEqual([5, 3]);
    expect(a.eps[0]).toBeCloseTo(Math.sqrt(Math.log(40) / 10), 12);
    expect(Array.from(effectiveSampleSizes(0, sorted, 0.95).eps)).toEqual([1, 1]);
    expect(Array.from(effectiveSampleSizes(5, sorted, 1).eps)).toEqual([1, 1]);
    expect(effectiveSampleSizes(100, sorted, 0.95).n[1]).toBe(3);
    const b = distanceBounds(0.9, a.eps);
    expect(b.dLower).toBeCloseTo(0.9 - Math.max(...a.eps), 12);
    expect(b.dUpper).toBe(1);
    expect(distanceBounds(0.3, a.eps).dLower).toBe(0);
  });

  it('legacy Cauchy quantile and MAD', () => {
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
    expect(mad([1, 2, 3, 4])).toBe(1);
    expect(cauchyQuantile(1, 2, 0.5)).toBeCloseTo(1, 12);
    expect(cauchyQuantile(0, 1, 0.75)).toBeCloseTo(1, 12);
  });
});
