import { createRng } from '@drojs/dro-core';
import { describe, expect, it } from 'vitest';
import {
  conformalSingletonAdmit,
  fitTemperature,
  selectiveMetrics,
  softmaxHost,
  softmaxThresholdAdmit,
} from './baselines.js';

/** Labels drawn from softmax(z / T) so the true temperature is T. */
function calibratedProblem(seed: number, n: number, T: number) {
  const rng = createRng(seed);
  const logits: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = [0, 1, 2].map(() => 4 * rng.normal());
    const p = softmaxHost(z, T);
    const u = rng.uniform();
    labels.push(u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2);
    logits.push(z);
  }
  return { logits, labels };
}

describe('baselines', () => {
  it('fitTemperature recovers the generating temperature', () => {
    const { logits, labels } = calibratedProblem(1, 4000, 2.5);
    expect(fitTemperature(logits, labels)).toBeGreaterThan(2.2);
    expect(fitTemperature(logits, labels)).toBeLessThan(2.8);
  });

  it('softmax threshold admits exactly the rows with max p ≥ α′', () => {
    const z = [
      [0, 3],
      [0, 2.9],
      [8, 0],
    ];
    // softmax([0, 3])[1] = 0.9526, softmax([0, 2.9])[1] = 0.9478
    expect(Array.from(softmaxThresholdAdmit(z, 0.95))).toEqual([1, 0, 1]);
    expect(Array.from(softmaxThresholdAdmit(z, 0.95, 2))).toEqual([0, 0, 1]);
  });

  it('split-conformal LAC covers ≈ α′ and admits only singletons {argmax}', () => {
    const cal = calibratedProblem(2, 3000, 1);
    const test = calibratedProblem(3, 3000, 1);
    const cp = cal.logits.map((z) => softmaxHost(z));
    const tp = test.logits.map((z) => softmaxHost(z));
    for (const mondrian of [false, true]) {
      const admit = conformalSingletonAdmit(cp, cal.labels, tp, 0.9, { score: 'lac', mondrian });
      const pred = tp.map((p) => p.indexOf(Math.max(...p)));
      const m = selectiveMetrics(admit, pred, test.labels, 3);
      expect(m.admittedFraction).toBeGreaterThan(0.2);
      expect(m.marginalAccuracy!).toBeGreaterThan(0.85);
    }
    const aps = conformalSingletonAdmit(cp, cal.labels, tp, 0.9, { score: 'aps' });
    const apsScores = cal.labels.map((y, i) => {
      const p = cp[i]!;
      return p.reduce((s, v, c) => (v > p[y]! || (v === p[y]! && c <= y) ? s + v : s), 0);
    });
    const sorted = [...apsScores].sort((a, b) => a - b);
    const qhat = sorted[Math.ceil(3001 * 0.9) - 1]!;
    expect(Array.from(aps)).toEqual(tp.map((p) => (Math.max(...p) >= qhat ? 1 : 0)));
  });

  it('selectiveMetrics: OOD labels count as errors, minima over classes with admitted points', () => {
    const m = selectiveMetrics([1, 1, 1, 0, 1], [0, 1, 1, 0, 0], [0, 1, 0, 0, -1], 2);
    expect(m.nAdmitted).toBe(4);
    expect(m.admittedFraction).toBeCloseTo(0.8, 12);
    expect(m.marginalAccuracy).toBeCloseTo(0.5, 12);
    expect(m.minClassConditionalAccuracy).toBeCloseTo(0.5, 12);
    expect(m.minPredictionConditionalAccuracy).toBeCloseTo(0.5, 12);
    expect(selectiveMetrics([0, 0], [0, 1], [0, 1], 2).marginalAccuracy).toBeNull();
  });
});
