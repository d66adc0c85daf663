import { expect } from 'vitest';
import type { SyntheticResult } from './synthetic.js';

/**
 * The spec §11.1 assertions on one synthetic run: marginal accuracy and admission fractions/ratios only (per-class
 * numbers are noisy at these admitted counts). Shared by the unit test (small draw) and `pnpm test:repro` (spec sizes).
 */
export function expectSyntheticProperties(r: SyntheticResult): void {
  const [id, shift, far] = r.sets as [(typeof r.sets)[0], (typeof r.sets)[0], (typeof r.sets)[0]];
  // 1. regions found with every ψ_c ≥ α′
  for (const reg of [r.trainedRegion, r.frozenRegion]) {
    expect(reg.found).toBe(true);
    expect(Number.isFinite(reg.qPrimeMin)).toBe(true);
    for (const t of reg.thresholds) expect(t).toBeGreaterThanOrEqual(0.95);
  }
  // 2. in distribution
  expect(id.trained.lower.marginalAccuracy!).toBeGreaterThanOrEqual(0.95);
  expect(id.trained.point.marginalAccuracy!).toBeGreaterThanOrEqual(0.95);
  expect(id.trained.lower.admittedFraction).toBeGreaterThanOrEqual(0.02);
  expect(id.trained.point.admittedFraction).toBeLessThan(id.softmax.admittedFraction);
  // 3. covariate shift
  if (shift.trained.lower.nAdmitted >= 20) expect(shift.trained.lower.marginalAccuracy!).toBeGreaterThanOrEqual(0.95);
  // 4. far OOD
  expect(far.trained.lower.admittedFraction).toBeLessThanOrEqual(0.02);
  expect(far.trained.point.admittedFraction).toBeLessThanOrEqual(0.05);
  expect(far.softmax.admittedFraction).toBeGreaterThanOrEqual(0.1);
  expect(far.mondrianLac.admittedFraction).toBeGreaterThanOrEqual(0.1);
  // 5. frozen mode
  expect(far.frozen.lower.admittedFraction).toBeLessThanOrEqual(0.02);
  expect(id.frozen.lower.marginalAccuracy ?? 1).toBeGreaterThanOrEqual(0.9);
  // 6. SDM_HR^lower ⇒ SDM_HR on every set
  for (const s of r.sets) {
    expect(s.trained.lowerImpliesPoint).toBe(true);
    expect(s.frozen.lowerImpliesPoint).toBe(true);
  }
}
