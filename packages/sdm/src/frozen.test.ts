import { describeBackends, expectDroError, loadVectors } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { samplesForMargin } from './dkw.js';
import { SdmEstimator } from './estimator.js';
import { frozenArguments, type SdmFrozenFitData } from './frozen.js';
import { smallProblem } from './smallProblem.fixture.js';

// biome-ignore lint/suspicious/noExplicitAny: untyped JSON
const V = loadVectors<any>(new URL('../vectors/sdm.json', import.meta.url)).end_to_end;
const DATA: SdmFrozenFitData = {
  embeddings: V.support.exemplars,
  labels: V.support.labels,
  logits: V.support.logits,
  calibration: { embeddings: V.calibration.exemplars, labels: V.calibration.labels, logits: V.calibration.logits },
};
const argmax = (r: number[]) => r.indexOf(Math.max(...r));

/** smallProblem split into a support part and a calibration part of `perClass` rows per class. */
function frozenProblem(seed: number, perClass: number): SdmFrozenFitData {
  const s = smallProblem(seed, 300 + 3 * perClass);
  return {
    embeddings: s.x.slice(0, 300),
    labels: s.y.slice(0, 300),
    logits: s.logits.slice(0, 300),
    calibration: { embeddings: s.x.slice(300), labels: s.y.slice(300), logits: s.logits.slice(300) },
  };
}

describe('fitFrozen arguments', () => {
  it('training options are rejected by name before anything runs', () => {
    for (const key of ['epochs', 'exemplarDim', 'adaptor', 'learningRate', 'shuffles', 'onEpochEnd']) {
      expectDroError(() => frozenArguments(DATA, { numClasses: 2, [key]: 1 } as never), 'E_SPEC', key);
    }
    expectDroError(() => frozenArguments(DATA, { numClasses: 2, onWarning: 5 } as never), 'E_SPEC', 'onWarning');
    expect(frozenArguments(DATA, { numClasses: 2, alpha: 0.9 }).opts).toEqual({
      numClasses: 2,
      alpha: 0.9,
      adaptor: 'frozen',
    });
  });
});

describeBackends('SdmEstimator.fitFrozen (verify the model’s own predictions)', () => {
  it("equals fit with adaptor 'frozen' and judges the model's argmax", async () => {
    const opts = { numClasses: 2, normalize: 'none', maxQ: 10, alpha: 0.9 } as const;
    const a = await SdmEstimator.fitFrozen(DATA, opts);
    const b = await SdmEstimator.fit(DATA, { ...opts, adaptor: 'frozen' });
    expect(a.getState()).toEqual(b.getState());
    const pa = await a.predict(V.test.exemplars, V.test.logits);
    expect(pa.map((p) => p.label)).toEqual(V.test.logits.map(argmax));
    expect(JSON.stringify(pa.map((p) => [p.reliability, p.valid, p.sdmProbs]))).toBe(
      JSON.stringify(
        (await b.predict(V.test.exemplars, V.test.logits)).map((p) => [p.reliability, p.valid, p.sdmProbs]),
      ),
    );
    expect(a.summaryStats().noRegion).toBeNull();
    a.dispose();
    b.dispose();
  });

  it('no region at α′: onWarning gets one line naming the binding class and the largest α′; recalibrate there works', async () => {
    const warnings: string[] = [];
    const est = await SdmEstimator.fitFrozen(DATA, {
      numClasses: 2,
      normalize: 'none',
      maxQ: 10,
      alpha: 0.999,
      onWarning: (m) => warnings.push(m),
    });
    const s = est.summaryStats();
    expect(s.regionFound).toBe(false);
    const r = s.noRegion;
    expect(r).not.toBeNull();
    expect(warnings).toEqual([r?.message]);
    expect(s.warnings).toEqual(warnings);
    expect(r?.message).toContain(`class ${r?.bindingClass} binds`);
    expect(r?.bindingErrorRate).toBeGreaterThan(1 - 0.999);
    expect(r?.perClassNow.reduce((x, y) => x + y, 0)).toBe(V.calibration.labels.length);
    expect(est.summary()).toContain('warning: no high-reliability region at α′ = 0.999');
    expect(r?.largestAlpha).not.toBeNull();
    expect(est.recalibrate(r?.largestAlpha as number).found).toBe(true);
    expect(est.summaryStats().noRegion).toBeNull();
    est.dispose();
  });

  it('the thin-evidence warning appears exactly when a region exists and ≥ half the calibration is insufficient-evidence', async () => {
    let seenThin = false;
    for (const perClass of [8, 30, 150]) {
      const warnings: string[] = [];
      const est = await SdmEstimator.fitFrozen(frozenProblem(3, perClass), {
        numClasses: 3,
        alpha: 0.9,
        maxQ: 100,
        onWarning: (m) => warnings.push(m),
      });
      const s = est.summaryStats();
      const thin = s.regionFound && s.calibrationStatusFractions.insufficientEvidence >= 0.5;
      seenThin ||= thin;
      expect(warnings.some((w) => w.includes("'insufficient-evidence'"))).toBe(thin);
      expect(warnings.length).toBe(s.regionFound ? (thin ? 1 : 0) : 1);
      est.dispose();
    }
    expect(seenThin).toBe(true);
  });
});

describe('samplesForMargin', () => {
  it('is the smallest n with ε(n) ≤ d', () => {
    for (const alpha of [0.9, 0.95, 0.99]) {
      for (const d of [0.02, 0.1, 0.3, 0.9]) {
        const n = samplesForMargin(d, alpha) as number;
        const eps = (m: number) => Math.sqrt(Math.log(2 / (1 - alpha)) / (2 * m));
        expect(eps(n)).toBeLessThanOrEqual(d);
        if (n > 1) expect(eps(n - 1)).toBeGreaterThan(d);
      }
    }
    expect(samplesForMargin(0, 0.95)).toBeNull();
    expect(samplesForMargin(0.5, 1)).toBeNull();
  });
});
