import { createRng } from '@drojs/dro-core';
import { describeBackends, expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { SdmEstimator } from './estimator.js';
import { conformalDistanceThreshold, DEFAULT_OOD_RATE } from './oodThreshold.js';
import { smallProblem } from './smallProblem.fixture.js';

describe('conformalDistanceThreshold', () => {
  it('is the ⌈(n+1)(1−δ)⌉-th smallest d₀, +∞ when that rank exceeds n', () => {
    const d0 = Array.from({ length: 99 }, (_, i) => 99 - i); // 1..99, unsorted
    expect(conformalDistanceThreshold(d0, 0.01)).toBe(99); // k = 99
    expect(conformalDistanceThreshold(d0.slice(1), 0.01)).toBe(Number.POSITIVE_INFINITY); // n = 98: k = 99
    expect(conformalDistanceThreshold(d0, 0.1)).toBe(90); // k = ⌈90⌉
    expect(conformalDistanceThreshold(d0, 0.25)).toBe(75);
    expect(DEFAULT_OOD_RATE).toBe(0.01);
  });

  it('rejects δ outside (0, 0.5)', () => {
    for (const r of [0, 0.5, -0.1, Number.NaN]) expectDroError(() => conformalDistanceThreshold([1, 2], r), 'E_SPEC');
  });

  it('flags at most a share δ of exchangeable draws on average (many seeded calibration sets)', () => {
    // d₀ i.i.d.: the flagged share of fresh draws, averaged over calibration sets, is ≤ δ (up to noise).
    const rng = createRng(7);
    for (const [n, delta] of [
      [50, 0.1],
      [199, 0.05],
      [30, 0.2],
    ] as const) {
      let flagged = 0;
      const reps = 400;
      const draws = 200;
      for (let r = 0; r < reps; r++) {
        const t = conformalDistanceThreshold(
          Array.from({ length: n }, () => rng.normal() ** 2),
          delta,
        );
        for (let j = 0; j < draws; j++) if (rng.normal() ** 2 > t) flagged++;
      }
      const rate = flagged / (reps * draws);
      // Exact expectation: 1 − ⌈(n+1)(1−δ)⌉/(n+1) ≤ δ; 4 standard errors of the mean over reps.
      const exact = 1 - Math.ceil((n + 1) * (1 - delta)) / (n + 1);
      const se = Math.sqrt((exact * (1 - exact)) / (n + 2) / reps);
      expect(Math.abs(rate - exact)).toBeLessThan(4 * se + 0.002);
      expect(exact).toBeLessThanOrEqual(delta + 1e-12);
    }
  });
});

/** One exchangeable problem: support, calibration and test rows from the same three classes. */
function problem(seed: number, numCalibration: number, numTest: number) {
  const s = smallProblem(seed, 300 + numCalibration + numTest);
  const part = (a: number, b: number) => ({
    embeddings: s.x.slice(a, b),
    labels: s.y.slice(a, b),
    logits: s.logits.slice(a, b),
  });
  return {
    support: part(0, 300),
    calibration: part(300, 300 + numCalibration),
    test: part(300 + numCalibration, s.x.length),
  };
}

describeBackends('the calibrated OOD test (isOod, reliability ood)', () => {
  it('flags about δ of exchangeable in-distribution inputs and all of a far cluster', async () => {
    const numCal = 1000;
    const numTest = 3000;
    const p = problem(3, numCal, numTest);
    for (const delta of [0.01, 0.05]) {
      const est = await SdmEstimator.fitFrozen(
        { ...p.support, calibration: p.calibration },
        { numClasses: 3, oodRate: delta },
      );
      expect(est.summaryStats().oodRate).toBe(delta);
      const preds = await est.predict(p.test.embeddings, p.test.logits);
      const rate = preds.filter((x) => x.isOod).length / numTest;
      // Given one calibration set the rate is δ ± sd(cal) ± sd(test); 3 sd of each (seeded, binomial).
      const margin = 3 * Math.sqrt(delta * (1 - delta) * (1 / numCal + 1 / numTest));
      expect(rate).toBeLessThanOrEqual(delta + margin);
      expect(rate).toBeGreaterThanOrEqual(delta - margin);
      // In-sample on the calibration set the share is at most δ by construction.
      expect(est.summaryStats().calibrationStatusFractions.ood).toBeLessThanOrEqual(delta);
      for (const x of preds) if (!x.valid) expect(x.reliability === 'ood').toBe(x.isOod);
      // A cluster far from every class: flagged, and 'ood' unless admitted (it never is here).
      const far = p.test.embeddings.slice(0, 300).map((r) => r.map((v) => v + 25));
      const farPreds = await est.predict(far, p.test.logits.slice(0, 300));
      expect(farPreds.filter((x) => x.isOod).length).toBe(300);
      expect(farPreds.every((x) => x.reliability === 'ood')).toBe(true);
      est.dispose();
    }
  });

  it('oodRate is validated by name (fit and fitFrozen), stored in the state and round-trips', async () => {
    const p = problem(4, 200, 100);
    const data = { ...p.support, calibration: p.calibration };
    for (const bad of [0, 0.5, 1, -0.01, Number.NaN, '0.1']) {
      await expect(SdmEstimator.fitFrozen(data, { numClasses: 3, oodRate: bad as number })).rejects.toMatchObject({
        name: 'DroError',
        code: 'E_SPEC',
        message: expect.stringContaining('oodRate'),
      });
      await expect(
        SdmEstimator.fit(data, { numClasses: 3, adaptor: 'frozen', oodRate: bad as number }),
      ).rejects.toMatchObject({ name: 'DroError', code: 'E_SPEC', message: expect.stringContaining('oodRate') });
    }
    const est = await SdmEstimator.fitFrozen(data, { numClasses: 3, oodRate: 0.1 });
    const state = est.getState();
    expect(state.options.oodRate).toBe(0.1);
    const again = SdmEstimator.fromState(JSON.parse(JSON.stringify(state)));
    expect(again.summaryStats().oodDistanceThreshold).toBe(est.summaryStats().oodDistanceThreshold);
    const a = await est.predict(p.test.embeddings, p.test.logits);
    const b = await again.predict(p.test.embeddings, p.test.logits);
    expect(b.map((x) => [x.isOod, x.reliability])).toEqual(a.map((x) => [x.isOod, x.reliability]));
    expect(a.some((x) => x.isOod)).toBe(true);
    // A state written before oodRate existed loads with the default δ = 0.01, its threshold from the stored d₀.
    const old = JSON.parse(JSON.stringify(state));
    delete old.options.oodRate;
    const loaded = SdmEstimator.fromState(old);
    expect(loaded.summaryStats().oodRate).toBe(DEFAULT_OOD_RATE);
    expect(loaded.summaryStats().oodDistanceThreshold).toBe(
      conformalDistanceThreshold(state.calibration.d0, DEFAULT_OOD_RATE),
    );
    const tampered = JSON.parse(JSON.stringify(state));
    tampered.options.oodRate = 0.7;
    expectDroError(() => SdmEstimator.fromState(tampered), 'E_STATE_VERSION', 'oodRate');
    for (const e of [est, again, loaded]) e.dispose();
  });
});
