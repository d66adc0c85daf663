// Node tests of the worker's logic on the cpu backend: the same modules the page runs, without a browser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseIdx } from '@drojs/datasets';
import { initBackend } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { certifiedIndices, certifyOne, curveOf } from './certification.js';
import { D, type Split } from './data.js';
import { ivCompare, parseMroz } from './ivMroz.js';
import { accuracy, trainAll } from './training.js';
import { reasonOf } from './ui/sdmView.js';
import { fitSdm, regionAt, sdmVerdict } from './verification.js';

const fmnist = join(import.meta.dirname, '..', 'node_modules', '@drojs', 'datasets', 'data', 'fashion-mnist-subset');

function split(images: string, labels: string, limit: number): Split {
  const x = parseIdx(gunzipSync(readFileSync(join(fmnist, images))));
  const y = parseIdx(gunzipSync(readFileSync(join(fmnist, labels))));
  const n = Math.min(limit, y.dims[0]!);
  const bytes = x.data.subarray(0, n * D);
  return { images: Float32Array.from(bytes, (v) => v / 255), bytes, labels: Int32Array.from(y.data.subarray(0, n)), n };
}

describe('IV tab (Mroz, Wooldridge Example 15.5)', () => {
  const mroz = parseMroz(
    readFileSync(join(import.meta.dirname, '..', '..', '..', 'examples', 'iv-mroz', 'data', 'mroz-inlf.csv'), 'utf8'),
  );
  it('reproduces the textbook OLS and 2SLS returns to education', () => {
    const a = ivCompare(mroz, ['fatheduc', 'motheduc']);
    expect(a.nobs).toBe(428);
    expect(a.rows[0]!.estimate).toBeCloseTo(0.1075, 4);
    expect(a.rows[1]!.estimate).toBeCloseTo(0.0614, 4);
    expect(a.rows[1]!.stdError).toBeCloseTo(0.0314, 4);
    for (const r of a.rows) expect(r.low).toBeLessThan(r.estimate);
    expect(a.sargan).toBeDefined();
  });
  it('is just identified with one instrument (no Sargan test)', () => {
    const a = ivCompare(mroz, ['fatheduc']);
    expect(a.sargan).toBeUndefined();
    expect(a.firstStageF).toBeGreaterThan(10);
  });
});

describe('certification helpers', () => {
  it('spreads the certified images over the pool', () => {
    expect(certifiedIndices(4, 1000)).toEqual([0, 250, 500, 750]);
    expect(new Set(certifiedIndices(100, 1000)).size).toBe(100);
  });
  it('explains an admission and a rejection in words', () => {
    const base = {
      index: 0,
      label: 1,
      prediction: 1,
      modelPrediction: 1,
      modelProb: 0.9,
      q: 5,
      d: 0.2,
      isOod: false,
      alpha: 0.95,
      qPrimeLower: 3.2,
      qPrimeMin: 2.5,
      threshold: 0.8,
      regionFound: true,
      certified: { prediction: 1, radius: 0.5, samples: 100, seconds: 1 },
    };
    expect(reasonOf({ ...base, admitted: true, reliability: 'high', sdmProbLower: 0.97 })).toMatch(/^admitted: inside/);
    expect(reasonOf({ ...base, admitted: false, reliability: 'ood', sdmProbLower: 0.1, q: 0 })).toMatch(/q = 0/);
    expect(reasonOf({ ...base, admitted: false, reliability: 'low', sdmProbLower: 0.7 })).toMatch(/outside/);
    expect(reasonOf({ ...base, admitted: false, reliability: 'low', sdmProbLower: 0.7, regionFound: false })).toMatch(
      /admits nothing/,
    );
  });
});

describe('training, certification and SDM on the vendored subset (wasm backend, as in the page)', () => {
  let train: Split;
  let test: Split;
  let test2: Split;
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    train = split('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 6000);
    test = split('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 1000);
    test2 = split('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 2000);
  });

  it('trains every loss above chance on 40 % noisy labels, then certifies and verifies without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const epochs: string[] = [];
    const set = await trainAll(
      train,
      test,
      { losses: ['CE', 'LDR-KL', 'ALDR-KL'], noiseRate: 0.4, epochs: 2, numTrain: 1000, trainSigma: 0.25, seed: 0 },
      new AbortController().signal,
      (loss, epoch) => epochs.push(`${loss}:${epoch}`),
    );
    expect(epochs).toEqual(['CE:1', 'LDR-KL:1', 'ALDR-KL:1', 'CE:2', 'LDR-KL:2', 'ALDR-KL:2']);
    expect(set.actualNoise).toBeGreaterThan(0.3);
    expect(set.actualNoise).toBeLessThan(0.42);
    expect(set.heldOut.length).toBe(1000);
    // The held-out SDM images are disjoint from the training sample.
    const used = new Set(set.trainIndices);
    expect(Array.from(set.heldOut).some((i) => used.has(i))).toBe(false);
    for (const m of set.models.values()) expect(accuracy(m, test)).toBeGreaterThan(0.2);
    // Same initial weights, batches and noise: CE trained alone matches CE trained beside the other losses.
    const alone = await trainAll(
      train,
      test,
      { losses: ['CE'], noiseRate: 0.4, epochs: 2, numTrain: 1000, trainSigma: 0.25, seed: 0 },
      new AbortController().signal,
      () => {},
    );
    const ce = set.models.get('CE')!;
    expect(accuracy(alone.models.get('CE')!, test)).toBe(accuracy(ce, test));
    for (const m of alone.models.values()) m.dispose();

    const model = set.models.get('CE')!;
    const signal = new AbortController().signal;
    const records = [];
    for (const i of certifiedIndices(3)) {
      const c = await certifyOne(model, test, i, { sigma: 0.25, numSamples: 100, seed: 0, signal });
      expect(c.radius).toBeGreaterThanOrEqual(0);
      records.push({ label: test.labels[i]!, prediction: c.prediction, radius: c.radius });
    }
    const curve = curveOf(records);
    expect(curve.accuracy[0]).toBeLessThanOrEqual(1);
    for (let j = 1; j < curve.accuracy.length; j++)
      expect(curve.accuracy[j]).toBeLessThanOrEqual(curve.accuracy[j - 1]!);

    const fit = await fitSdm(model, train, set.heldOut, test2, { alpha: 0.95, seed: 0, signal, epochs: 5 });
    const sdm = fit.sdm;
    expect(fit.poolSize).toBe(2000);
    // Region existence is monotone in α′: a region at α′ implies one at every smaller α′.
    const info = regionAt(sdm, 0.6);
    if (info.largestAlpha !== null) {
      expect(info.largestAlpha).toBeGreaterThan(0.5);
      expect(regionAt(sdm, Math.min(info.largestAlpha, 0.99)).found).toBe(true);
    } else expect(info.found).toBe(false);
    const { p, probs } = await sdmVerdict(sdm, model, test, 0);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(p.label).toBeGreaterThanOrEqual(0);
    expect(p.label).toBeLessThan(10);
    // Admitted only inside the region: q′ at the lower bound reaches q′min and the class threshold is met.
    const r = sdm.region;
    if (p.valid) {
      expect(p.qPrimeLower).toBeGreaterThanOrEqual(r.qPrimeMin);
      expect(p.sdmProbsLower[p.label]!).toBeGreaterThanOrEqual(r.thresholds[p.label]!);
    } else expect(p.reliability).not.toBe('high');
    sdm.dispose();
    for (const m of set.models.values()) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops with E_ABORTED when aborted', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(
      trainAll(
        train,
        test,
        { losses: ['CE'], noiseRate: 0, epochs: 1, numTrain: 500, trainSigma: 0, seed: 0 },
        ctl.signal,
        () => {},
      ),
    ).rejects.toMatchObject({ code: 'E_ABORTED' });
  });
});
