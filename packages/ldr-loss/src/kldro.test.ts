import { describeBackends, expectClose, expectDroError, expectNoLeak } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import * as api from './index.js';

describeBackends('KL-DRO re-weighting', ['cpu', 'wasm'], () => {
  it('klDroLoss: limits r = 0 (max) and r = ∞ (mean); gradient = weights; weights sum to 1', () => {
    const l = tf.tensor1d([0.1, 2, 5, 0.5]);
    expect(api.klDroLoss(l, 0).dataSync()[0]).toBeCloseTo(5, 5);
    expect(api.klDroLoss(l, Number.POSITIVE_INFINITY).dataSync()[0]).toBeCloseTo(1.9, 5);
    const g = tf.grad((x: tf.Tensor) => api.klDroLoss(x as tf.Tensor1D, 1.5))(l);
    const w = api.klDroWeights(l, 1.5);
    expectClose(g.arraySync(), w.arraySync(), { abs: 1e-6 });
    expect(Array.from(w.dataSync()).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expectDroError(() => api.klDroLoss(l, -1), 'E_SPEC', 'r');
    expectDroError(() => api.klDroWeights(l, Number.NaN), 'E_SPEC', 'r');
    tf.dispose([l, g, w]);
  });

  it('KlDroReweighter: first call u = batch mean, then β-mixing; state round trip; non-finite losses leave u untouched', () => {
    const rw = new api.KlDroReweighter({ r: 2, beta: 0.9 });
    const a = tf.tensor1d([0.1, 2, 5, 0.5]);
    const b = tf.tensor1d([1, 1, 3, 0]);
    rw.call(a).dispose();
    const u1 = [0.1, 2, 5, 0.5].reduce((s, v) => s + Math.exp(v / 2), 0) / 4;
    expect(rw.u).toBeCloseTo(u1, 6);
    expect(rw.objective()).toBeCloseTo(2 * Math.log(u1), 6);
    const c = api.KlDroReweighter.fromState(JSON.parse(JSON.stringify(rw.getState())));
    const s1 = rw.call(b).dataSync()[0];
    const s2 = c.call(b).dataSync()[0];
    expect(s2).toBe(s1);
    expect(c.u).toBe(rw.u);
    const u2 = 0.1 * u1 + (0.9 * [1, 1, 3, 0].reduce((s, v) => s + Math.exp(v / 2), 0)) / 4;
    expect(rw.u).toBeCloseTo(u2, 6);
    const snap = JSON.stringify(rw.getState());
    const bad = tf.tensor1d([1, Number.NaN]);
    expectDroError(() => rw.call(bad), 'E_NONFINITE');
    expect(JSON.stringify(rw.getState())).toBe(snap);
    expectDroError(() => new api.KlDroReweighter({ r: 0 }), 'E_SPEC', 'r');
    expectDroError(() => new api.KlDroReweighter({ r: 1, beta: 1.5 }), 'E_SPEC', 'beta');
    expectDroError(() => api.KlDroReweighter.fromState({ ...rw.getState(), version: 3 } as never), 'E_STATE_VERSION');
    expectNoLeak(() => tf.grad((x: tf.Tensor) => rw.call(x as tf.Tensor1D))(a), { repeats: 100 });
    tf.dispose([a, b, bad]);
  });

  it('KlDroReweighter.callAsync advances u and gives the surrogate and weights bit-identically to call', async () => {
    const sync = new api.KlDroReweighter({ r: 0.7, beta: 0.6 });
    const async_ = new api.KlDroReweighter({ r: 0.7, beta: 0.6 });
    for (const v of [
      [0.1, 2, 5, 0.5],
      [1, 1, 3, 0],
      [4, 0.2, 0.3, 2],
    ]) {
      const t = tf.tensor1d(v);
      const s = sync.call(t);
      const a = await async_.callAsync(t);
      expect(Array.from(await a.data())).toEqual(Array.from(await s.data()));
      expect(async_.lastWeights()).toEqual(sync.lastWeights());
      expect(async_.getState()).toEqual(sync.getState());
      tf.dispose([t, s, a]);
    }
    const snap = JSON.stringify(async_.getState());
    const bad = tf.tensor1d([1, Number.NaN]);
    const err: unknown = await async_.callAsync(bad).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as { code?: string } | null)?.code).toBe('E_NONFINITE');
    expect(JSON.stringify(async_.getState())).toBe(snap);
    bad.dispose();
  });
});
