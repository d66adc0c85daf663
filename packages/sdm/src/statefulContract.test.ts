import { UNLABELED as CORE_UNLABELED } from '@drojs/dro-core';
import { checkStatefulContract, describeBackends, expectDroError } from '@drojs/dro-core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { UNLABELED } from './constants.js';
import { SdmEstimator } from './estimator.js';
import type { SdmFitOptions } from './options.js';
import { smallProblem } from './smallProblem.fixture.js';
import type { SdmEstimatorState } from './state.js';

const OPTS: SdmFitOptions = {
  numClasses: 3,
  exemplarDim: 8,
  epochs: 2,
  shuffles: 1,
  batchSize: 16,
  learningRate: 1e-2,
  maxQ: 30,
  seed: 'contract',
};
const probe = smallProblem(2, 12);

/** One batch for the estimator: two rows added to the support set, then the probe's predictions. */
async function step(est: SdmEstimator, i: number): Promise<unknown> {
  const rows = [i % probe.x.length, (i + 5) % probe.x.length];
  await est.addToSupport(
    rows.map((r) => probe.x[r] as number[]),
    rows.map((r, j) => (j === 0 ? (probe.y[r] as number) : UNLABELED)),
    rows.map((r) => probe.logits[r] as number[]),
  );
  const p = await est.predict(probe.x, probe.logits);
  return p.map((r) => ({ label: r.label, q: r.q, d: r.d, valid: r.valid, probs: Array.from(r.sdmProbsLower) }));
}

describeBackends('sdm stateful classes', () => {
  describe('SdmEstimator', () => {
    let state: SdmEstimatorState;
    beforeAll(async () => {
      const { x, y, logits } = smallProblem(1, 90);
      const est = await SdmEstimator.fit({ embeddings: x, labels: y, logits }, OPTS);
      state = est.getState();
      est.dispose();
    });

    checkStatefulContract({
      name: 'SdmEstimator',
      make: () => SdmEstimator.fromState(state),
      step,
      fromState: SdmEstimator.fromState,
      badOptions: {
        key: 'maxq',
        make: () => {
          const { x, y, logits } = smallProblem(1, 30);
          return SdmEstimator.fit({ embeddings: x, labels: y, logits }, { ...OPTS, maxq: 3 } as never);
        },
      },
      badStep: (est) => est.addToSupport([probe.x[0] as number[]], [7], [probe.logits[0] as number[]]),
      leakRepeats: 5,
    });

    it("states of the old kind 'sdm-estimator' with −1 unlabelled rows load, the −1 read as UNLABELED", async () => {
      const est = SdmEstimator.fromState(state);
      await est.addToSupport([probe.x[0] as number[]], [UNLABELED], [probe.logits[0] as number[]]);
      const now = est.getState();
      expect(now.kind).toBe('@drojs/sdm/SdmEstimator');
      expect(now.support.labels.at(-1)).toBe(-2);
      const old = JSON.parse(JSON.stringify(now)) as SdmEstimatorState;
      old.kind = 'sdm-estimator';
      old.support.labels[old.support.labels.length - 1] = -1;
      const restored = SdmEstimator.fromState(old);
      expect(restored.getState()).toEqual(now);
      expect(await restored.predict(probe.x, probe.logits)).toEqual(await est.predict(probe.x, probe.logits));
      restored.dispose();
      est.dispose();
    });

    it('the deprecated −1 is accepted on input and stored as UNLABELED (−2, dro-core’s)', async () => {
      expect(UNLABELED).toBe(CORE_UNLABELED);
      expect(UNLABELED).toBe(-2);
      const a = SdmEstimator.fromState(state);
      const b = SdmEstimator.fromState(state);
      await a.addToSupport([probe.x[1] as number[]], [-1], [probe.logits[1] as number[]]);
      await b.addToSupport([probe.x[1] as number[]], [UNLABELED], [probe.logits[1] as number[]]);
      expect(a.getState()).toEqual(b.getState());
      a.dispose();
      b.dispose();
    });

    it('tampered state values are E_STATE_VERSION', () => {
      const bad = JSON.parse(JSON.stringify(state)) as SdmEstimatorState;
      bad.calibration.d[0] = 2;
      expectDroError(() => SdmEstimator.fromState(bad), 'E_STATE_VERSION', 'state.calibration.d');
      const bad2 = JSON.parse(JSON.stringify(state)) as SdmEstimatorState;
      bad2.support.labels[0] = 3;
      expectDroError(() => SdmEstimator.fromState(bad2), 'E_STATE_VERSION', 'state.support.labels');
    });

    it('summary() is printable text built from summaryStats()', () => {
      const est = SdmEstimator.fromState(state);
      const text = est.summary();
      const s = est.summaryStats();
      expect(typeof text).toBe('string');
      expect(text).toContain(`${s.numClasses} classes`);
      expect(text).toContain(`support ${s.supportSize} rows, calibration ${s.calibrationSize} rows`);
      expect(text).toContain(s.regionFound ? 'region found' : 'region not found');
      est.dispose();
    });
  });
});
