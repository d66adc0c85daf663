import { describe, expect, it } from 'vitest';
import { distanceBounds, effectiveSampleSizes } from './dkw.js';
import { lowerRuleDataNeed } from './lowerRuleNeed.js';
import { explainNoRegion } from './noRegionReport.js';
import { calibrationSet } from './region.fixture.js';
import { findHighReliabilityRegion } from './region.js';
import { diagnoseRegion } from './regionDiagnosis.js';

/** Class 0: 100 confident correct points; class 1: 100 points of which `weak` sit at 0.5 — all at q′ = 10. */
function oneWeakClass(weak: number) {
  const labels: number[] = [];
  const sdmProbs: Float64Array[] = [];
  for (let i = 0; i < 200; i++) {
    const y = i < 100 ? 0 : 1;
    const p = y === 1 && i >= 200 - weak ? 0.5 : 0.99;
    labels.push(y);
    sdmProbs.push(Float64Array.from(y === 0 ? [p, 1 - p] : [1 - p, p]));
  }
  const d = Array.from({ length: 200 }, (_, i) => 0.05 + (i % 10) / 20);
  return { labels, sdmProbs, qPrime: new Array<number>(200).fill(10), d, numClasses: 2 };
}

describe('explainNoRegion', () => {
  it('is null exactly when Algorithm 1 finds a region', () => {
    for (const seed of [1, 2, 3]) {
      const s = calibrationSet(seed, 300, 3);
      const d = Array.from(s.labels, (_, i) => (i % 7) / 7);
      for (const alpha of [0.7, 0.9, 0.99]) {
        const r = explainNoRegion({ ...s, d, alpha, numClasses: 3 });
        expect(r === null).toBe(findHighReliabilityRegion({ ...s, alpha, numClasses: 3 }).region.found);
      }
    }
  });

  it('binding class, its error rate against 1 − α′, the noise verdict and the lower-rule data need', () => {
    // 7 of 100 weak at α′ = 0.95: rate 7 % > 5 %, excess 2 % < 2·SE (4.4 %) → within noise.
    // 30 of 100 weak: rate 30 %, far outside the noise.
    for (const [weak, noise] of [
      [7, true],
      [30, false],
    ] as const) {
      const s = oneWeakClass(weak);
      const r = explainNoRegion({ ...s, alpha: 0.95 });
      expect(r).not.toBeNull();
      const diag = diagnoseRegion({ ...s, alpha: 0.95 });
      expect(r?.bindingClass).toBe(1);
      expect(r?.bindingPsi).toBe(diag.minPsi);
      expect(r?.largestAlpha).toBe(diag.largestAlpha);
      expect(r?.bindingCount).toBe(100);
      expect(r?.bindingErrorRate).toBeCloseTo(weak / 100, 12);
      expect(r?.withinSamplingNoise).toBe(noise);
      expect(r?.perClassNow).toEqual([100, 100]);
      // Every q′ is 10: no class has calibration q′ below it, n_c = 0, so no amount of data helps.
      expect(r?.perClassForLowerRule).toBeNull();
      expect(r?.message).toContain(noise ? 'may find a region' : 'not expected to help');
    }
  });

  it('every calibration point OOD: no binding class, no α′', () => {
    const s = oneWeakClass(0);
    const r = explainNoRegion({ ...s, qPrime: new Array<number>(200).fill(0), alpha: 0.9 });
    expect(r?.bindingClass).toBe(-1);
    expect(r?.largestAlpha).toBeNull();
    expect(r?.message).toContain('every calibration point is OOD');
  });
});

describe('lowerRuleDataNeed', () => {
  it('replicating the calibration set to the estimated size gives at least half the candidates d_lower > 0', () => {
    for (const [seed, alpha] of [
      [1, 0.95],
      [2, 0.9],
      [3, 0.95],
    ] as const) {
      const s = calibrationSet(seed, 120, 3);
      const d = Array.from(s.labels, (_, i) => 0.05 + (0.4 * ((i * 37) % 101)) / 101);
      const region = findHighReliabilityRegion({ ...s, alpha, numClasses: 3 });
      const args = { d, qPrime: s.qPrime, labels: s.labels, qPrimeSortedPerClass: region.qPrimeSortedPerClass, alpha };
      const need = lowerRuleDataNeed(args);
      expect(need).not.toBeNull();
      const m = Math.ceil((need as number) / (120 / 3));
      const rep = <T>(v: ArrayLike<T>) => Array.from({ length: m }, () => Array.from(v)).flat();
      const big = { d: rep(d), qPrime: rep(s.qPrime), labels: rep(s.labels) };
      const sorted = findHighReliabilityRegion({
        ...big,
        sdmProbs: rep(s.sdmProbs),
        alpha,
        numClasses: 3,
      }).qPrimeSortedPerClass;
      let cands = 0;
      let clear = 0;
      big.d.forEach((di, i) => {
        if (Math.floor(big.qPrime[i]!) <= 0) return;
        cands++;
        if (distanceBounds(di, effectiveSampleSizes(big.qPrime[i]!, sorted, alpha).eps).dLower > 0) clear++;
      });
      expect(clear / cands).toBeGreaterThanOrEqual(0.5);
      // …and on the replicated set the estimate is within its own size.
      expect(lowerRuleDataNeed({ ...big, qPrimeSortedPerClass: sorted, alpha })).toBeLessThanOrEqual((m * 120) / 3);
    }
  });
});
