import { DroError } from '@drojs/dro-core';
import { describe, expect, it } from 'vitest';
import { calibrationSet, literalCandidates } from './region.fixture.js';
import { findHighReliabilityRegion } from './region.js';
import { diagnoseRegion } from './regionDiagnosis.js';

const found = (s: Parameters<typeof findHighReliabilityRegion>[0]) => findHighReliabilityRegion(s).region.found;

/** Class 0: 100 confident correct points; class 1: 90 confident and 10 at 0.5 — all at q′ = 10. */
function oneWeakClass(weakProb = 0.5) {
  const labels: number[] = [];
  const sdmProbs: Float64Array[] = [];
  for (let i = 0; i < 200; i++) {
    const y = i < 100 ? 0 : 1;
    const p = y === 1 && i >= 190 ? weakProb : 0.99;
    labels.push(y);
    sdmProbs.push(Float64Array.from(y === 0 ? [p, 1 - p] : [1 - p, p]));
  }
  return { labels, sdmProbs, qPrime: new Array<number>(200).fill(10), numClasses: 2 };
}

describe('diagnoseRegion', () => {
  it('matches a literal scan of every candidate: best threshold, ψ, counts, binding class', () => {
    for (const [seed, alpha, c] of [
      [1, 0.95, 3],
      [2, 0.9, 3],
      [3, 0.8, 4],
      [4, 0.99, 2],
      [5, 0.7, 5],
    ] as const) {
      const s = calibrationSet(seed, 400, c);
      const d = diagnoseRegion({ ...s, alpha, numClasses: c });
      const cands = literalCandidates(s, alpha, c);
      let best = cands[0]!;
      for (const k of cands) if (Math.min(...k.psi) > Math.min(...best.psi)) best = k;
      expect(d.bestQPrime).toBe(best.t);
      expect(Array.from(d.psi)).toEqual(best.psi);
      expect(Array.from(d.counts)).toEqual(best.counts);
      expect(d.minPsi).toBe(Math.min(...best.psi));
      expect(d.bindingClass).toBe(best.psi.indexOf(Math.min(...best.psi)));
      expect(d.found).toBe(found({ ...s, alpha, numClasses: c }));
      expect(d.found).toBe(d.minPsi >= alpha);
    }
  });

  it('largestAlpha: a region exists there and none a tolerance above; it brackets the requested α′', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const s = calibrationSet(seed, 600, 3);
      for (const tolerance of [1e-3, 1e-4]) {
        const d = diagnoseRegion({ ...s, alpha: 0.9, numClasses: 3, tolerance });
        if (d.largestAlpha === null) {
          expect(found({ ...s, alpha: 0.5 + tolerance, numClasses: 3 })).toBe(false);
          continue;
        }
        expect(found({ ...s, alpha: d.largestAlpha, numClasses: 3 })).toBe(true);
        if (d.largestAlpha + tolerance <= 1) {
          expect(found({ ...s, alpha: d.largestAlpha + tolerance, numClasses: 3 })).toBe(false);
        }
        if (d.found) expect(d.largestAlpha).toBeGreaterThan(0.9 - tolerance);
        else expect(d.largestAlpha).toBeLessThan(0.9);
      }
    }
  });

  it('names the weak class and the α′ it allows (⌊(1−α′)·n⌋ evaluated literally)', () => {
    const d = diagnoseRegion({ ...oneWeakClass(), alpha: 0.95 });
    expect(d.found).toBe(false);
    expect(d.bindingClass).toBe(1);
    expect(d.minPsi).toBe(0.5);
    expect(Array.from(d.counts)).toEqual([100, 100]);
    expect(d.bestQPrime).toBe(10);
    // The region needs ⌊(1−α′)·100⌋ ≥ 10. In float64 (1 − 0.9)·100 = 9.999…98, so α′ = 0.9 itself fails
    // and the largest α′ lies just below it.
    expect(found({ ...oneWeakClass(), alpha: 0.9 })).toBe(false);
    expect(d.largestAlpha).not.toBeNull();
    expect(d.largestAlpha!).toBeLessThan(0.9);
    expect(d.largestAlpha!).toBeGreaterThan(0.9 - 1e-4);
  });

  it('largestAlpha is 1 when every class is perfect, null when one class never reaches 0.5', () => {
    const confident = oneWeakClass(0.99);
    const a = diagnoseRegion({ ...confident, alpha: 0.95 }).largestAlpha!;
    expect(a).toBeLessThanOrEqual(0.99);
    expect(a).toBeGreaterThan(0.99 - 1e-4);
    const perfect = {
      ...confident,
      sdmProbs: confident.labels.map((y) => Float64Array.from(y === 0 ? [1, 0] : [0, 1])),
    };
    expect(diagnoseRegion({ ...perfect, alpha: 0.95 }).largestAlpha).toBe(1);
    const hopeless = oneWeakClass(0.4);
    hopeless.sdmProbs = hopeless.sdmProbs.map((p, i) => (i >= 100 ? Float64Array.from([0.6, 0.4]) : p));
    const d = diagnoseRegion({ ...hopeless, alpha: 0.95 });
    expect(d.largestAlpha).toBeNull();
    expect(d.bindingClass).toBe(1);
    expect(d.minPsi).toBeCloseTo(0.4, 15);
  });

  it('every point OOD by similarity: no candidate, binding class −1', () => {
    const s = { ...oneWeakClass(), qPrime: new Array<number>(200).fill(0) };
    const d = diagnoseRegion({ ...s, alpha: 0.95 });
    expect(d).toMatchObject({ found: false, bestQPrime: Number.POSITIVE_INFINITY, bindingClass: -1, minPsi: 0 });
    expect(d.largestAlpha).toBeNull();
  });

  it('bad input → DroError naming the argument', () => {
    const s = oneWeakClass();
    for (const [args, argument] of [
      [{ ...s, alpha: 1.2 }, 'alpha'],
      [{ ...s, alpha: 0.5 }, 'alpha'],
      [{ ...s, alpha: 0.95, tolerance: 0 }, 'tolerance'],
      [{ ...s, alpha: 0.95, tolerance: Number.NaN }, 'tolerance'],
      [{ ...s, alpha: 0.95, numClasses: 1.5 }, 'numClasses'],
      [{ ...s, alpha: 0.95, qPrime: [1, 2] }, 'sdmProbs'],
    ] as const) {
      let err: unknown;
      try {
        diagnoseRegion(args);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DroError);
      expect((err as DroError).message).toContain(argument);
    }
  });
});
