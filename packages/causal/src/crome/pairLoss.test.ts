import { createRng } from '@drojs/dro-core';
import { numericGradient } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { bradleyTerryLoss, pairLoss, pairLossGrad, sigmoid, tieLoss } from './pairLoss.js';

const entropy = (t: number) => (t === 0 || t === 1 ? 0 : -t * Math.log(t) - (1 - t) * Math.log(1 - t));

describe('pair loss', () => {
  it('has no cancellation at t = 0, Δ = −40 (the symmetric form) and stays finite at ±800', () => {
    // softplus(−40) = log1p(e^−40) ≈ e^−40 (1 − e^−40/2): the reference value follows from the series.
    const expected = Math.exp(-40) * (1 - Math.exp(-40) / 2);
    expect(Math.abs(pairLoss(-40, 0) - expected) / expected).toBeLessThan(1e-12);
    for (const t of [0, 0.3, 0.5, 0.9, 1])
      for (const d of [-800, 800]) {
        expect(Number.isFinite(pairLoss(d, t))).toBe(true);
        expect(Number.isFinite(pairLossGrad(d, t))).toBe(true);
      }
    expect(pairLoss(800, 1)).toBe(0);
    expect(pairLoss(-800, 1)).toBe(800);
  });

  it('gradient equals central differences (step 1e−6) within 1e−7', () => {
    const rng = createRng('crome-pair-fd');
    for (let k = 0; k < 200; k++) {
      const d = 12 * rng.normal();
      const t = k % 5 === 0 ? 0.5 : rng.uniform();
      const fd = numericGradient((x) => pairLoss(x[0] as number, t), [d])[0] as number;
      expect(Math.abs(pairLossGrad(d, t) - fd)).toBeLessThan(1e-7);
    }
  });

  it('is bounded below by the entropy H(t), with equality at Δ = logit(t)', () => {
    const rng = createRng('crome-entropy');
    for (let k = 0; k < 100; k++) {
      const t = 0.01 + 0.98 * rng.uniform();
      const star = Math.log(t / (1 - t));
      expect(Math.abs(pairLoss(star, t) - entropy(t))).toBeLessThan(1e-12);
      expect(Math.abs(pairLossGrad(star, t))).toBeLessThan(1e-12);
      for (const off of [-2, -0.1, 0.1, 3]) expect(pairLoss(star + off, t)).toBeGreaterThan(entropy(t));
    }
  });

  it('tie loss is even, log(2cosh(Δ/2)), minimum log 2 at 0; BT is softplus(−Δ)', () => {
    expect(tieLoss(0)).toBe(Math.LN2);
    for (const d of [0.001, 0.5, 3, 17, 35]) {
      expect(tieLoss(d)).toBe(tieLoss(-d));
      expect(Math.abs(tieLoss(d) - Math.log(2 * Math.cosh(d / 2)))).toBeLessThan(1e-13 * tieLoss(d));
      expect(tieLoss(d)).toBeGreaterThan(Math.LN2);
      expect(Math.abs(pairLossGrad(d, 0.5) - 0.5 * Math.tanh(d / 2))).toBeLessThan(1e-15);
      expect(Math.abs(bradleyTerryLoss(d) - Math.log1p(Math.exp(-d)))).toBeLessThan(1e-15);
    }
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(0)).toBe(0.5);
  });
});
