import { describeBackends } from '@drojs/dro-core/testing';
import { expect, it } from 'vitest';
import { runSynthetic, type SyntheticSizes } from './synthetic.js';

// The §11.1 assertions of synthetic.repro.test.ts (`pnpm test:repro`, the spec's sizes) on a smaller draw
// of the same protocol, so the unit suite checks them in seconds.
const SMALL: SyntheticSizes = { frozenTrain: 1000, pool: 1200, calibration: 600, test: 600, far: 400 };

describeBackends('synthetic reproduction, small (spec §11.1 properties)', () => {
  for (const seed of [0, 1]) {
    it(`seed ${seed}: regions, ID accuracy, shift accuracy, far-OOD rejection, lower ⇒ point`, async () => {
      const r = await runSynthetic(seed, { sizes: SMALL, epochs: 5, shuffles: 1 });
      const [id, shift, far] = r.sets as [(typeof r.sets)[0], (typeof r.sets)[0], (typeof r.sets)[0]];
      for (const reg of [r.trainedRegion, r.frozenRegion]) {
        expect(reg.found).toBe(true);
        expect(Number.isFinite(reg.qPrimeMin)).toBe(true);
        for (const t of reg.thresholds) expect(t).toBeGreaterThanOrEqual(0.95);
      }
      expect(id.trained.lower.marginalAccuracy!).toBeGreaterThanOrEqual(0.95);
      expect(id.trained.point.marginalAccuracy!).toBeGreaterThanOrEqual(0.95);
      expect(id.trained.lower.admittedFraction).toBeGreaterThanOrEqual(0.02);
      expect(id.trained.point.admittedFraction).toBeLessThan(id.softmax.admittedFraction);
      if (shift.trained.lower.nAdmitted >= 20)
        expect(shift.trained.lower.marginalAccuracy!).toBeGreaterThanOrEqual(0.95);
      expect(far.trained.lower.admittedFraction).toBeLessThanOrEqual(0.02);
      expect(far.trained.point.admittedFraction).toBeLessThanOrEqual(0.05);
      expect(far.softmax.admittedFraction).toBeGreaterThanOrEqual(0.1);
      expect(far.mondrianLac.admittedFraction).toBeGreaterThanOrEqual(0.1);
      expect(far.frozen.lower.admittedFraction).toBeLessThanOrEqual(0.02);
      expect(id.frozen.lower.marginalAccuracy ?? 1).toBeGreaterThanOrEqual(0.9);
      for (const s of r.sets) {
        expect(s.trained.lowerImpliesPoint).toBe(true);
        expect(s.frozen.lowerImpliesPoint).toBe(true);
      }
    });
  }
});
