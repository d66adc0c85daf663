import { createRng } from '@drojs/dro-core';
import { checkStatefulContract, describeBackends, expectDroError } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { DualRandomizedSmoothing } from './dual/dualRandomizedSmoothing.js';
import { checkerboardSplit } from './dual/split.js';
import { certifyDataset } from './evaluate/certifyDataset.js';
import { addNoise } from './noise.js';
import { RandomizedSmoothing } from './randomizedSmoothing.js';
import { sampleCounts } from './sample.js';
import { linearModel } from './testModels.js';

// A classifier whose votes depend on the noise, so that a wrong RNG continuation changes the counts.
const model = linearModel([1, -1, 0.5, 0.25], 0.1);
const sub = linearModel([1, -1, 0.5, -0.5], 0.05);

/** One certify call as a plain, comparable result (counts, bound and radius). */
async function rsStep(rs: RandomizedSmoothing, i: number): Promise<unknown> {
  const x = tf.tensor1d([0.1 * i, -0.2, 0.3, 0.05]);
  try {
    const r = await rs.certify(model, x);
    return { c0: Array.from(r.countsSelection), c: Array.from(r.countsEstimation), p: r.pALower, r: r.radius };
  } finally {
    x.dispose();
  }
}

async function drsStep(d: DualRandomizedSmoothing, i: number): Promise<unknown> {
  const x = tf.tensor(
    Float32Array.from({ length: 8 }, (_, j) => ((i + j) % 5) / 5 - 0.4),
    [2, 4, 1],
  );
  try {
    const r = await d.certify(sub, sub, x);
    return { l: Array.from(r.countsL), r: Array.from(r.countsR), radius: r.radius };
  } finally {
    x.dispose();
  }
}

describeBackends('smoothing stateful classes', ['cpu', 'wasm'], () => {
  checkStatefulContract({
    name: 'RandomizedSmoothing',
    make: () => new RandomizedSmoothing({ numClasses: 2, noise: 0.5, n0: 8, n: 40, batchSize: 16, seed: 3 }),
    step: rsStep,
    fromState: RandomizedSmoothing.fromState,
    badOptions: {
      key: 'nO',
      make: () => new RandomizedSmoothing({ numClasses: 2, noise: 0.5, nO: 8 } as never),
    },
    badStep: (rs) => rs.certify(model, tf.tensor1d([0, 0, Number.NaN, 0])),
    leakRepeats: 5,
  });

  checkStatefulContract({
    name: 'DualRandomizedSmoothing',
    make: () =>
      new DualRandomizedSmoothing({
        numClasses: 2,
        split: checkerboardSplit(2, 4),
        sigmaL: 0.3,
        n0: 8,
        n: 40,
        batchSize: 16,
        seed: 'drs',
      }),
    step: drsStep,
    fromState: DualRandomizedSmoothing.fromState,
    badOptions: {
      key: 'sigmal',
      make: () => new DualRandomizedSmoothing({ numClasses: 2, split: checkerboardSplit(2, 4), sigmal: 0.3 } as never),
    },
    badStep: (d) => d.certify(sub, sub, tf.zeros([2, 4, 1]), { n: 0 }),
    leakRepeats: 5,
  });

  it('states written under the old kinds still load and continue identically', async () => {
    const rs = new RandomizedSmoothing({ numClasses: 2, noise: 0.5, n0: 8, n: 40, seed: 3 });
    const old = { ...rs.getState(), kind: 'RandomizedSmoothing' };
    expect(rs.getState().kind).toBe('@drojs/smoothing/RandomizedSmoothing');
    expect(await rsStep(RandomizedSmoothing.fromState(old), 1)).toEqual(await rsStep(rs, 1));
    const d = new DualRandomizedSmoothing({ numClasses: 2, split: checkerboardSplit(2, 4), sigmaL: 0.3, seed: 1 });
    const oldD = { ...d.getState(), kind: 'DualRandomizedSmoothing' };
    expect(d.getState().kind).toBe('@drojs/smoothing/DualRandomizedSmoothing');
    expect(DualRandomizedSmoothing.fromState(oldD).getState()).toEqual(d.getState());
  });

  it('a tampered state (bad option value, malformed rng) is E_STATE_VERSION', () => {
    const st = new RandomizedSmoothing({ numClasses: 2, noise: 0.5, seed: 3 }).getState();
    expectDroError(
      () => RandomizedSmoothing.fromState({ ...st, options: { ...st.options, alpha: 2 } }),
      'E_STATE_VERSION',
      'alpha',
    );
    expectDroError(() => RandomizedSmoothing.fromState({ ...st, rng: { kind: 'rng' } }), 'E_STATE_VERSION');
    expectDroError(() => RandomizedSmoothing.fromState({ ...st, options: null as never }), 'E_STATE_VERSION');
  });

  it('a string seed is a seed; unknown options are rejected by name everywhere', async () => {
    const a = new RandomizedSmoothing({ numClasses: 2, noise: 0.5, n0: 8, n: 40, seed: 'run-1' });
    const b = new RandomizedSmoothing({ numClasses: 2, noise: 0.5, n0: 8, n: 40, seed: 'run-1' });
    expect(await rsStep(a, 0)).toEqual(await rsStep(b, 0));
    const x = tf.zeros([4]);
    await expect(a.certify(model, x, { alhpa: 0.01 } as never)).rejects.toThrow(/alhpa/);
    await expect(sampleCounts(model, x, 10, { numClasses: 2, noise: 0.5, seed: 1, batch: 5 } as never)).rejects.toThrow(
      /batch/,
    );
    expectDroError(
      () => addNoise(x, { kind: 'gaussian', sigma: 1, sigmaa: 2 } as never, createRng(1)),
      'E_SPEC',
      'sigmaa',
    );
    x.dispose();
  });

  it('certifyDataset takes Tensor1D labels (same records as an array); a non-tensor xs is E_DTYPE', async () => {
    const xs = tf.tensor(
      Float32Array.from({ length: 4 * 4 }, (_, i) => (i % 5) / 5 - 0.4),
      [4, 4],
    );
    const opts = { numClasses: 2, noise: 0.5, n0: 8, n: 40, seed: 2 };
    const arr = await certifyDataset(model, xs, [0, 1, 0, 1], opts);
    const lab = tf.tensor1d([0, 1, 0, 1], 'int32');
    const ten = await certifyDataset(model, xs, lab, opts);
    expect(ten.map((r) => [r.label, r.prediction, r.radius])).toEqual(
      arr.map((r) => [r.label, r.prediction, r.radius]),
    );
    await expect(certifyDataset(model, [[0, 0, 0, 0]] as never, [0], opts)).rejects.toMatchObject({ code: 'E_DTYPE' });
    await expect(certifyDataset(model, xs, lab, { ...opts, skp: 2 } as never)).rejects.toThrow(/skp/);
    tf.dispose([xs, lab]);
  });
});
