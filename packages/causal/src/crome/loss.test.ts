import { createRng } from '@drojs/dro-core';
import { describeBackends, expectDroError, expectNoLeak } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { linearCromeObjective } from './linear.js';
import { cromeLoss, pairLossTf } from './loss.js';
import { cromeObjective } from './objective.js';
import { pairLoss, pairLossGrad } from './pairLoss.js';
import type { PairKind } from './pairs.js';

const KINDS: PairKind[] = ['original', 'causal', 'neutral'];
const closeF32 = (a: number, b: number) => Math.abs(a - b) <= 1e-5 + 1e-4 * Math.abs(b);

describeBackends('cromeLoss', ['cpu', 'wasm'], () => {
  const rng = createRng('crome-tf');
  const n = 50;
  const d = 5;
  const kinds = Array.from({ length: n }, (_, i) => KINDS[i % 3] as PairKind);
  const weights = Array.from({ length: n }, () => 0.2 + rng.uniform());
  const targets = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? rng.uniform() : null));
  const o = { weights, targets, lambdaTie: 1.3, lambdaCausal: 0.6 };
  const A = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
  const B = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
  const theta = Array.from({ length: d }, () => rng.normal());

  it('value and gradients w.r.t. the rewards equal the host objective (float32 tolerance)', () => {
    const rc = A.map((a) => a.reduce((s, v, j) => s + v * (theta[j] as number), 0));
    const rr = B.map((b) => b.reduce((s, v, j) => s + v * (theta[j] as number), 0));
    const host = cromeObjective(
      rc.map((v, i) => v - (rr[i] as number)),
      kinds,
      o,
    );
    const tc = tf.tensor1d(rc);
    const tr = tf.tensor1d(rr);
    const [gc, gr] = tf.grads((a: tf.Tensor, b: tf.Tensor) => cromeLoss(a, b, kinds, o))([tc, tr]);
    const loss = cromeLoss(tc, tr, kinds, o);
    expect(closeF32(loss.dataSync()[0] as number, host.loss)).toBe(true);
    const gcv = gc!.dataSync();
    const grv = gr!.dataSync();
    for (let i = 0; i < n; i++) {
      expect(closeF32(gcv[i] as number, host.gradDelta[i] as number)).toBe(true);
      expect(closeF32(grv[i] as number, -(host.gradDelta[i] as number))).toBe(true);
    }
    tf.dispose([tc, tr, gc!, gr!, loss]);
  });

  it('gradient w.r.t. a linear kernel equals the host gradTheta', () => {
    const kernel = tf.variable(tf.tensor2d(theta, [d, 1]));
    const xa = tf.tensor2d(A);
    const xb = tf.tensor2d(B);
    const { value, grads } = tf.variableGrads(
      () => cromeLoss(tf.matMul(xa, kernel), tf.matMul(xb, kernel), kinds, o),
      [kernel],
    );
    const host = linearCromeObjective(theta, A, B, kinds, o);
    expect(closeF32(value.dataSync()[0] as number, host.loss)).toBe(true);
    const g = grads[kernel.name]!.dataSync();
    for (let j = 0; j < d; j++) expect(closeF32(g[j] as number, host.gradTheta[j] as number)).toBe(true);
    tf.dispose([kernel, xa, xb, value, ...Object.values(grads)]);
  });

  it('at a zero-initialised model one step equals the host gradient (σ(0) − t, not 1.5)', () => {
    const kernel = tf.variable(tf.zeros([d, 1]));
    const xa = tf.tensor2d(A);
    const xb = tf.tensor2d(B);
    const { value, grads } = tf.variableGrads(
      () => cromeLoss(tf.matMul(xa, kernel), tf.matMul(xb, kernel), kinds, o),
      [kernel],
    );
    const host = linearCromeObjective(new Array(d).fill(0), A, B, kinds, o);
    const g = grads[kernel.name]!.dataSync();
    for (let j = 0; j < d; j++) expect(closeF32(g[j] as number, host.gradTheta[j] as number)).toBe(true);
    tf.dispose([kernel, xa, xb, value, ...Object.values(grads)]);
  });

  it('pairLossTf matches the host within float32 tolerance for |Δ| ≤ 40 and is finite at ±800', () => {
    const deltas = [-40, -5, -1, -1e-3, 0, 0.25, 1, 5, 40];
    for (const t of [0, 0.5, 0.9, 1]) {
      const x = tf.tensor1d(deltas);
      const y = pairLossTf(x, t);
      const g = tf.grad((z: tf.Tensor) => tf.sum(pairLossTf(z, t)))(x);
      const yv = y.dataSync();
      const gv = g.dataSync();
      deltas.forEach((dd, i) => {
        expect(closeF32(yv[i] as number, pairLoss(dd, t))).toBe(true);
        expect(closeF32(gv[i] as number, pairLossGrad(dd, t))).toBe(true);
      });
      const big = tf.tensor1d([-800, 800]);
      const yb = pairLossTf(big, t).dataSync();
      const gb = tf.grad((z: tf.Tensor) => tf.sum(pairLossTf(z, t)))(big);
      expect(Array.from(yb).every(Number.isFinite)).toBe(true);
      expect(Math.abs((gb.dataSync()[0] as number) - (0 - t))).toBeLessThan(1e-6);
      expect(Math.abs((gb.dataSync()[1] as number) - (1 - t))).toBeLessThan(1e-6);
      tf.dispose([x, y, g, big, gb]);
    }
    tf.disposeVariables();
  });

  it('100 training steps of a small MLP reward model leave numTensors constant', () => {
    const w1 = tf.variable(tf.randomNormal([d, 8], 0, 0.3, 'float32', 1));
    const w2 = tf.variable(tf.randomNormal([8, 1], 0, 0.3, 'float32', 2));
    const xa = tf.tensor2d(A);
    const xb = tf.tensor2d(B);
    const opt = tf.train.sgd(0.1);
    const reward = (x: tf.Tensor2D) => tf.matMul(tf.relu(tf.matMul(x, w1)), w2);
    const step = () => opt.minimize(() => cromeLoss(reward(xa), reward(xb), kinds, o), false);
    step(); // optimiser slots, if any, are created on the first step
    expectNoLeak(step, { repeats: 100 });
    tf.dispose([w1, w2, xa, xb]);
    opt.dispose();
  });

  it('rejects reward tensors of different lengths (E_SHAPE) and bad kinds (E_SPEC) without leaking', () => {
    const a = tf.zeros([3]);
    const b = tf.zeros([2]);
    const before = tf.memory().numTensors;
    expectDroError(() => cromeLoss(a, b, ['original', 'original', 'original']), 'E_SHAPE', 'rRejected');
    expectDroError(() => cromeLoss(a, a, ['original', 'x' as PairKind, 'original']), 'E_SPEC', 'kinds[1]');
    const m = tf.zeros([1, 3]); // three numbers, but a row, not a reward vector
    expectDroError(() => cromeLoss(a, m, ['original', 'original', 'original']), 'E_SHAPE', 'rRejected');
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});
