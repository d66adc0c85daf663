import { describe, expect, it } from 'vitest';
import { runDemo } from './demo.js';

describe('iSogCLR temperature demo', () => {
  it('reaches KL = ρ for every anchor and orders mean τ frequent > rare > background (seeded draw)', () => {
    const r = runDemo({ seed: 0 });
    expect(r.maxKlGap).toBeLessThanOrEqual(1e-6);
    const [f, ra, b] = r.stats;
    expect(f!.meanTau).toBeGreaterThan(ra!.meanTau);
    expect(ra!.meanTau).toBeGreaterThan(b!.meanTau);
  });
});
