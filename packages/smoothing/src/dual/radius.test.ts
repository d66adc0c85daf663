import { normalCdf as normCdf, normalQuantile as normPpf } from '@drojs/dro-core';
import { expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { legacyDrsRadius } from '../legacy/index.js';
import { drsRadius, dualCertifyFromCounts } from './radius.js';

describe('sound DRS radius', () => {
  it('equals the brute-force worst case over the split of the budget between the sides', () => {
    // G keeps cA while u/sL + v/sR < a + b; the smallest ‖δ‖ = √(u² + v²) that breaks it, by grid search.
    for (const [pL, pR, sL, sR] of [
      [0.99, 0.9, 0.18, 0.18],
      [0.8, 0.7, 0.2, 0.4],
      [0.99, 0.4, 0.25, 0.25],
    ] as const) {
      const c = normPpf(pL) + normPpf(pR);
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i <= 20_000; i++) {
        const t = (i / 20_000) * (Math.PI / 2);
        // Direction (cos t, sin t): the norm at which u/sL + v/sR reaches c.
        const rate = Math.cos(t) / sL + Math.sin(t) / sR;
        best = Math.min(best, c / rate);
      }
      expect(Math.abs(drsRadius(pL, pR, sL, sR) - best)).toBeLessThan(1e-6);
    }
  });
  it('keeps a negative side, abstains when pL + pR ≤ 1 or a side is 0', () => {
    expect(drsRadius(0.99, 0.4, 0.25)).toBeCloseTo(0.366, 3);
    expect(drsRadius(0.7, 0.2, 0.25)).toBe(0);
    expect(drsRadius(0.75, 0.25, 0.25)).toBe(0);
    expect(drsRadius(0, 0.99, 0.25)).toBe(0);
  });
  it('legacy counterexample (§3.7): the sqrt rule over-claims past the true radius 0.849; the sound rule does not', () => {
    // Linear sub-classifiers with margins 1.0 and 0.2 in their own spaces, s = 0.5: exact p = Φ(m/s).
    const s = 0.5;
    const pL = normCdf(1.0 / s);
    const pR = normCdf(0.2 / s);
    const trueRadius = (1.0 + 0.2) / Math.SQRT2;
    expect(drsRadius(pL, pR, s)).toBeCloseTo(trueRadius, 12);
    const legacy = legacyDrsRadius(pL, pR, s, 'cifarSqrt');
    expect(legacy).toBeCloseTo(1.0198, 4);
    expect(legacy).toBeGreaterThan(trueRadius);
    // A perturbation of norm 0.85 against both normals, split as the worst case: each side moves 0.85/√2.
    const u = 0.85 / Math.SQRT2;
    const after = normCdf((1.0 - u) / s) + normCdf((0.2 - u) / s);
    expect(after).toBeLessThan(1);
    expect(drsRadius(pL, pR, s)).toBeLessThanOrEqual(0.849 + 1e-3);
  });
  it('legacy sqrt ≥ legacy ImageNet rule ≥ sound radius on the same bounds', () => {
    for (let i = 1; i < 50; i++) {
      for (let j = 1; j < 50; j++) {
        const pL = 0.5 + i / 100;
        const pR = 0.5 + j / 100;
        const a = legacyDrsRadius(pL, pR, 0.18, 'cifarSqrt');
        const b = legacyDrsRadius(pL, pR, 0.18, 'imagenetSum');
        expect(a).toBeGreaterThanOrEqual(b - 1e-12);
        expect(b).toBeGreaterThanOrEqual(drsRadius(pL, pR, 0.18) - 1e-12);
      }
    }
  });
  it('dualCertifyFromCounts: summed selection, disagreement → abstain, alpha split', () => {
    const dis = dualCertifyFromCounts([100, 0], [0, 100], [1000, 0], [0, 1000], 0.001, 0.25);
    expect(dis.prediction).toBe(-1);
    expect(dis.radius).toBe(0);
    const split = dualCertifyFromCounts([0, 10], [0, 10], [0, 1000], [0, 1000], 0.001, 0.25);
    const nosplit = dualCertifyFromCounts([0, 10], [0, 10], [0, 1000], [0, 1000], 0.001, 0.25, 0.25, false);
    expect(split.prediction).toBe(1);
    expect(split.radius).toBeLessThan(nosplit.radius);
    expect(split.pLLower).toBeCloseTo(0.0005 ** (1 / 1000), 15);
  });
  it('rejects bad input', () => {
    expectDroError(() => drsRadius(0.9, 0.9, -1), 'E_SPEC', 'sigmaL');
    expectDroError(() => drsRadius(0.9, 1.1, 1), 'E_SPEC', 'pRLower');
    expectDroError(() => dualCertifyFromCounts([1, 0], [1, 0, 0], [1, 0], [1, 0, 0], 0.01, 1), 'E_SHAPE', 'counts0R');
    expectDroError(() => dualCertifyFromCounts([1, 0], [1, 0], [0, 0], [1, 0], 0.01, 1), 'E_EMPTY', 'countsL');
  });
});
