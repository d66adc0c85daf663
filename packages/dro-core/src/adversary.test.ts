import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { type AdversaryOptions, inputAdversary, inputAdversaryAsync, pseudoLabels } from './adversary.js';
import { createRng } from './rng.js';
import { describeBackends, expectDroError, expectNoLeak, expectNoLeakAsync } from './testing/index.js';

// Per-sample loss ℓ(x) = ½‖x − c‖² pushes x away from c; its maximiser in a ball is known in closed form.
const c = [0.25, -0.5, 0.75];
const lossFn = (x: tf.Tensor) => tf.mul(0.5, tf.sum(tf.square(tf.sub(x, tf.tensor1d(c))), 1)) as tf.Tensor1D;

describeBackends('inputAdversary', ['cpu', 'wasm'], () => {
  it('L∞ PGD reaches the corner of the box that moves away from c', () => {
    const x = tf.tensor2d([
      [0, 0, 0],
      [1, 1, 1],
    ]);
    const { x: adv, losses } = inputAdversary(lossFn, x, { form: 'ball', norm: 'linf', eps: 0.1, steps: 10 });
    const a = adv.arraySync() as number[][];
    [0, 0, 0].forEach((x0, j) => expect(a[0]![j]).toBeCloseTo(x0 + 0.1 * Math.sign(x0 - c[j]!), 5));
    expect(losses[0]).toBeGreaterThan(0.5 * c.reduce((s, v) => s + v * v, 0));
    tf.dispose([x, adv]);
  });
  it('L2 PGD stays in the ball and reaches its boundary along x − c; clip is honoured', () => {
    const x = tf.tensor2d([[0, 0, 0]]);
    const { x: adv } = inputAdversary(lossFn, x, { form: 'ball', norm: 'l2', eps: 0.5, steps: 20 });
    const d = (adv.arraySync() as number[][])[0]!;
    const nrm = Math.hypot(...d);
    expect(nrm).toBeLessThanOrEqual(0.5 + 1e-5);
    expect(nrm).toBeGreaterThan(0.49);
    const dir = c.map((v) => -v / Math.hypot(...c));
    d.forEach((v, j) => expect(v / nrm).toBeCloseTo(dir[j]!, 3));
    const clipped = inputAdversary(lossFn, x, {
      form: 'ball',
      norm: 'linf',
      eps: 1,
      steps: 5,
      clip: [-0.2, 0.2],
      randomStart: true,
      seed: 1,
    });
    expect(Math.max(...(clipped.x.arraySync() as number[][])[0]!.map(Math.abs))).toBeLessThanOrEqual(0.2 + 1e-7);
    tf.dispose([x, adv, clipped.x]);
  });
  it('penalised WRM solves z = x + ∇ℓ(z)/(2γ): here z − c = (x − c)·2γ/(2γ − 1)', () => {
    const x = tf.tensor2d([[0.5, 0.5, 0.5]]);
    const gamma = 2;
    const { x: z } = inputAdversary(lossFn, x, { form: 'penalized', gamma, steps: 60 });
    const got = (z.arraySync() as number[][])[0]!;
    [0.5, 0.5, 0.5].forEach((x0, j) =>
      expect(got[j]).toBeCloseTo(c[j]! + ((x0 - c[j]!) * 2 * gamma) / (2 * gamma - 1), 4),
    );
    tf.dispose([x, z]);
  });
  it('throws E_NONFINITE on non-finite input gradients; validates options; leaks nothing', () => {
    const x = tf.tensor2d([[0, 1]]);
    const bad = (z: tf.Tensor) => tf.sum(tf.sqrt(z), 1) as tf.Tensor1D; // ∇ at 0 is +∞
    const before = tf.memory().numTensors;
    expectDroError(() => inputAdversary(bad, x, { form: 'ball', norm: 'l2', eps: 0.1 }), 'E_NONFINITE');
    expect(tf.memory().numTensors).toBe(before);
    expectDroError(() => inputAdversary(lossFn, x, { form: 'ball', norm: 'l2', eps: -1 }), 'E_SPEC', 'eps');
    expectDroError(() => inputAdversary(lossFn, x, { form: 'ball', norm: 'l2', eps: 1, randomStart: true }), 'E_SPEC');
    expectDroError(
      () =>
        inputAdversary(lossFn, x, { form: 'ball', norm: 'l2', eps: 1, randomStart: true, seed: 1, rng: createRng(1) }),
      'E_SPEC',
    );
    const ctl = new AbortController();
    ctl.abort();
    expectDroError(() => inputAdversary(lossFn, x, { form: 'penalized', gamma: 1, signal: ctl.signal }), 'E_ABORTED');
    expect(tf.memory().numTensors).toBe(before);
    const x3 = tf.tensor2d([[0, 0, 0]]);
    expectNoLeak(() => inputAdversary(lossFn, x3, { form: 'ball', norm: 'l2', eps: 0.3, steps: 3 }).x, { repeats: 5 });
    tf.dispose([x, x3]);
  });
  it('inputAdversaryAsync gives bit-identical results to inputAdversary for every form; same errors; no leaks', async () => {
    const x = tf.tensor2d([
      [0, 0.3, -0.2],
      [1, -1, 0.5],
    ]);
    const forms: AdversaryOptions[] = [
      { form: 'ball', norm: 'linf', eps: 0.1, steps: 4 },
      { form: 'ball', norm: 'l2', eps: 0.5, steps: 6, randomStart: true, seed: 3, clip: [-0.8, 0.9] },
      { form: 'penalized', gamma: 2, steps: 5 },
    ];
    for (const o of forms) {
      const s = inputAdversary(lossFn, x, o);
      const a = await inputAdversaryAsync(lossFn, x, o);
      expect(Array.from(await a.x.data()), o.form).toEqual(Array.from(await s.x.data()));
      expect(Array.from(a.losses), o.form).toEqual(Array.from(s.losses));
      tf.dispose([s.x, a.x]);
    }
    const bad = (z: tf.Tensor) => tf.sum(tf.sqrt(z), 1) as tf.Tensor1D;
    const z0 = tf.tensor2d([[0, 1]]);
    const before = tf.memory().numTensors;
    const err = await inputAdversaryAsync(bad, z0, { form: 'ball', norm: 'l2', eps: 0.1 }).then(
      () => null,
      (e: unknown) => e as { code?: string },
    );
    expect(err?.code).toBe('E_NONFINITE');
    expect(tf.memory().numTensors).toBe(before);
    await expectNoLeakAsync(async () => (await inputAdversaryAsync(lossFn, x, forms[1]!)).x, { repeats: 5 });
    tf.dispose([x, z0]);
  });
  it('pseudoLabels: argmax for [B, C] logits, sign for one logit; constant int32', () => {
    const x = tf.tensor2d([
      [1, 3, 2],
      [-1, -2, 0],
    ]);
    const pl = pseudoLabels((t) => t, x);
    expect(pl.dtype).toBe('int32');
    expect(Array.from(pl.dataSync())).toEqual([1, 2]);
    const one = pseudoLabels((t) => tf.slice(t, [0, 2], [2, 1]), x);
    expect(Array.from(one.dataSync())).toEqual([1, 1]);
    tf.dispose([x, pl, one]);
  });
});
