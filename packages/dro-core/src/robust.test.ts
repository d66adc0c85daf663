import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { klSmoothMax, logMeanExp } from './logMeanExp.js';
import { perRow, robustLoss, robustLossWithInfo, robustWeights, robustWeightsAsync } from './robust.js';
import { EVERY_KIND_SPECS } from './robustSpecs.fixture.js';
import { solveWeights } from './solve.js';
import type { RobustSpec } from './spec.js';
import { stopGradient } from './stopGradient.js';
import { describeBackends, expectDroError, expectNoLeak, numericGradient } from './testing/index.js';

const SPECS = EVERY_KIND_SPECS;

// Per-sample losses l_i(θ) = (a_i·θ − b_i)², a smooth model of a batch.
const A = [
  [1, 0.5, -0.25],
  [0.25, -1, 0.5],
  [-0.5, 0.75, 1],
  [1.5, 0.25, -0.5],
  [0.125, 0.5, 0.25],
];
const B = [0.5, -0.25, 1, 0.75, -1];
const theta0 = [0.3, -0.2, 0.45];
const hostLosses = (th: ArrayLike<number>) =>
  A.map((a, i) => (a[0]! * th[0]! + a[1]! * th[1]! + a[2]! * th[2]! - B[i]!) ** 2);

describeBackends('robust losses', ['cpu', 'wasm'], () => {
  it('robustLoss gradient equals Σ p_i ∇l_i with p fixed (explicit sum and finite differences)', () => {
    const a = tf.tensor2d(A);
    const b = tf.tensor1d(B);
    for (const spec of SPECS) {
      const th = tf.variable(tf.tensor1d(theta0));
      const losses = () => tf.square(tf.sub(tf.squeeze(tf.matMul(a, tf.reshape(th, [3, 1]))), b)) as tf.Tensor1D;
      const { grads, value } = tf.variableGrads(() => robustLoss(losses(), spec), [th]);
      const g = Array.from(grads[th.name]!.dataSync());
      const p = solveWeights(hostLosses(theta0), spec).weights;
      const pt = tf.tensor1d(Float32Array.from(p));
      const explicit = tf.variableGrads(() => tf.sum(tf.mul(pt, losses())) as tf.Scalar, [th]);
      const ge = Array.from(explicit.grads[th.name]!.dataSync());
      // Danskin: the gradient of R(θ) = sup_p <p, l(θ)> − penalty(p) is Σ p*∇l; check against central differences of R.
      const num = numericGradient((t) => solveWeights(hostLosses(t), spec).value, theta0, { eps: 1e-6 });
      g.forEach((v, i) => {
        expect(Math.abs(v - ge[i]!)).toBeLessThan(1e-5);
        expect(Math.abs(v - num[i]!)).toBeLessThan(2e-3 * (1 + Math.abs(num[i]!)));
      });
      expect(Math.abs(value.dataSync()[0]! - solveWeights(hostLosses(theta0), spec).value)).toBeLessThan(1e-5);
      tf.dispose([th, value, pt, explicit.value, ...Object.values(grads), ...Object.values(explicit.grads)]);
    }
    tf.dispose([a, b]);
  });

  it('robustWeights / async / perRow agree with the host solver and are constants', async () => {
    const l = tf.tensor1d([0.5, 2, 1, 2, 0.25]);
    for (const spec of SPECS) {
      const w = robustWeights(l, spec);
      const wa = await robustWeightsAsync(l, spec);
      const host = solveWeights([0.5, 2, 1, 2, 0.25], spec).weights;
      Array.from(w.dataSync()).forEach((v, i) => expect(Math.abs(v - host[i]!)).toBeLessThan(1e-6));
      expect(Array.from(wa.dataSync())).toEqual(Array.from(w.dataSync()));
      // Only sum(x) contributes: the weights carry no tape connection.
      const g = tf.grad((x: tf.Tensor) =>
        tf.add(tf.sum(x), tf.sum(tf.mul(robustWeights(x as tf.Tensor1D, spec), 1e3))),
      )(l);
      expect(Array.from(g.dataSync()).every((v) => v === 1)).toBe(true);
      tf.dispose([w, wa, g]);
    }
    const m = tf.tensor2d([
      [1, 2, 3],
      [3, 3, 0],
    ]);
    const pr = perRow(m, { kind: 'cvar', alpha: 0.5 });
    expect(pr.arraySync()[1]).toEqual([0.5, 0.5, 0]);
    tf.dispose([l, m, pr]);
  });

  it('logMeanExp is stable and its gradient is the softmax; klSmoothMax accurate at λ = 1e6', () => {
    const x = tf.tensor2d([
      [1000, 1001, 999],
      [-3, 0, 2],
    ]);
    const r = logMeanExp(x, 1).arraySync() as number[];
    const ref = (row: number[]) => {
      const m = Math.max(...row);
      return m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0) / row.length);
    };
    expect(Math.abs(r[0]! - ref([1000, 1001, 999]))).toBeLessThan(1e-3);
    expect(Math.abs(r[1]! - ref([-3, 0, 2]))).toBeLessThan(1e-5);
    const g = tf
      .grad((t: tf.Tensor) => tf.sum(logMeanExp(t, 1)))(x)
      .arraySync() as number[][];
    const sm = (row: number[]) => {
      const e = row.map((v) => Math.exp(v - Math.max(...row)));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    };
    sm([-3, 0, 2]).forEach((v, i) => expect(Math.abs(g[1]![i]! - v)).toBeLessThan(1e-6));
    // λ = 1e6: the naive form loses ~7e-3; the expm1/log1p form keeps the mean-like value.
    const y = tf.tensor1d([0.5, 1.5, -2, 3]);
    const lam = 1e6;
    const exact = lam * ref([0.5, 1.5, -2, 3].map((v) => v / lam));
    const got = klSmoothMax(y, lam).dataSync()[0]!;
    expect(Math.abs(got - exact)).toBeLessThan(1e-4);
    const gy = tf
      .grad((t: tf.Tensor) => klSmoothMax(t, 0.7) as tf.Scalar)(y)
      .dataSync();
    sm([0.5, 1.5, -2, 3].map((v) => v / 0.7)).forEach((v, i) => expect(Math.abs(gy[i]! - v)).toBeLessThan(1e-6));
    expect(klSmoothMax(y, 0).dataSync()[0]).toBe(3);
    expect(klSmoothMax(y, Number.POSITIVE_INFINITY).dataSync()[0]).toBeCloseTo(0.75, 6);
    tf.dispose([x, y]);
  });

  it('stopGradient passes values and gives zero gradient', () => {
    const x = tf.tensor1d([1, 2, 3]);
    expect(Array.from(stopGradient(x).dataSync())).toEqual([1, 2, 3]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(stopGradient(t), t)))(x);
    expect(Array.from(g.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([x, g]);
  });

  it('leaves no intermediates: each function returns only its own tensors', () => {
    const l = tf.tensor1d([0.5, 2, 1, 2, 0.25]);
    for (const spec of SPECS) {
      expectNoLeak(() => robustLoss(l, spec), { repeats: 5 });
      expectNoLeak(() => robustWeights(l, spec), { repeats: 5 });
      expectNoLeak(() => robustLossWithInfo(l, spec), { repeats: 5 });
    }
    expectNoLeak(() => logMeanExp(l), { repeats: 5 });
    expectNoLeak(() => klSmoothMax(l, 0.3), { repeats: 5 });
    l.dispose();
  });

  it('bad input → DroError with its code, nothing allocated', () => {
    const before = tf.memory().numTensors;
    const nan = tf.tensor1d([1, Number.NaN]);
    const inf = tf.tensor1d([1, Number.POSITIVE_INFINITY]);
    const empty = tf.tensor1d([]);
    const twoD = tf.tensor2d([[1, 2]]);
    const ints = tf.tensor1d([1, 2], 'int32');
    const ok = tf.tensor1d([1, 2]);
    const made = tf.memory().numTensors;
    expectDroError(() => robustLoss(nan, { kind: 'cvar', alpha: 0.5 }), 'E_NONFINITE', 'losses');
    expectDroError(() => robustLoss(inf, { kind: 'kl', lambda: 1 }), 'E_NONFINITE', 'losses');
    expectDroError(() => robustLoss(empty, { kind: 'erm' }), 'E_EMPTY', 'losses');
    expectDroError(() => robustLoss(twoD as unknown as tf.Tensor1D, { kind: 'erm' }), 'E_SHAPE', 'losses');
    expectDroError(() => robustLoss(ints, { kind: 'erm' }), 'E_DTYPE', 'losses');
    expectDroError(() => robustLoss(ok, { kind: 'cvar', alpha: 0 }), 'E_SPEC', 'spec.alpha');
    expectDroError(() => robustLoss(ok, { kind: 'cvar', alpha: 1.5 }), 'E_SPEC', 'spec.alpha');
    expectDroError(() => robustLoss(ok, { kind: 'kl-constrained', rho: -1 }), 'E_SPEC', 'spec.rho');
    expectDroError(() => robustLoss(ok, { kind: 'kl', lambda: -0.1 }), 'E_SPEC', 'spec.lambda');
    expectDroError(() => robustLoss(ok, { kind: 'chi2', lambda: Number.NaN }), 'E_SPEC', 'spec.lambda');
    expectDroError(() => robustLoss(ok, { kind: 'tv', eps: 1.1 }), 'E_SPEC', 'spec.eps');
    expectDroError(() => robustLoss(ok, { kind: 'kl-constrained', rho: 1, tol: 0 }), 'E_SPEC', 'spec.tol');
    expectDroError(() => robustLoss(ok, { kind: 'kl-constrained', rho: 1, maxIter: 0 }), 'E_SPEC', 'spec.maxIter');
    expectDroError(() => robustLoss(ok, { kind: 'nope' } as unknown as RobustSpec), 'E_SPEC', 'spec.kind');
    expectDroError(() => logMeanExp(ok, 3), 'E_SHAPE', 'axis');
    expect(tf.memory().numTensors).toBe(made);
    tf.dispose([nan, inf, empty, twoD, ints, ok]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
