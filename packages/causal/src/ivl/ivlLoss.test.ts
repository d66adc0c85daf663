import { createRng } from '@drojs/dro-core';
import { describeBackends, expectNoLeak } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { entropySelect } from '../drm/entropySelect.js';
import { ols } from '../iv/ols.js';
import { ivlLoss } from './ivlLoss.js';

describeBackends('ivlLoss and entropySelect', ['cpu', 'wasm'], () => {
  const rng = createRng(4);
  const b = 64;
  const G = Array.from({ length: b }, () => [rng.normal(), rng.normal()]);
  const y = Array.from({ length: b }, () => rng.normal());
  const p = Array.from({ length: b }, () => rng.normal());
  it('equals (‖P_G r‖² + α‖r‖²)/b computed independently on the host', () => {
    const r = y.map((v, i) => v - p[i]!);
    const res = ols({ X: G, y: r, intercept: false }).residuals;
    const pr = r.reduce((s, v, i) => s + (v - res[i]!) ** 2, 0);
    const rr = r.reduce((s, v) => s + v * v, 0);
    const yt = tf.tensor1d(y);
    const yp = tf.tensor1d(p);
    const l = ivlLoss(yt, yp, G, 0.5);
    expect(Math.abs(l.dataSync()[0]! - (pr + 0.5 * rr) / b)).toBeLessThan(1e-4 * ((pr + 0.5 * rr) / b));
    tf.dispose([yt, yp, l]);
  });
  it('leaks no tensors (ivlLoss, entropySelect)', () => {
    const yt = tf.tensor1d(y);
    const yp = tf.tensor1d(p);
    expectNoLeak(() => ivlLoss(yt, yp, G, 1), { repeats: 100 });
    const x = tf.tensor2d(G);
    const heads = [(t: tf.Tensor) => tf.mul(t, 2), (t: tf.Tensor) => tf.neg(t), (t: tf.Tensor) => tf.mul(t, 0.1)];
    expectNoLeak(() => entropySelect(heads, x, { select: 'weighted' }), { repeats: 100 });
    const s = entropySelect(heads, x);
    const t = tf.mul(x, 2);
    const sm = tf.softmax(t);
    // Doubling the logits sharpens predictions: the lowest-entropy head is head 0.
    expect(Array.from(s.dataSync()).every((v, i) => Math.abs(v - sm.dataSync()[i]!) < 1e-6)).toBe(true);
    tf.dispose([yt, yp, x, s, t, sm]);
  });
});
