import { describeBackends, expectDroError, expectNoLeakAsync } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { checkerboardSplit } from '../dual/split.js';
import { constantModel, linearModel } from '../testModels.js';
import { certifyDataset, dualCertifyDataset } from './certifyDataset.js';
import {
  abstentionRate,
  averageCertifiedRadius,
  type CertRecord,
  certifiedAccuracy,
  certifiedAccuracyCurve,
  highProbCertifiedAccuracy,
} from './curves.js';
import { parseCertifyLog, toCertifyLog } from './log.js';
import { certifiedAccuracySvg } from './svg.js';

const records: CertRecord[] = [
  { index: 0, label: 1, prediction: 1, radius: 0.73, timeMs: 1234 },
  { index: 3, label: 0, prediction: -1, radius: 0, timeMs: 20 },
  { index: 6, label: 2, prediction: 1, radius: 0.4, timeMs: 7 },
  { index: 9, label: 2, prediction: 2, radius: 0, timeMs: 0 },
  { index: 12, label: 0, prediction: 0, radius: 0.125, timeMs: 3601000 },
];

/** Minimal XML well-formedness check: balanced tags, one root, quoted attributes. */
function wellFormed(xml: string): boolean {
  const stack: string[] = [];
  let roots = 0;
  const re = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  const stripped = xml.replace(re, (_m, close: string, name: string, _a: string, self: string) => {
    if (close) {
      if (stack.pop() !== name) roots = 99;
    } else if (!self) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
    return '';
  });
  return stack.length === 0 && roots === 1 && !/[<>]/.test(stripped) && !/&(?!(amp|lt|gt|quot|apos);)/.test(stripped);
}

describe('curves and logs', () => {
  it('certified accuracy counts only correct records with radius ≥ r over all records', () => {
    expect(certifiedAccuracy(records, [0, 0.125, 0.5, 0.73, 0.74])).toEqual([0.6, 0.4, 0.2, 0.2, 0]);
    expect(averageCertifiedRadius(records)).toBeCloseTo((0.73 + 0 + 0.125) / 5, 15);
    expect(abstentionRate(records)).toBe(0.2);
  });
  it('the curve is non-increasing, in [0, 1], starts at the fraction correct and ends at 0', () => {
    const c = certifiedAccuracyCurve(records);
    expect(c.radius[1]).toBe(0.01);
    expect(c.radius[37]).toBe(37 * 0.01);
    expect(c.accuracy[0]).toBe(0.6);
    expect(c.accuracy[c.accuracy.length - 1]).toBe(0);
    for (let i = 1; i < c.accuracy.length; i++) expect(c.accuracy[i]).toBeLessThanOrEqual(c.accuracy[i - 1] as number);
  });
  it('high-probability bound is below the observed accuracy', () => {
    expect(highProbCertifiedAccuracy(0.46, 500, 0.001, 0.001)).toBeLessThan(0.46);
  });
  it('toCertifyLog → parseCertifyLog round-trips records exactly', () => {
    const text = toCertifyLog(records);
    expect(text.split('\n')[0]).toBe('idx\tlabel\tpredict\tradius\tcorrect\ttime');
    expect(parseCertifyLog(text)).toEqual(records);
  });
  it('parses a locuslab-style log with 3-significant-digit radii and H:MM:SS times', () => {
    const text =
      'idx\tlabel\tpredict\tradius\tcorrect\ttime\n0\t3\t3\t0.858\t1\t0:00:15.221562\n20\t8\t-1\t0.0\t0\t0:02:30\n40\t1\t1\t0.13\t1\t1.5\n';
    const r = parseCertifyLog(text);
    expect(r).toEqual([
      { index: 0, label: 3, prediction: 3, radius: 0.858, timeMs: 15221.562 },
      { index: 20, label: 8, prediction: -1, radius: 0, timeMs: 150000 },
      { index: 40, label: 1, prediction: 1, radius: 0.13, timeMs: 1500 },
    ]);
    expectDroError(() => parseCertifyLog('idx\tlabel\n'), 'E_SPEC', 'text');
    expectDroError(
      () => parseCertifyLog('idx\tlabel\tpredict\tradius\tcorrect\ttime\n0\t1\t1\t0.5\t2\t1\n'),
      'E_SPEC',
      'text',
    );
  });
  it('SVG is well-formed, has one path per series, and is byte-identical across calls', () => {
    const c = certifiedAccuracyCurve(records);
    const series = [
      { label: 'RS σ=0.25', ...c },
      { label: 'legacy rule (unsound) <&>', ...c, dashed: true },
    ];
    const a = certifiedAccuracySvg(series, { title: 'test' });
    const b = certifiedAccuracySvg(series, { title: 'test' });
    expect(a).toBe(b);
    expect(wellFormed(a)).toBe(true);
    expect(a.match(/<path /g)?.length).toBe(2);
    expect(a).toContain('data-series="legacy rule (unsound) &lt;&amp;&gt;"');
    expect(a).toContain('stroke-dasharray');
    expect(a).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="640" height="400" viewBox="0 0 640 400"/);
    expect(wellFormed('<svg><path></svg>')).toBe(false);
  });
  it('rejects bad records', () => {
    expectDroError(() => certifiedAccuracy([], [0]), 'E_EMPTY', 'records');
    expectDroError(
      () => certifiedAccuracy([{ label: 1, prediction: -2, radius: 0 }], [0]),
      'E_LABEL_RANGE',
      'prediction',
    );
    expectDroError(
      () => averageCertifiedRadius([{ label: 1, prediction: 1, radius: Number.NaN }]),
      'E_NONFINITE',
      'radius',
    );
  });
});

describeBackends('certifyDataset', ['cpu', 'wasm'], () => {
  const xsArr = Float32Array.from({ length: 6 * 4 }, (_, i) => ((i * 7) % 5) / 5);
  it('example i depends only on (seed, i): skip, max and resumption give the same records', async () => {
    const xs = tf.tensor(xsArr, [6, 4]);
    const labels = [0, 1, 0, 1, 0, 1];
    const m = linearModel([1, -1, 0.5, 0], -0.1);
    const base = { numClasses: 2, noise: 0.5, n0: 20, n: 300, seed: 42 };
    const all = await certifyDataset(m, xs, labels, base);
    expect(all.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    const every2 = await certifyDataset(m, xs, labels, { ...base, skip: 2 });
    expect(every2.map((r) => r.radius)).toEqual([0, 2, 4].map((i) => all[i]?.radius));
    const first = await certifyDataset(m, xs, labels, { ...base, max: 3 });
    const resumed = await certifyDataset(m, xs, labels, { ...base, resumeFrom: first });
    expect(resumed.map((r) => [r.index, r.prediction, r.radius])).toEqual(
      all.map((r) => [r.index, r.prediction, r.radius]),
    );
    xs.dispose();
  });
  it('rejects label out of range, length mismatch, and non-float32 xs before running', async () => {
    const xs = tf.tensor(xsArr, [6, 4]);
    const m = constantModel(0, 10);
    const opts = { numClasses: 10, noise: 0.5, n0: 5, n: 10, seed: 1 };
    const rej = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return (e as { code: string }).code;
      }
      return 'resolved';
    };
    expect(await rej(certifyDataset(m, xs, [0, 1, 2, 10, 4, 5], opts))).toBe('E_LABEL_RANGE');
    expect(await rej(certifyDataset(m, xs, [0, 1, 2], opts))).toBe('E_SHAPE');
    const xi = tf.zeros([6, 4], 'int32');
    expect(await rej(certifyDataset(m, xi, [0, 1, 2, 3, 4, 5], opts))).toBe('E_DTYPE');
    xi.dispose();
    xs.dispose();
  });
  it('no tensor leaks across a certification of many inputs (RS and DRS)', async () => {
    const xs = tf.tensor(
      Float32Array.from({ length: 20 * 2 * 4 }, (_, i) => (i % 7) / 7),
      [20, 2, 4, 1],
    );
    const labels = Array.from({ length: 20 }, (_, i) => i % 2);
    const m = linearModel([1, 0, -1, 0, 0, 1, 0, -1], 0.05);
    const sub = linearModel([1, -1, 1, -1], 0.05);
    await expectNoLeakAsync(
      () => certifyDataset(m, xs, labels, { numClasses: 2, noise: 0.25, n0: 10, n: 50, seed: 3 }),
      { repeats: 3 },
    );
    await expectNoLeakAsync(
      () =>
        dualCertifyDataset(sub, sub, xs, labels, {
          numClasses: 2,
          split: checkerboardSplit(2, 4),
          sigmaL: 0.2,
          n0: 10,
          n: 50,
          seed: 3,
        }),
      { repeats: 3 },
    );
    xs.dispose();
  });
});
