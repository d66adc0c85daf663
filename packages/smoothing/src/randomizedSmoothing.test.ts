import { createRng } from '@drojs/dro-core';
import { describeBackends, expectDroError, expectNoLeakAsync } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { ABSTAIN } from './certificate.js';
import { maxCertifiableRadius } from './planning.js';
import { certify, RandomizedSmoothing, smoothedPredict } from './randomizedSmoothing.js';
import { sampleCounts } from './sample.js';
import { constantModel, linearModel, recording } from './testModels.js';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

async function expectDroRejection(p: Promise<unknown>, code: string, argument?: string): Promise<void> {
  const e = (await rejection(p)) as { name?: string; code?: string; message?: string };
  expect(e.name).toBe('DroError');
  expect(e.code).toBe(code);
  if (argument) expect(e.message).toContain(argument);
}

describeBackends('randomized smoothing', ['cpu', 'wasm'], () => {
  it('constant classifier: the class and exactly the ceiling radius', async () => {
    const x = tf.zeros([3, 2]);
    const r = await certify(constantModel(2, 4), x, { numClasses: 4, noise: 0.5, n0: 50, n: 1000, seed: 1 });
    expect(r.prediction).toBe(2);
    expect(Math.abs(r.radius - maxCertifiableRadius(1000, 0.001, 0.5))).toBeLessThan(1e-12);
    expect(r.samples).toBe(1050);
    expect(r.norm).toBe('l2');
    x.dispose();
  });

  it('zero-margin classifier (pA = 1/2 exactly): CERTIFY abstains; PREDICT abstains for 20 seeds', async () => {
    // logits [x0 − z0, z0 − x0] at x0 = z0: the noise decides, each class with probability 1/2.
    const z0 = 0.3;
    const model = (x: tf.Tensor) =>
      tf.tidy(() => {
        const d = tf.sub(tf.slice(tf.reshape(x, [x.shape[0] as number, -1]), [0, 0], [-1, 1]), z0);
        return tf.concat([d, tf.neg(d)], 1);
      });
    const x = tf.tensor1d([z0, 1]);
    const c = await certify(model, x, { numClasses: 2, noise: 0.5, n: 2000, seed: 7 });
    expect(c.prediction).toBe(ABSTAIN);
    expect(c.radius).toBe(0);
    for (let s = 0; s < 20; s++) {
      const p = await smoothedPredict(model, x, { numClasses: 2, noise: 0.5, n: 1000, seed: s });
      expect(p.prediction).toBe(ABSTAIN);
    }
    x.dispose();
  });

  it('empirical validity: radius exceeds the true margin in at most 10% of 200 runs (alpha 0.05)', async () => {
    const u = [0.6, 0.8, 0, 0];
    const m = 0.5;
    const model = linearModel(u, m); // at x = 0 the margin is m
    const x = tf.zeros([4]);
    let over = 0;
    for (let s = 0; s < 200; s++) {
      const r = await certify(model, x, { numClasses: 2, noise: 0.5, n0: 50, n: 1000, alpha: 0.05, seed: s });
      if (r.radius > m) over++;
    }
    expect(over / 200).toBeLessThanOrEqual(0.1);
    x.dispose();
  });

  it('batching: 2500 draws in batches of 1000 → 1000, 1000, 500; counts sum to 2500', async () => {
    const rec = recording(constantModel(0, 3));
    const x = tf.zeros([5]);
    const c = await sampleCounts(rec.model, x, 2500, { numClasses: 3, noise: 0.25, batchSize: 1000, seed: 3 });
    expect(rec.batches.map((b) => b.length / 5)).toEqual([1000, 1000, 500]);
    expect(c.reduce((a, b) => a + b, 0)).toBe(2500);
    x.dispose();
  });

  it('streams: fresh noise everywhere, reproducible from a seed, selection ≠ estimation, state round-trips', async () => {
    const x = tf.tensor1d([0.1, 0.2, 0.3]);
    const rec = recording(linearModel([1, -1, 0.5], 0.05));
    const rs = new RandomizedSmoothing({ numClasses: 2, noise: 0.5, n0: 30, n: 200, batchSize: 64, seed: 11 });
    const a = await rs.certify(rec.model, x);
    const b = await rs.certify(rec.model, x);
    // No noisy row is ever seen twice, within a call or across the two calls.
    const rows = new Set<string>();
    let total = 0;
    for (const batch of rec.batches) {
      for (let i = 0; i < batch.length; i += 3) {
        rows.add(Array.from(batch.subarray(i, i + 3)).join(','));
        total++;
      }
    }
    expect(total).toBe(2 * 230);
    expect(rows.size).toBe(total);
    expect(Array.from(a.countsEstimation)).not.toEqual(Array.from(b.countsEstimation));
    // Same seed, same counts.
    const again = new RandomizedSmoothing({ numClasses: 2, noise: 0.5, n0: 30, n: 200, batchSize: 64, seed: 11 });
    const a2 = await again.certify(rec.model, x);
    expect(Array.from(a2.countsSelection)).toEqual(Array.from(a.countsSelection));
    expect(Array.from(a2.countsEstimation)).toEqual(Array.from(a.countsEstimation));
    // fromState continues exactly.
    const copy = RandomizedSmoothing.fromState(JSON.parse(JSON.stringify(again.getState())));
    const n1 = await again.certify(rec.model, x);
    const n2 = await copy.certify(rec.model, x);
    expect(Array.from(n2.countsEstimation)).toEqual(Array.from(n1.countsEstimation));
    expect(n2.radius).toBe(n1.radius);
    // A one-shot call with an Rng advances it; the same Rng state gives the same result.
    const rng = createRng(5);
    const s0 = rng.getState();
    const o1 = await certify(rec.model, x, { numClasses: 2, noise: 0.5, n0: 10, n: 100, rng });
    expect(rng.getState()).not.toEqual(s0);
    const o2 = await certify(rec.model, x, { numClasses: 2, noise: 0.5, n0: 10, n: 100, rng: createRng(5) });
    expect(Array.from(o2.countsEstimation)).toEqual(Array.from(o1.countsEstimation));
    x.dispose();
  });

  it('a rejected call leaves the state and numTensors untouched', async () => {
    const x = tf.zeros([2]);
    const rs = new RandomizedSmoothing({ numClasses: 3, noise: 0.5, n0: 10, n: 100, seed: 1 });
    await rs.certify(constantModel(1, 3), x);
    const before = JSON.stringify(rs.getState());
    const nt = tf.memory().numTensors;
    const wide = (z: tf.Tensor) => tf.zeros([z.shape[0] as number, 4]);
    await expectDroRejection(rs.certify(wide, x), 'E_SHAPE', 'model');
    const nan = (z: tf.Tensor) => tf.fill([z.shape[0] as number, 3], Number.NaN);
    await expectDroRejection(rs.certify(nan, x), 'E_NONFINITE', 'model');
    const rank3 = (z: tf.Tensor) => tf.zeros([z.shape[0] as number, 3, 1]);
    await expectDroRejection(rs.predict(rank3, x), 'E_SHAPE', 'model');
    const ints = tf.tensor1d([1, 2], 'int32');
    await expectDroRejection(rs.certify(constantModel(0, 3), ints), 'E_DTYPE', 'x');
    ints.dispose();
    const bad = tf.tensor1d([1, Number.NaN]);
    await expectDroRejection(rs.certify(constantModel(0, 3), bad), 'E_NONFINITE', 'x');
    bad.dispose();
    await expectDroRejection(rs.certify(constantModel(0, 3), x, { alpha: 0 }), 'E_SPEC', 'alpha');
    await expectDroRejection(rs.certify(constantModel(0, 3), x, { n0: 0 }), 'E_SPEC', 'n0');
    await expectDroRejection(rs.certify(constantModel(0, 3), x, { n: 2.5 }), 'E_SPEC', 'n');
    expect(JSON.stringify(rs.getState())).toBe(before);
    expect(tf.memory().numTensors).toBe(nt + 0);
    x.dispose();
  });

  it('a LayersModel: x with a batch axis is rejected; one example certifies', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 3 })] });
    const one = tf.zeros([4]);
    const batch = tf.zeros([1, 4]);
    await expectDroRejection(
      certify(model, batch, { numClasses: 3, noise: 0.25, n0: 10, n: 50, seed: 1 }),
      'E_SHAPE',
      'x',
    );
    const r = await certify(model, one, { numClasses: 3, noise: 0.25, n0: 10, n: 50, seed: 1 });
    expect(r.countsEstimation.reduce((a, b) => a + b, 0)).toBe(50);
    tf.dispose([one, batch]);
    model.dispose();
  });

  it('options are validated before anything runs', async () => {
    const x = tf.zeros([2]);
    const m = constantModel(0, 2);
    expect(() => new RandomizedSmoothing({ numClasses: 1, noise: 0.5 })).toThrow(/numClasses/);
    expectDroError(() => new RandomizedSmoothing({ numClasses: 2, noise: 0 }), 'E_SPEC', 'noise');
    expectDroError(
      () => new RandomizedSmoothing({ numClasses: 2, noise: { kind: 'uniform', lambda: 1 }, bound: 'bonferroni' }),
      'E_SPEC',
      'bound',
    );
    await expectDroRejection(
      certify(m, x, { numClasses: 2, noise: 0.5, seed: 1, rng: createRng(1) }),
      'E_SPEC',
      'seed',
    );
    await expectDroRejection(smoothedPredict(m, x, { numClasses: 2, noise: -1 }), 'E_SPEC', 'noise');
    const st = new RandomizedSmoothing({ numClasses: 2, noise: 0.5, seed: 1 }).getState();
    expectDroError(
      () => RandomizedSmoothing.fromState({ ...st, kind: 'DualRandomizedSmoothing' } as never),
      'E_STATE_VERSION',
      'kind',
    );
    expectDroError(() => RandomizedSmoothing.fromState({ ...st, version: 2 } as never), 'E_STATE_VERSION', 'version');
    expect(RandomizedSmoothing.fromState(JSON.parse(JSON.stringify(st))).options).toEqual(st.options);
    x.dispose();
  });

  it('L1 certificates with uniform and Laplace noise; Bonferroni bound', async () => {
    const x = tf.zeros([3]);
    const u = await certify(constantModel(1, 2), x, {
      numClasses: 2,
      noise: { kind: 'uniform', lambda: 0.5 },
      n0: 10,
      n: 500,
      seed: 2,
    });
    expect(u.norm).toBe('l1');
    expect(u.radius).toBeCloseTo(2 * 0.5 * (0.001 ** (1 / 500) - 0.5), 12);
    const l = await certify(constantModel(1, 2), x, {
      numClasses: 2,
      noise: { kind: 'laplace', lambda: 0.5 },
      n0: 10,
      n: 500,
      seed: 2,
    });
    expect(l.radius).toBeCloseTo(-0.5 * Math.log(2 * (1 - 0.001 ** (1 / 500))), 9);
    const b = await certify(constantModel(1, 4), x, {
      numClasses: 4,
      noise: 0.5,
      n0: 10,
      n: 500,
      seed: 2,
      bound: 'bonferroni',
    });
    expect(b.pBUpper).toBeDefined();
    expect(b.prediction).toBe(1);
    x.dispose();
  });

  it('abort after the first progress event: rejects with E_ABORTED carrying the reason, restores the Rng, leaks nothing', async () => {
    const x = tf.zeros([2]);
    const rng = createRng(9);
    const s0 = rng.getState();
    const ctl = new AbortController();
    const reason = new Error('stop');
    const nt = tf.memory().numTensors;
    const e = await rejection(
      certify(constantModel(0, 2), x, {
        numClasses: 2,
        noise: 0.5,
        n0: 100,
        n: 5000,
        batchSize: 100,
        rng,
        signal: ctl.signal,
        onProgress: () => ctl.abort(reason),
      }),
    );
    expect((e as { name?: string }).name).toBe('DroError');
    expect((e as { code?: string }).code).toBe('E_ABORTED');
    expect((e as Error).cause).toBe(reason);
    expect(rng.getState()).toEqual(s0);
    expect(tf.memory().numTensors).toBe(nt);
    x.dispose();
  });

  it('no tensor leaks over repeated sampleCounts, predict and certify', async () => {
    const x = tf.zeros([6]);
    const m = linearModel([1, 0, 0, 0, 0, 0], 0.1);
    const rs = new RandomizedSmoothing({ numClasses: 2, noise: 0.5, n0: 20, n: 100, batchSize: 40, seed: 3 });
    await expectNoLeakAsync(() => rs.certify(m, x), { repeats: 10 });
    await expectNoLeakAsync(() => rs.predict(m, x, { n: 50 }), { repeats: 10 });
    await expectNoLeakAsync(() => sampleCounts(m, x, 100, { numClasses: 2, noise: 0.5, seed: 1 }), { repeats: 10 });
    x.dispose();
  });
});
