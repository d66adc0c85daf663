import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DroErrorCode } from '@drojs/dro-core';
import { describeBackends, expectNoLeakAsync, loadVectors } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OOD_LABEL, UNLABELED } from './constants.js';
import { SdmEstimator, type SdmFitData } from './estimator.js';
import type { SdmFitOptions } from './options.js';
import { diagnoseRegion } from './regionDiagnosis.js';
import { smallProblem } from './smallProblem.fixture.js';

// biome-ignore lint/suspicious/noExplicitAny: untyped JSON
const V = loadVectors<any>(new URL('../vectors/sdm.json', import.meta.url)).end_to_end;
const E2E_DATA: SdmFitData = {
  embeddings: V.support.exemplars,
  labels: V.support.labels,
  logits: V.support.logits,
  calibration: { embeddings: V.calibration.exemplars, labels: V.calibration.labels, logits: V.calibration.logits },
};
const E2E_OPTS: SdmFitOptions = {
  numClasses: 2,
  adaptor: 'frozen',
  normalize: 'none',
  split: 'fixed',
  maxQ: 10,
  alpha: 0.9,
};

const TRAIN_OPTS: SdmFitOptions = {
  numClasses: 3,
  exemplarDim: 8,
  epochs: 3,
  shuffles: 2,
  batchSize: 16,
  learningRate: 1e-2,
  maxQ: 30,
  seed: 7,
};

async function expectRejects(p: () => Promise<unknown>, code: DroErrorCode, arg?: string): Promise<void> {
  let err: unknown;
  try {
    await p();
  } catch (e) {
    err = e;
  }
  expect((err as { name?: string })?.name, `expected DroError ${code}, got ${String(err)}`).toBe('DroError');
  expect((err as { code?: string }).code).toBe(code);
  if (arg) expect((err as Error).message).toContain(arg);
}

function plain(p: object[]): unknown {
  return JSON.parse(JSON.stringify(p, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as number[]) : v)));
}

describeBackends('SdmEstimator', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sdm-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('frozen end-to-end: properties of predictions', async () => {
    const est = await SdmEstimator.fit(E2E_DATA, E2E_OPTS);
    const preds = await est.predict(V.test.exemplars, V.test.logits);
    const region = est.region;
    for (const p of preds) {
      expect(p.qPrime === 0 || (p.qPrime >= 1 && p.qPrime <= p.q)).toBe(true);
      expect(p.qPrime === 0).toBe(p.q === 0);
      expect(p.dLower).toBeLessThanOrEqual(p.d);
      expect(p.d).toBeLessThanOrEqual(p.dUpper);
      if (p.isHighReliabilityLower) expect(p.isHighReliability).toBe(true);
      if (p.isHighReliability) {
        expect(p.isOodBySimilarity).toBe(false);
        expect(p.qPrime).toBeGreaterThanOrEqual(region.qPrimeMin);
      }
      expect(p.valid).toBe(p.isHighReliabilityLower);
      expect(p.isOodByDistance).toBe(p.d === 0);
      expect(p.isOod).toBe(p.dNearest > est.summaryStats().oodDistanceThreshold);
      expect(p.isInsufficientEvidence).toBe(!p.isOod && p.dLower === 0);
      if (p.reliability === 'high') expect(p.valid).toBe(true);
      if (!p.valid && p.isOod) expect(p.reliability).toBe('ood');
      if (!p.valid && p.isInsufficientEvidence) expect(p.reliability).toBe('insufficient-evidence');
      if (p.isInsufficientEvidence) expect(p.valid).toBe(false);
    }
    // The vectors' test points cover the statuses: d_lower = 0 (point d = 0 included) is insufficient
    // evidence, then q = 0 is no-support; with 40 calibration points δ = 0.01 flags nothing (k = 41 > n).
    const ex = V.test_expected;
    expect(est.summaryStats().oodDistanceThreshold).toBe(Number.POSITIVE_INFINITY);
    expect(preds.some((p) => p.reliability === 'ood')).toBe(false);
    expect(preds.map((p) => p.reliability === 'insufficient-evidence')).toEqual(ex.d_lower.map((d: number) => d === 0));
    expect(preds.map((p) => p.reliability === 'no-support')).toEqual(
      ex.q.map((q: number, i: number) => q === 0 && ex.d_lower[i] > 0),
    );
    expect(preds.filter((p) => p.isInsufficientEvidence).length).toBeGreaterThan(0);
    expect(preds.filter((p) => p.isOodByDistance && !p.isOodBySimilarity).length).toBeGreaterThan(0);
    expect(region.found).toBe(true);
    expect(Array.from(est.calibrationDetails().qPrime)).toContain(region.qPrimeMin);
    for (const t of region.thresholds) expect(t).toBeGreaterThanOrEqual(0.9);
    const pointRule = await est.predict(V.test.exemplars, V.test.logits, { decisionRule: 'point' });
    expect(pointRule.map((p) => p.valid)).toEqual(pointRule.map((p) => p.isHighReliability));
    // The point rule's d is its own bound: insufficient evidence exactly at d = 0; OOD does not depend on the rule.
    expect(pointRule.map((p) => p.isInsufficientEvidence)).toEqual(pointRule.map((p) => !p.isOod && p.d === 0));
    expect(pointRule.map((p) => p.isOod)).toEqual(preds.map((p) => p.isOod));
    // q = 0 is 'no-support' under the point rule when d > 0; under the lower rule q′ = 0 forces d_lower = 0.
    expect(pointRule.map((p) => p.reliability === 'no-support')).toEqual(
      pointRule.map((p) => !p.valid && !p.isOod && p.d > 0 && p.q === 0),
    );
    expect(preds.filter((p) => p.q === 0).every((p) => p.dLower === 0)).toBe(true);
    // In-sample statuses of the calibration points (summaryStats rebuilds the lower-rule outputs from the
    // stored point outputs) equal what predict says on the same rows.
    const onCal = await est.predict(V.calibration.exemplars, V.calibration.logits);
    const share = (r: string) => onCal.filter((p) => p.reliability === r).length / 40;
    expect(est.summaryStats().calibrationStatusFractions).toEqual({
      high: share('high'),
      ood: share('ood'),
      insufficientEvidence: share('insufficient-evidence'),
      noSupport: share('no-support'),
      nearChance: share('near-chance'),
      low: share('low'),
    });
    const thin = onCal.filter((p) => p.reliability === 'insufficient-evidence').length;
    expect(thin).toBeGreaterThan(0);
    expect(est.summary()).toContain('insufficient-evidence');
    expect(est.summary()).toContain('OOD test: d₀ > Infinity');
    expect(est.summaryStats()).toMatchObject({
      numClasses: 2,
      alpha: 0.9,
      regionFound: true,
      supportSize: 24,
      calibrationSize: 40,
    });
    est.dispose();
  });

  it("oodSupport, ids and maxQ: 'largest-class'", async () => {
    const ids = V.support.labels.map((_: number, i: number) => `s${i}`);
    const est = await SdmEstimator.fit(
      {
        ...E2E_DATA,
        ids,
        oodSupport: {
          embeddings: V.test.exemplars.slice(0, 2),
          labels: [OOD_LABEL, UNLABELED],
          logits: V.test.logits.slice(0, 2),
        },
      },
      { ...E2E_OPTS, maxQ: 'largest-class' },
    );
    expect(est.getState().maxQResolved).toBe(12);
    expect(est.summaryStats().supportSize).toBe(26);
    const p = await est.predict(V.test.exemplars, V.test.logits);
    expect(p[0]!.nearestSupportIndex).toBe(24);
    expect(p[0]!.q).toBe(0);
    expect(p[0]!.nearestSupportId).toBe(undefined);
    const far = p.find((r) => r.nearestSupportIndex < 24)!;
    expect(far.nearestSupportId).toBe(`s${far.nearestSupportIndex}`);
    est.dispose();
  });

  it('recalibrate at the fitted α′ reproduces the region; a new α′ changes ε', async () => {
    const est = await SdmEstimator.fit(E2E_DATA, E2E_OPTS);
    const before = est.region;
    expect(est.recalibrate(0.9)).toEqual(before);
    const p1 = await est.predict(V.test.exemplars, V.test.logits);
    est.recalibrate(0.99);
    expect(est.region.alpha).toBe(0.99);
    const p2 = await est.predict(V.test.exemplars, V.test.logits);
    expect(p2.map((p) => p.label)).toEqual(p1.map((p) => p.label));
    expect(p2[0]!.sampleSizeErrors[0]!).toBeGreaterThan(p1[0]!.sampleSizeErrors[0]!);
    est.dispose();
  });

  it('diagnoseRegion on the stored calibration explains the region; recalibrate(largestAlpha) finds one', async () => {
    const est = await SdmEstimator.fit(E2E_DATA, E2E_OPTS);
    const details = est.calibrationDetails();
    for (const alpha of [0.9, 0.99, 0.999]) {
      const d = diagnoseRegion({ ...details, alpha, numClasses: 2 });
      expect(d.found).toBe(est.recalibrate(alpha).found);
      expect(d.found).toBe(d.minPsi >= alpha);
      expect(d.largestAlpha).not.toBeNull();
      expect(est.recalibrate(d.largestAlpha!).found).toBe(true);
      if (d.largestAlpha! + 1e-4 <= 1) expect(est.recalibrate(d.largestAlpha! + 1e-4).found).toBe(false);
    }
    est.dispose();
  });

  it('addToSupport never changes a label and can lower q through OOD points', async () => {
    const est = await SdmEstimator.fit(E2E_DATA, E2E_OPTS);
    const before = await est.predict(V.test.exemplars, V.test.logits);
    await est.addToSupport(V.test.exemplars, new Array(V.test.exemplars.length).fill(OOD_LABEL), V.test.logits);
    const after = await est.predict(V.test.exemplars, V.test.logits);
    expect(after.map((p) => p.label)).toEqual(before.map((p) => p.label));
    expect(after.every((p) => p.q === 0)).toBe(true);
    expect(after.every((p) => !p.valid)).toBe(true);
    expect(est.summaryStats().supportSize).toBe(24 + V.test.exemplars.length);
    est.dispose();
  });

  it('getState → fromState and save → load give identical outputs, also after addToSupport/recalibrate', async () => {
    const { x, y, logits } = smallProblem(1, 120);
    const est = await SdmEstimator.fit({ embeddings: x, labels: y, logits }, TRAIN_OPTS);
    const probe = smallProblem(2, 25);
    const check = async (e: SdmEstimator) => {
      const copy = SdmEstimator.fromState(JSON.parse(JSON.stringify(e.getState())));
      const path = join(dir, `est-${Math.random().toString(36).slice(2)}.json`);
      await e.save(path);
      const loaded = await SdmEstimator.load(path);
      const want = plain(await e.predict(probe.x, probe.logits));
      for (const other of [copy, loaded]) {
        expect(plain(await other.predict(probe.x, probe.logits))).toEqual(want);
        expect(other.getState()).toEqual(e.getState());
        expect(other.region).toEqual(e.region);
        expect(other.summaryStats()).toEqual(e.summaryStats());
        expect(other.calibrationDetails()).toEqual(e.calibrationDetails());
        other.dispose();
      }
    };
    await check(est);
    await est.addToSupport(probe.x.slice(0, 5), [0, 1, 2, UNLABELED, OOD_LABEL], probe.logits.slice(0, 5));
    est.recalibrate(0.9);
    await check(est);
    expect(JSON.parse(JSON.stringify(est))).toEqual(est.getState());
    expect(readdirSync(dir).every((f) => f.endsWith('.json'))).toBe(true);
    est.dispose();
  });

  it('an aborted signal stops fit with E_ABORTED and leaves no tensors', async () => {
    const { x, y, logits } = smallProblem(8, 60);
    const before = tf.memory().numTensors;
    const ctl = new AbortController();
    const run = SdmEstimator.fit(
      { embeddings: x, labels: y, logits },
      { ...TRAIN_OPTS, signal: ctl.signal, onEpochEnd: () => ctl.abort() },
    );
    await expectRejects(() => run, 'E_ABORTED');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fit is deterministic for a seed and records the selected epoch', async () => {
    const { x, y, logits } = smallProblem(3, 90);
    const epochs: number[] = [];
    const a = await SdmEstimator.fit(
      { embeddings: x, labels: y, logits },
      { ...TRAIN_OPTS, onEpochEnd: (i) => epochs.push(i.epoch) },
    );
    const b = await SdmEstimator.fit({ embeddings: x, labels: y, logits }, TRAIN_OPTS);
    expect(epochs).toEqual([0, 1, 2, 0, 1, 2]);
    expect(a.getState()).toEqual(b.getState());
    const s = a.getState();
    const best = s.training!.history.reduce((m, h) => Math.min(m, h.calibrationBalancedLoss), Number.POSITIVE_INFINITY);
    expect(s.training!.calibrationBalancedLoss).toBe(best);
    const id = await SdmEstimator.fit(
      { embeddings: x, labels: y },
      { ...TRAIN_OPTS, adaptor: 'identity', shuffles: 1 },
    );
    expect(id.getState().adaptor.exemplarDim).toBe(6);
    expect((await id.predict(x.slice(0, 3))).length).toBe(3);
    for (const e of [a, b, id]) e.dispose();
  });

  it('a trained calibration is Algorithm 1 applied literally to the calibration points as predict sees them', async () => {
    // Checks the wiring that unit tests of the pieces cannot: calibration uses the selected weights, the
    // support D_tr without self-exclusion, CDFs built from the calibration points themselves (q > 0, strict <),
    // the min over all classes, and the stored loss is the selected epoch's balanced loss of that calibration.
    const tr = smallProblem(5, 150);
    const ca = smallProblem(6, 150);
    const est = await SdmEstimator.fit(
      {
        embeddings: tr.x,
        labels: tr.y,
        logits: tr.logits,
        calibration: { embeddings: ca.x, labels: ca.y, logits: ca.logits },
      },
      { ...TRAIN_OPTS, split: 'fixed', epochs: 15, shuffles: 1, maxQ: 100, alpha: 0.8 },
    );
    const cal = est.calibrationDetails();
    const predicted = est.getState().calibration.predicted;
    const C = 3;
    const n = ca.y.length;
    const cdfs = Array.from({ length: C }, (_, c) =>
      Array.from(cal.d0)
        .filter((_v, i) => cal.q[i]! > 0 && cal.labels[i] === c)
        .sort((a, b) => a - b),
    );
    expect(cal.distanceCdfs.map((r) => Array.from(r))).toEqual(cdfs);
    const preds = await est.predict(ca.x, ca.logits);
    let balanced = 0;
    for (let c = 0; c < C; c++) {
      const members = [...Array(n).keys()].filter((i) => ca.y[i] === c);
      let sum = 0;
      for (const i of members) sum += -Math.log(cal.sdmProbs[i]![c]!) / Math.log(2 + cal.q[i]!);
      balanced += members.length > 0 ? sum / members.length : 0;
    }
    expect(est.summaryStats().calibrationBalancedLoss).toBeCloseTo(balanced / C, 10);
    for (let i = 0; i < n; i++) {
      const p = preds[i]!;
      expect(p.label).toBe(predicted[i]);
      expect(p.q).toBe(cal.q[i]);
      expect(p.dNearest).toBe(cal.d0[i]);
      const literalD = Math.min(
        ...cdfs.map((s) => (s.length === 0 ? 0 : 1 - s.filter((v) => v < cal.d0[i]!).length / s.length)),
      );
      expect(cal.d[i]).toBe(literalD);
      expect(p.d).toBe(literalD);
      expect(Array.from(p.sdmProbs)).toEqual(Array.from(cal.sdmProbs[i]!));
      expect(cal.qPrime[i]).toBe(Math.min(cal.q[i]!, (2 + cal.q[i]!) ** cal.sdmProbs[i]![predicted[i]!]!));
    }
    // Algorithm 1, literally: first distinct non-OOD q′ at which every class's ⌊(1−α′)n⌋-th SDM output ≥ α′.
    const alpha = 0.8;
    const live = [...Array(n).keys()].filter((i) => Math.floor(cal.qPrime[i]!) > 0);
    const candidates = [...new Set(live.map((i) => cal.qPrime[i]!))].sort((a, b) => a - b);
    let qMin = Number.POSITIVE_INFINITY;
    for (const t of candidates) {
      const psi = Array.from({ length: C }, (_, c) => {
        const v = live
          .filter((i) => cal.labels[i] === c && cal.qPrime[i]! >= t)
          .map((i) => cal.sdmProbs[i]![c]!)
          .sort((a, b) => a - b);
        return v.length === 0 ? 0 : Math.max(0, v[Math.min(Math.floor((1 - alpha) * v.length), v.length - 1)]!);
      });
      if (psi.every((p) => p >= alpha)) {
        qMin = t;
        expect(Array.from(est.region.thresholds)).toEqual(psi);
        break;
      }
    }
    expect(Number.isFinite(qMin)).toBe(true);
    expect(est.region.qPrimeMin).toBe(qMin);
    expect(est.region.found).toBe(true);
    est.dispose();
  });

  it('predict, addToSupport, recalibrate and supportStatistics leak no tensors; fit + dispose restores the count', async () => {
    const { x, y, logits } = smallProblem(4, 60);
    const before = tf.memory().numTensors;
    const est = await SdmEstimator.fit({ embeddings: x, labels: y, logits }, { ...TRAIN_OPTS, shuffles: 1 });
    await expectNoLeakAsync(() => est.predict(x.slice(0, 10), logits.slice(0, 10)), { repeats: 5 });
    await expectNoLeakAsync(() => est.supportStatistics(), { repeats: 3 });
    await expectNoLeakAsync(
      async () => {
        est.recalibrate(0.9);
        return null;
      },
      { repeats: 3 },
    );
    await est.predict(x.slice(0, 2), logits.slice(0, 2));
    const n0 = tf.memory().numTensors;
    await est.addToSupport(x.slice(0, 2), [UNLABELED, UNLABELED], logits.slice(0, 2));
    await est.predict(x.slice(0, 2), logits.slice(0, 2));
    expect(tf.memory().numTensors).toBe(n0);
    est.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const bad = smallProblem(5, 60);
    bad.y = bad.y.map((v) => (v === 2 ? 1 : v));
    await expectRejects(() => SdmEstimator.fit({ embeddings: bad.x, labels: bad.y }, { ...TRAIN_OPTS }), 'E_EMPTY');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('SdmEstimator bad input → DroError before any state change', () => {
  let est: SdmEstimator;
  const t = {} as { rank1: tf.Tensor2D; int: tf.Tensor2D; floatLabels: tf.Tensor1D };
  const fit = (data: Partial<SdmFitData>, opts: Partial<SdmFitOptions> = {}) =>
    SdmEstimator.fit({ ...E2E_DATA, ...data } as SdmFitData, { ...E2E_OPTS, ...opts } as SdmFitOptions);
  beforeAll(async () => {
    est = await SdmEstimator.fit(E2E_DATA, E2E_OPTS);
    t.rank1 = tf.zeros([24]) as unknown as tf.Tensor2D;
    t.int = tf.zeros([24, 3], 'int32') as tf.Tensor2D;
    // dro-core's toLabels accepts whole-valued float32 label tensors; a non-integer value is E_DTYPE.
    t.floatLabels = tf.fill([24], 0.5) as tf.Tensor1D;
  });
  afterAll(() => {
    est.dispose();
    tf.dispose([t.rank1, t.int, t.floatLabels]);
  });

  const cases: [string, () => Promise<unknown>, DroErrorCode, string?][] = [
    ['mismatched row counts', () => fit({ labels: V.support.labels.slice(1) }), 'E_SHAPE', 'data.labels'],
    [
      'wrong logits width',
      () => fit({ logits: V.support.logits.map((r: number[]) => [...r, 0]) }),
      'E_SHAPE',
      'data.logits',
    ],
    [
      'ragged embeddings',
      () => fit({ embeddings: [[1, 2, 3], [1, 2], ...V.support.exemplars.slice(2)] }),
      'E_SHAPE',
      'data.embeddings',
    ],
    ['rank-1 tensor', () => fit({ embeddings: t.rank1 }), 'E_SHAPE', 'data.embeddings'],
    ['int32 embeddings tensor', () => fit({ embeddings: t.int }), 'E_DTYPE', 'data.embeddings'],
    ['non-integer float32 labels tensor', () => fit({ labels: t.floatLabels }), 'E_DTYPE', 'data.labels'],
    ['non-integer label', () => fit({ labels: [0.5, ...V.support.labels.slice(1)] }), 'E_DTYPE', 'data.labels'],
    ['label out of range', () => fit({ labels: [2, ...V.support.labels.slice(1)] }), 'E_LABEL_RANGE', 'data.labels'],
    [
      '−99 in training data',
      () => fit({ labels: [OOD_LABEL, ...V.support.labels.slice(1)] }),
      'E_LABEL_RANGE',
      'data.labels',
    ],
    [
      'class label in oodSupport',
      () => fit({ oodSupport: { embeddings: [[0, 0, 0]], labels: [1], logits: [[0, 0]] } }),
      'E_LABEL_RANGE',
    ],
    [
      'NaN embedding',
      () => fit({ embeddings: [[Number.NaN, 0, 0], ...V.support.exemplars.slice(1)] }),
      'E_NONFINITE',
      'data.embeddings',
    ],
    ['NaN option', () => fit({}, { learningRate: Number.NaN }), 'E_NONFINITE', 'opts.learningRate'],
    ['α′ = 0.5', () => fit({}, { alpha: 0.5 }), 'E_SPEC', 'opts.alpha'],
    ['α′ = 1.2', () => fit({}, { alpha: 1.2 }), 'E_SPEC', 'opts.alpha'],
    ['numClasses = 1', () => fit({}, { numClasses: 1 }), 'E_SPEC', 'opts.numClasses'],
    ['exemplarDim = 0', () => fit({}, { exemplarDim: 0 }), 'E_SPEC', 'opts.exemplarDim'],
    ['epochs = 1.5', () => fit({}, { epochs: 1.5 }), 'E_SPEC', 'opts.epochs'],
    ['maxQ = -1', () => fit({}, { maxQ: -1 }), 'E_SPEC', 'opts.maxQ'],
    ['learningRate = 0', () => fit({}, { learningRate: 0 }), 'E_SPEC', 'opts.learningRate'],
    ['unknown adaptor', () => fit({}, { adaptor: 'mlp' as 'linear' }), 'E_SPEC', 'opts.adaptor'],
    ["'frozen' without logits", () => fit({ logits: undefined }), 'E_SPEC', 'logits'],
    ["split 'fixed' without calibration", () => fit({ calibration: undefined }), 'E_SPEC', 'calibration'],
    [
      'σ = 0 with global normalisation',
      () => fit({ embeddings: V.support.exemplars.map(() => [1, 1, 1]) }, { normalize: 'global' }),
      'E_SPEC',
      'normalize',
    ],
    ['empty input', () => fit({ embeddings: [], labels: [], logits: [] }), 'E_EMPTY', 'data.embeddings'],
    [
      'a class missing from the calibration set',
      () => fit({ calibration: { ...E2E_DATA.calibration!, labels: V.calibration.labels.map(() => 0) } }),
      'E_EMPTY',
      'D_ca',
    ],
    ['wrong input width at predict', () => est.predict([[1, 2]], [[0, 1]]), 'E_SHAPE', 'predict.embeddings'],
    ['predict without logits (frozen)', () => est.predict(V.test.exemplars), 'E_SPEC', 'predict.logits'],
    [
      'predict with wrong logits width',
      () => est.predict(V.test.exemplars, V.test.exemplars),
      'E_SHAPE',
      'predict.logits',
    ],
    [
      'addToSupport label 5 with C = 2',
      () => est.addToSupport([[0, 0, 0]], [5], [[0, 1]]),
      'E_LABEL_RANGE',
      'addToSupport.labels',
    ],
    ['recalibrate α′ = 0.4', async () => est.recalibrate(0.4), 'E_SPEC', 'alpha'],
    [
      'fromState version 99',
      async () => SdmEstimator.fromState({ ...est.getState(), version: 99 as 1 }),
      'E_STATE_VERSION',
    ],
    [
      'fromState wrong kind',
      async () => SdmEstimator.fromState({ ...est.getState(), kind: 'other' }),
      'E_STATE_VERSION',
      'kind',
    ],
    [
      'fromState inconsistent lengths',
      async () => {
        const s = est.getState();
        s.calibration.q.pop();
        return SdmEstimator.fromState(s);
      },
      'E_STATE_VERSION',
    ],
  ];
  for (const [name, call, code, arg] of cases) {
    it(`${name} → ${code}`, async () => {
      const state = JSON.stringify(est.getState());
      const n = tf.memory().numTensors;
      await expectRejects(call, code, arg);
      expect(JSON.stringify(est.getState())).toBe(state);
      expect(tf.memory().numTensors).toBe(n);
    });
  }

  it('predict without logits after fitting with appendLogits → E_SPEC', async () => {
    const { x, y, logits } = smallProblem(6, 60);
    const e = await SdmEstimator.fit({ embeddings: x, labels: y, logits }, { ...TRAIN_OPTS, shuffles: 1, epochs: 1 });
    await expectRejects(() => e.predict(x.slice(0, 2)), 'E_SPEC', 'predict.logits');
    e.dispose();
  });

  it('use after dispose → E_SPEC', async () => {
    const e = await SdmEstimator.fit(E2E_DATA, E2E_OPTS);
    e.dispose();
    await expectRejects(() => e.predict(V.test.exemplars, V.test.logits), 'E_SPEC', 'dispose');
    await expectRejects(async () => e.summary(), 'E_SPEC', 'dispose');
  });
});
