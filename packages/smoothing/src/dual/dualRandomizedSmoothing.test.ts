import { describeBackends, expectDroError, expectNoLeakAsync } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { certify } from '../randomizedSmoothing.js';
import { constantModel, linearModel, recording } from '../testModels.js';
import { DualRandomizedSmoothing, dualCertify } from './dualRandomizedSmoothing.js';
import { drsRadius } from './radius.js';
import { checkerboardMasks, checkerboardSplit, maskSplit, splitInputs, subInputShape } from './split.js';

async function rejection(p: Promise<unknown>): Promise<{ name?: string; code?: string; message?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { name?: string; code?: string; message?: string };
  }
  throw new Error('expected a rejection');
}

describeBackends('dual randomized smoothing', ['cpu', 'wasm'], () => {
  it('checkerboard: masks partition the pixels; compact halves follow the §7.4 index mapping', () => {
    const { left, right } = checkerboardMasks(5, 6);
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 6; j++) expect((left[i]?.[j] as number) + (right[i]?.[j] as number)).toBe(1);
    const spec = checkerboardSplit(4, 6, { channels: 2 });
    expect(subInputShape(spec, 'left')).toEqual([4, 3, 2]);
    const x = tf.tensor(
      Float32Array.from({ length: 2 * 4 * 6 * 2 }, (_, i) => i),
      [2, 4, 6, 2],
    );
    const { left: l, right: r } = splitInputs(spec, x);
    expect(l.shape).toEqual([2, 4, 3, 2]);
    const xv = x.arraySync() as number[][][][];
    const lv = l.arraySync() as number[][][][];
    const rv = r.arraySync() as number[][][][];
    for (let b = 0; b < 2; b++) {
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 3; j++) {
          for (let c = 0; c < 2; c++) {
            expect(lv[b]?.[i]?.[j]?.[c]).toBe(xv[b]?.[i]?.[2 * j + (i % 2)]?.[c]);
            expect(rv[b]?.[i]?.[j]?.[c]).toBe(xv[b]?.[i]?.[2 * j + 1 - (i % 2)]?.[c]);
          }
        }
      }
    }
    tf.dispose([x, l, r]);
  });

  it('masked layout: the other side is exactly 0 after noise is added', async () => {
    const spec = checkerboardSplit(3, 3, { layout: 'masked' });
    const recL = recording(constantModel(0, 2));
    const recR = recording(constantModel(0, 2));
    const x = tf.ones([3, 3, 1]);
    await dualCertify(recL.model, recR.model, x, { numClasses: 2, split: spec, sigmaL: 0.5, n0: 5, n: 20, seed: 1 });
    const { left } = checkerboardMasks(3, 3);
    for (const [rec, side] of [
      [recL, 1],
      [recR, 0],
    ] as const) {
      for (const batch of rec.batches) {
        for (let i = 0; i < batch.length; i++) {
          const pix = i % 9;
          const own = left[Math.floor(pix / 3)]?.[pix % 3] === side;
          if (!own) expect(batch[i]).toBe(0);
          else expect(batch[i]).not.toBe(1); // noise was added
        }
      }
    }
    x.dispose();
  });

  it('constant sub-classifiers: radius = drsRadius(p, p, sL, sR) with p = (alpha/2)^(1/n)', async () => {
    const spec = checkerboardSplit(4, 4);
    const x = tf.zeros([4, 4, 1]);
    const r = await dualCertify(constantModel(3, 5), constantModel(3, 5), x, {
      numClasses: 5,
      split: spec,
      sigmaL: 0.2,
      sigmaR: 0.3,
      n0: 20,
      n: 1000,
      seed: 4,
    });
    const p = 0.0005 ** (1 / 1000);
    expect(r.prediction).toBe(3);
    expect(Math.abs(r.radius - drsRadius(p, p, 0.2, 0.3))).toBeLessThan(1e-12);
    expect(r.samples).toBe(2 * 1020);
    expect(r.failureProbability).toBe(0.001);
    x.dispose();
  });

  it('linear equivalence (§3.8): RS at σ and DRS at σ/√2 both certify ≈ 1.0 on duplicated signal', async () => {
    const u = [0.5, 0.5, 0.5, 0.5, 0, 0, 0, 0];
    const full = linearModel(
      [...u, ...u].map((v) => v / Math.SQRT2),
      1,
    );
    const sub = linearModel(u, 1 / Math.SQRT2);
    const left = Array.from({ length: 16 }, (_, i) => (i < 8 ? 1 : 0));
    const spec = maskSplit(left, [16], { layout: 'compact' });
    const x = tf.zeros([16]);
    const sigma = 0.5;
    const rs = await certify(full, x, { numClasses: 2, noise: sigma, n: 10_000, seed: 1 });
    const drs = await dualCertify(sub, sub, x, {
      numClasses: 2,
      split: spec,
      sigmaL: sigma / Math.SQRT2,
      n: 10_000,
      seed: 2,
    });
    expect(Math.abs(rs.radius - 1)).toBeLessThan(0.07);
    expect(Math.abs(drs.radius - 1)).toBeLessThan(0.07);
    expect(Math.abs(rs.radius - drs.radius)).toBeLessThan(0.07);
    x.dispose();
  });

  it('empirical validity: sound DRS radius exceeds the true radius of G in at most 10% of 200 runs', async () => {
    const spec = maskSplit([1, 1, 0, 0], [4], { layout: 'compact' });
    const mL = 0.6;
    const mR = 0.2;
    const x = tf.zeros([4]);
    const fL = linearModel([1, 0], mL);
    const fR = linearModel([0, 1], mR);
    const truth = (mL + mR) / Math.SQRT2;
    let over = 0;
    for (let s = 0; s < 200; s++) {
      const r = await dualCertify(fL, fR, x, {
        numClasses: 2,
        split: spec,
        sigmaL: 0.5,
        n0: 50,
        n: 1000,
        alpha: 0.05,
        seed: s,
      });
      if (r.radius > truth) over++;
    }
    expect(over / 200).toBeLessThanOrEqual(0.1);
    x.dispose();
  });

  it('state round-trips; rejected calls leave state and numTensors untouched', async () => {
    const spec = checkerboardSplit(2, 4);
    const x = tf.zeros([2, 4, 1]);
    const m = linearModel([1, 0, 0, 0], 0.05);
    const d = new DualRandomizedSmoothing({ numClasses: 2, split: spec, sigmaL: 0.4, n0: 10, n: 200, seed: 8 });
    const copy = DualRandomizedSmoothing.fromState(JSON.parse(JSON.stringify(d.getState())));
    const a = await d.certify(m, m, x);
    const b = await copy.certify(m, m, x);
    expect(Array.from(b.countsL)).toEqual(Array.from(a.countsL));
    expect(Array.from(b.countsR)).toEqual(Array.from(a.countsR));
    const before = JSON.stringify(d.getState());
    const nt = tf.memory().numTensors;
    const wrong = (z: tf.Tensor) => tf.zeros([z.shape[0] as number, 3]);
    expect((await rejection(d.certify(m, wrong, x))).code).toBe('E_SHAPE');
    const y = tf.zeros([2, 5, 1]);
    expect((await rejection(d.certify(m, m, y))).code).toBe('E_SHAPE');
    y.dispose();
    expect((await rejection(d.certify(m, m, x, { alpha: 1 }))).code).toBe('E_SPEC');
    expect(JSON.stringify(d.getState())).toBe(before);
    expect(tf.memory().numTensors).toBe(nt);
    const s = d.getState();
    expectDroError(
      () => DualRandomizedSmoothing.fromState({ ...s, kind: 'RandomizedSmoothing' } as never),
      'E_STATE_VERSION',
      'kind',
    );
    expectDroError(
      () => DualRandomizedSmoothing.fromState({ ...s, version: 2 } as never),
      'E_STATE_VERSION',
      'version',
    );
    x.dispose();
  });

  it('bad splits are rejected', () => {
    expectDroError(() => checkerboardSplit(4, 5), 'E_SHAPE', 'width');
    expect(checkerboardSplit(4, 5, { layout: 'masked' }).kind).toBe('checkerboard');
    expectDroError(() => maskSplit([0, 0, 0, 0], [4]), 'E_SPEC', 'empty');
    expectDroError(() => maskSplit([1, 1, 1, 1], [4]), 'E_SPEC', 'empty');
    expectDroError(() => maskSplit([1, 0, 2, 0], [4]), 'E_SPEC', 'left');
    expectDroError(() => maskSplit([1, 0, 1], [4]), 'E_SHAPE', 'left');
    expectDroError(
      () => new DualRandomizedSmoothing({ numClasses: 2, split: checkerboardSplit(2, 2), sigmaL: 0 }),
      'E_SPEC',
      'sigmaL',
    );
  });

  it('reports progress per phase and side, in order', async () => {
    const spec = checkerboardSplit(2, 4);
    const x = tf.zeros([2, 4, 1]);
    const m = constantModel(0, 2);
    const events: string[] = [];
    await dualCertify(m, m, x, {
      numClasses: 2,
      split: spec,
      sigmaL: 0.3,
      n0: 10,
      n: 250,
      batchSize: 100,
      seed: 1,
      onProgress: (p) => events.push(`${p.phase}/${p.side}:${p.done}/${p.total}`),
    });
    expect(events).toEqual([
      'selection/left:10/10',
      'selection/right:10/10',
      'estimation/left:100/250',
      'estimation/left:200/250',
      'estimation/left:250/250',
      'estimation/right:100/250',
      'estimation/right:200/250',
      'estimation/right:250/250',
    ]);
    x.dispose();
  });

  it('no tensor leaks over repeated DRS certification', async () => {
    const spec = checkerboardSplit(2, 4, { layout: 'masked' });
    const x = tf.zeros([2, 4, 1]);
    const m = linearModel([1, 0, 0, 0, 0, 0, 0, 1], 0.05);
    const d = new DualRandomizedSmoothing({
      numClasses: 2,
      split: spec,
      sigmaL: 0.4,
      n0: 10,
      n: 100,
      batchSize: 30,
      seed: 8,
    });
    await expectNoLeakAsync(() => d.certify(m, m, x), { repeats: 10 });
    x.dispose();
  });
});
