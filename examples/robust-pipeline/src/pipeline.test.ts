// The packages composed end to end on a small slice (CI integration test): datasets' label noise →
// smoothing's trainWithNoise with an ldr-loss loss → certifyDataset → sdm (trained adaptor and frozen).
// It asserts what the composition guarantees and what is stable on this slice, never timings.
import { initBackend } from '@drojs/dro-core';
import { ABSTAIN } from '@drojs/smoothing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SLICE } from './config.js';
import { PIXELS } from './data.js';
import { buildMlp } from './model.js';
import { featuresOf, outcomes, type PipelineResult, runPipeline } from './pipeline.js';
import { disagreement, quadrants } from './quadrants.js';

const STATUSES = ['high', 'ood', 'insufficient-evidence', 'no-support', 'near-chance', 'low'];
let res: PipelineResult;

beforeAll(async () => {
  await initBackend();
  res = await runPipeline(SLICE, () => {});
});

describe('robust pipeline on a small slice', () => {
  it('every stage produces one result per evaluation image', () => {
    expect(res.certificates.length).toBe(SLICE.numEval);
    expect(res.certificates.map((c) => c.index)).toEqual(Array.from({ length: SLICE.numEval }, (_, i) => i));
    for (const mode of ['adaptor', 'frozen'] as const) {
      expect(res.sdm[mode].predictions.length).toBe(SLICE.numEval);
      expect(res.sdm[mode].summary.calibrationSize).toBe(SLICE.numCalibration);
      expect(res.sdm[mode].summary.supportSize).toBe(SLICE.numSupport);
    }
    expect(res.trainLoss.length).toBe(SLICE.epochs);
    expect(res.trainLoss.every(Number.isFinite)).toBe(true);
  });

  it('the LDR-KL loss reaches smoothing: the loss falls and the smoothed model beats chance by far', () => {
    expect(res.trainLoss[SLICE.epochs - 1]).toBeLessThan(res.trainLoss[0] as number);
    expect(res.cleanAccuracy).toBeGreaterThan(0.6);
    const certifiedCorrect = res.certificates.filter(
      (c) => c.prediction !== ABSTAIN && c.radius >= SLICE.radius && c.prediction === c.label,
    ).length;
    expect(certifiedCorrect / SLICE.numEval).toBeGreaterThan(0.4);
  });

  it('frozen SDM judges the model’s own label, and smoothing certifies that same label', () => {
    const frozen = res.sdm.frozen.predictions.map((p) => p.label);
    expect(frozen).toEqual(Array.from(res.modelPredictions));
    const dis = disagreement(outcomes(res, 'frozen'), SLICE.radius);
    expect(dis.numCertified).toBeGreaterThan(0);
    expect(dis.certified).toBeLessThanOrEqual(0.05);
  });

  it('SDM statuses partition the images: ood only with isOod, insufficient evidence never OOD, high = admitted', () => {
    for (const mode of ['adaptor', 'frozen'] as const) {
      const run = res.sdm[mode];
      expect(Object.keys(run.statuses).sort()).toEqual([...STATUSES].sort());
      expect(Object.values(run.statuses).reduce((a, b) => a + b, 0)).toBe(SLICE.numEval);
      for (const p of run.predictions) {
        expect(p.reliability === 'high').toBe(p.valid);
        if (!p.valid) expect(p.reliability === 'ood').toBe(p.isOod);
        if (p.isInsufficientEvidence) expect(p.isOod).toBe(false);
        if (p.reliability === 'no-support') expect(p.isOodBySimilarity).toBe(true);
      }
    }
  });

  it("SDM's calibrated 'ood' flags under 5 % of the clean test images (δ = 0.01, calibration exchangeable)", () => {
    for (const mode of ['adaptor', 'frozen'] as const) {
      const run = res.sdm[mode];
      expect(run.summary.oodRate).toBe(0.01);
      expect(run.summary.calibrationStatusFractions.ood).toBeLessThanOrEqual(0.01);
      const flagged = run.predictions.filter((p) => p.isOod).length;
      expect(flagged / SLICE.numEval).toBeLessThan(0.05);
    }
  });

  it('the quadrant table accounts for every image and its accuracies are those of its cells', () => {
    const pts = outcomes(res, 'frozen');
    const rows = quadrants(pts, SLICE.radius);
    expect(rows.reduce((a, r) => a + r.count, 0)).toBe(SLICE.numEval);
    const both = pts.filter((p) => p.admitted && p.smoothedPrediction >= 0 && p.radius >= SLICE.radius);
    expect(rows[0]?.count).toBe(both.length);
  });

  it("SDM's exemplars are the model's [h1 ; h2] at unit length, and its logits the model's own", () => {
    const model = buildMlp([16, 8], 'exemplar-test');
    const n = 5;
    const x = Float32Array.from({ length: n * PIXELS }, (_, i) => ((i * 7919) % 255) / 255);
    const { embeddings, logits } = featuresOf(model, { x, y: new Int32Array(n), n });
    expect(embeddings.shape).toEqual([n, 24]);
    for (const row of embeddings.arraySync()) expect(Math.hypot(...row)).toBeCloseTo(1, 5);
    const direct = tf.tidy(() => (model.predict(tf.tensor2d(x, [n, PIXELS])) as tf.Tensor).arraySync());
    expect(logits.arraySync()).toEqual(direct);
    tf.dispose([embeddings, logits]);
    model.dispose();
  });
});
