import { describe, expect, it } from 'vitest';
import { erfc, normalCdf, normalQuantile } from './stats.js';

describe('normalCdf / normalQuantile', () => {
  it('known values, including far tails with relative accuracy', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(Math.abs(normalCdf(1.959963984540054) - 0.975)).toBeLessThan(1e-15);
    // Φ(−10) = 7.619853024160527e-24 (Φ(−x) = erfc(x/√2)/2).
    expect(Math.abs(normalCdf(-10) / 7.619853024160527e-24 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(normalCdf(-3) / 0.0013498980316301 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(erfc(0.5) - 0.4795001221869535)).toBeLessThan(1e-15);
    expect(Math.abs(erfc(3) / 2.209049699858544e-5 - 1)).toBeLessThan(1e-13);
  });
  it('quantile inverts the cdf across (0, 1) and in the tails', () => {
    for (const p of [1e-300, 1e-20, 1e-9, 0.001, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.975, 0.999999]) {
      const x = normalQuantile(p);
      // Compare in the tail that keeps relative precision: Φ(x) for p < 1/2, Φ(−x) = 1 − p otherwise.
      const [got, want] = p < 0.5 ? [normalCdf(x), p] : [normalCdf(-x), 1 - p];
      expect(Math.abs(got / want - 1)).toBeLessThan(1e-12);
    }
    expect(Math.abs(normalQuantile(0.975) - 1.959963984540054)).toBeLessThan(1e-14);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => normalQuantile(1.5)).toThrow(/p/);
  });
  it('is odd-symmetric: Φ⁻¹(p) = −Φ⁻¹(1−p)', () => {
    for (const p of [0.01, 0.2, 0.45]) expect(Math.abs(normalQuantile(p) + normalQuantile(1 - p))).toBeLessThan(1e-13);
  });
});
