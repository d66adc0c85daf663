import { expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { certifyMulticlassBonferroni } from './bonferroni.js';
import { ABSTAIN, certifyFromCounts, certifyRuleOnBound, predictFromCounts, radiusFromPA } from './certificate.js';
import { l1RadiusLaplace, l1RadiusUniform, linfRadiusFromL2 } from './norms.js';
import { maxCertifiableRadius, minCountToCertify, minUnanimousVotesToPredict } from './planning.js';
import { clopperPearsonLower } from './stats/clopperPearson.js';

describe('certificate decisions', () => {
  it('pins the pA_ = 1/2 convention: paper abstains, code returns radius 0', () => {
    expect(certifyRuleOnBound(0.5, 0.25, 'paper')).toEqual({ abstain: true, radius: 0 });
    expect(certifyRuleOnBound(0.5, 0.25, 'code')).toEqual({ abstain: false, radius: 0 });
    expect(certifyRuleOnBound(0.4999, 0.25, 'code').abstain).toBe(true);
    const above = certifyRuleOnBound(0.6, 0.5, 'paper');
    expect(above.abstain).toBe(false);
    expect(above.radius).toBeCloseTo(0.5 * 0.2533471031357997, 14);
  });
  it('radiusFromPA: 0 at or below 1/2, +∞ at 1, increasing in between', () => {
    expect(radiusFromPA(0.5, 1)).toBe(0);
    expect(radiusFromPA(0.2, 1)).toBe(0);
    expect(radiusFromPA(1, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(radiusFromPA(0.9, 1)).toBeLessThan(radiusFromPA(0.99, 1));
  });
  it('never switches to the estimation top class; abstentions have radius 0', () => {
    const r = certifyFromCounts([60, 40], [400, 600], 0.001, 0.5);
    expect(r.prediction).toBe(ABSTAIN);
    expect(r.cAHat).toBe(0);
    expect(r.radius).toBe(0);
  });
  it('CERTIFY with N = 9 at alpha 0.001 always abstains; PREDICT with n ≤ 10 always abstains', () => {
    expect(minCountToCertify(9, 0.001)).toBe(10);
    for (let k = 0; k <= 9; k++) expect(certifyFromCounts([1, 0], [k, 9 - k], 0.001, 1).prediction).toBe(ABSTAIN);
    for (let n = 0; n <= 10; n++) {
      for (let k = 0; k <= n; k++) expect(predictFromCounts([k, n - k, 0], 0.001).prediction).toBe(ABSTAIN);
    }
    expect(minUnanimousVotesToPredict(0.001)).toBe(11);
    expect(predictFromCounts([11, 0], 0.001).prediction).toBe(0);
  });
  it('planning functions agree with the bounds they summarise', () => {
    for (const [n, a] of [
      [100, 0.001],
      [1000, 0.01],
      [10_000, 0.001],
    ] as const) {
      const k = minCountToCertify(n, a);
      expect(clopperPearsonLower(k, n, a)).toBeGreaterThan(0.5);
      expect(clopperPearsonLower(k - 1, n, a)).toBeLessThanOrEqual(0.5);
      expect(maxCertifiableRadius(n, a, 0.5)).toBe(certifyFromCounts([1, 0], [n, 0], a, 0.5).radius);
    }
    expect(maxCertifiableRadius(1, 0.001, 1)).toBe(0);
    expect(maxCertifiableRadius(1000, 0.001, 0.25)).toBeCloseTo(0.6158, 4);
    expect(maxCertifiableRadius(10_000, 0.001, 0.5)).toBeCloseTo(1.5993, 4);
  });
  it('Bonferroni beats the standard bound when the rest is spread, loses slightly with one runner-up', () => {
    const spread = certifyMulticlassBonferroni([90, 5, 5, 0], [70_000, 10_000, 10_000, 10_000], 0.001, 0.5);
    const std = certifyFromCounts([90, 5, 5, 0], [70_000, 10_000, 10_000, 10_000], 0.001, 0.5);
    expect(spread.radius).toBeCloseTo(0.443, 3);
    expect(std.radius).toBeCloseTo(0.256, 3);
    const two = certifyMulticlassBonferroni([70, 30], [70_000, 30_000], 0.001, 0.5);
    const twoStd = certifyFromCounts([70, 30], [70_000, 30_000], 0.001, 0.5);
    expect(two.radius).toBeLessThan(twoStd.radius);
    expect(certifyMulticlassBonferroni([50, 50], [50_000, 50_000], 0.001, 0.5).prediction).toBe(ABSTAIN);
  });
  it('other norms', () => {
    expect(l1RadiusUniform(0.75, 0.5)).toBe(0.25);
    expect(l1RadiusLaplace(0.5, 1)).toBe(0);
    expect(l1RadiusLaplace(0.75, 2)).toBeCloseTo(-2 * Math.log(0.5), 15);
    expect(linfRadiusFromL2(0.435, 3072) * 255).toBeCloseTo(2, 2);
  });
  it('rejects bad input with DroError naming the argument', () => {
    expectDroError(() => certifyFromCounts([1, 0], [1, 0], 0, 1), 'E_SPEC', 'alpha');
    expectDroError(() => certifyFromCounts([1, 0], [1, 0], 1, 1), 'E_SPEC', 'alpha');
    expectDroError(() => certifyFromCounts([1, 0], [1, 0], Number.NaN, 1), 'E_NONFINITE', 'alpha');
    expectDroError(() => certifyFromCounts([1, 0], [1, 0], 0.01, 0), 'E_SPEC', 'sigma');
    expectDroError(() => certifyFromCounts([1, -1], [1, 0], 0.01, 1), 'E_SPEC', 'counts0');
    expectDroError(() => certifyFromCounts([1, 0], [1, 0, 0], 0.01, 1), 'E_SHAPE', 'counts');
    expectDroError(() => certifyFromCounts([1], [1], 0.01, 1), 'E_SHAPE', 'counts0');
    expectDroError(() => certifyFromCounts([1, 0], [0, 0], 0.01, 1), 'E_EMPTY', 'counts');
    expectDroError(() => certifyFromCounts([0, 0], [3, 0], 0.01, 1), 'E_EMPTY', 'counts0');
    expectDroError(() => certifyFromCounts([1, 0], [1.5, 0], 0.01, 1), 'E_SPEC', 'counts');
    expectDroError(() => certifyFromCounts([1, 0], [1, 0], 0.01, 1, 'other' as 'paper'), 'E_SPEC', 'rule');
    expectDroError(() => predictFromCounts([1, 2], 2), 'E_SPEC', 'alpha');
    expectDroError(() => radiusFromPA(1.2, 1), 'E_SPEC', 'pALower');
    expectDroError(() => maxCertifiableRadius(2.5, 0.01, 1), 'E_SPEC', 'n');
    expectDroError(() => linfRadiusFromL2(1, 0), 'E_SPEC', 'd');
  });
});
