import { createRng } from '@drojs/dro-core';
import { describeBackends, expectClose, expectDroError, expectNoLeak } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import * as api from './index.js';

function batch(seed: number, B: number, K: number, scale = 3): { logits: number[][]; labels: number[] } {
  const rng = createRng(seed);
  return {
    logits: Array.from({ length: B }, () => Array.from({ length: K }, () => (2 * rng.uniform() - 1) * scale)),
    labels: Array.from({ length: B }, () => rng.int(K)),
  };
}

describeBackends('AldrKlLoss', ['cpu', 'wasm'], () => {
  it('its gradient equals the LDR-KL gradient at the returned λ_new (λ constant); λ stays in [λ₀(1 − 1/α), λ₀]', () => {
    for (const normalize of ['none', 'l1Mean', 'softplusMean'] as const) {
      const aldr = new api.AldrKlLoss({ numInstances: 10, lambda0: 1, alpha: 1.5, normalize, margin: 0.2 });
      const { logits, labels } = batch(3, 4, 5, 6);
      const x = tf.tensor2d(logits);
      const { value, grad } = tf.valueAndGrad(
        (l: tf.Tensor) => aldr.call(l as tf.Tensor2D, labels, [1, 3, 5, 7]) as tf.Scalar,
      )(x);
      const info = aldr.lastStepInfo()!;
      const lam = Array.from(info.lambdaNew);
      for (const l of lam) {
        expect(l).toBeGreaterThanOrEqual(1 / 3 - 1e-12);
        expect(l).toBeLessThanOrEqual(1);
      }
      const g2 = tf.grad(
        (l: tf.Tensor) => api.ldrKlLoss(l, labels, { lambda: lam, margin: 0.2, normalize }) as tf.Scalar,
      )(x);
      expectClose(grad.arraySync(), g2.arraySync(), { abs: 1e-6, rel: 1e-5 });
      const ldr = api
        .ldrKlLoss(x, labels, { lambda: lam, margin: 0.2, normalize, reduction: 'none' })
        .arraySync() as number[];
      const extraMean = Array.from(info.extra).reduce((a, b) => a + b, 0) / 4;
      expect(value.dataSync()[0]!).toBeCloseTo(ldr.reduce((a, b) => a + b, 0) / 4 + extraMean, 5);
      expectClose(Array.from(aldr.lambdas([1, 3, 5, 7])), lam, { rel: 1e-12 });
      tf.dispose([x, value, grad, g2]);
    }
  });

  it("peaked rows get smaller λ than flat rows; pFrom 'margins' uses the exact maximiser", () => {
    const aldr = new api.AldrKlLoss({ numInstances: 2, lambda0: 1, alpha: 2, normalize: 'none' });
    const x = tf.tensor2d([
      [8, 0, 0],
      [0.1, 0, 0],
    ]);
    aldr.call(x, [0, 0], [0, 1]).dispose();
    const [peaked, flat] = aldr.lambdas();
    expect(peaked!).toBeLessThan(flat!);
    const exact = new api.AldrKlLoss({
      numInstances: 2,
      lambda0: 1,
      alpha: 2,
      normalize: 'none',
      pFrom: 'margins',
      margin: 0.5,
    });
    const ref = new api.AldrKlLoss({ numInstances: 2, lambda0: 1, alpha: 2, normalize: 'none', margin: 0.5 });
    exact.call(x, [1, 1], [0, 1]).dispose();
    ref.call(x, [1, 1], [0, 1]).dispose();
    expect(exact.lambdas()[0]).not.toBe(ref.lambdas()[0]);
    x.dispose();
  });

  it('update: false leaves the state untouched; duplicates: lastWins keeps the last row, throw rejects', () => {
    const aldr = new api.AldrKlLoss({ numInstances: 5, lambda0: 1, alpha: 1.5, normalize: 'none' });
    const x = tf.tensor2d([
      [5, 0, 0],
      [0.2, 0, 0.1],
    ]);
    aldr.call(x, [0, 0], [2, 3], { update: false }).dispose();
    expect(Array.from(aldr.lambdas())).toEqual([1, 1, 1, 1, 1]);
    expect(aldr.stats().visited).toBe(0);
    aldr.call(x, [0, 0], [4, 4]).dispose();
    const info = aldr.lastStepInfo()!;
    expect(aldr.lambdas()[4]).toBe(info.lambdaNew[1]);
    expect(info.lambdaNew[0]).not.toBe(info.lambdaNew[1]);
    const strict = new api.AldrKlLoss({ numInstances: 5, onDuplicateIndex: 'throw' });
    const snapshot = JSON.stringify(strict.getState());
    expectDroError(() => strict.call(x, [0, 0], [1, 1]), 'E_INDEX_RANGE', 'indices');
    expect(JSON.stringify(strict.getState())).toBe(snapshot);
    x.dispose();
  });

  it('rejects bad labels, indices and options before any state change (Λ bit-identical)', () => {
    const aldr = new api.AldrKlLoss({ numInstances: 4, lambda0: 1, alpha: 1.5, normalize: 'none' });
    const x = tf.tensor2d([
      [3, 0, 0],
      [0, 1, 0],
    ]);
    aldr.call(x, [0, 1], [0, 1]).dispose();
    const snap = JSON.stringify(aldr.getState());
    const mem = tf.memory().numTensors;
    // Out of range → E_LABEL_RANGE; not a whole number → E_DTYPE (dro-core's toLabels, one fault one code).
    for (const [bad, code] of [
      [[0, 3], 'E_LABEL_RANGE'],
      [[-1, 0], 'E_LABEL_RANGE'],
      [[0.5, 1], 'E_DTYPE'],
      [[Number.NaN, 1], 'E_DTYPE'],
    ] as const) {
      expectDroError(() => aldr.call(x, [...bad], [0, 1]), code, 'labels');
    }
    expectDroError(() => aldr.call(x, [0, 1], [0, 4]), 'E_INDEX_RANGE', 'indices');
    expectDroError(() => aldr.call(x, [0, 1], [0, -1]), 'E_INDEX_RANGE', 'indices');
    expectDroError(() => aldr.call(x, [0, 1], [0]), 'E_SHAPE', 'indices');
    expectDroError(() => aldr.call(x, [0, 1], tf.tensor1d([0, 1], 'float32')), 'E_DTYPE', 'indices');
    expectDroError(() => aldr.call(tf.zeros([2, 3, 1]) as unknown as tf.Tensor2D, [0, 1], [0, 1]), 'E_SHAPE', 'logits');
    expectDroError(() => aldr.call(tf.zeros([2, 1]) as tf.Tensor2D, [0, 0], [0, 1]), 'E_SHAPE');
    expectDroError(
      () =>
        aldr.call(
          tf.tensor2d([
            [Number.POSITIVE_INFINITY, 0, 0],
            [0, 0, 0],
          ]),
          [0, 1],
          [0, 1],
        ),
      'E_NONFINITE',
    );
    const compile = aldr.asCompileLoss();
    // A malformed first target row beside a valid one-hot row: 2.5 encodes no integer index, all zeros no
    // label, 9 the index 7 ≥ numInstances.
    for (const [row, code] of [
      [[0, 2.5, 0], 'E_LABEL_RANGE'],
      [[0, 0, 0], 'E_LABEL_RANGE'],
      [[0, 9, 0], 'E_INDEX_RANGE'],
    ] as [number[], string][]) {
      expectDroError(() => compile(tf.tensor2d([row, [1, 0, 0]]), x), code, 'yTrue');
    }
    expect(JSON.stringify(aldr.getState())).toBe(snap);
    expect(tf.memory().numTensors).toBeGreaterThanOrEqual(mem);
    expectDroError(() => new api.AldrKlLoss({ numInstances: 0 }), 'E_SPEC', 'numInstances');
    expectDroError(() => new api.AldrKlLoss({ numInstances: 3, alpha: 1 }), 'E_SPEC', 'alpha');
    expectDroError(() => new api.AldrKlLoss({ numInstances: 3, lambda0: 0 }), 'E_SPEC', 'lambda0');
    expectDroError(() => new api.AldrKlLoss({ numInstances: 3, probEps: -1 }), 'E_SPEC', 'probEps');
    x.dispose();
  });

  it('fromState(JSON round trip) continues bit-identically; foreign kind/version → E_STATE_VERSION', () => {
    const a = new api.AldrKlLoss({ numInstances: 8, lambda0: 1, alpha: 1.5, normalize: 'l1Mean' });
    const steps = [0, 1, 2].map((s) => batch(10 + s, 4, 5));
    const idx = [
      [0, 1, 2, 3],
      [2, 3, 4, 5],
      [5, 6, 7, 0],
    ];
    const run = (obj: api.AldrKlLoss, t: number) => {
      const x = tf.tensor2d(steps[t]!.logits);
      const v = obj.call(x, steps[t]!.labels, idx[t]!, { reduction: 'none' });
      const out = Array.from(v.dataSync());
      tf.dispose([x, v]);
      return out;
    };
    run(a, 0);
    const b = api.AldrKlLoss.fromState(JSON.parse(JSON.stringify(a.getState())));
    expect(run(b, 1)).toEqual(run(a, 1));
    expect(run(b, 2)).toEqual(run(a, 2));
    expect(Array.from(b.lambdas())).toEqual(Array.from(a.lambdas()));
    expectDroError(() => api.AldrKlLoss.fromState({ ...a.getState(), kind: 'other' } as never), 'E_STATE_VERSION');
    expectDroError(() => api.AldrKlLoss.fromState({ ...a.getState(), version: 2 } as never), 'E_STATE_VERSION');
    expectDroError(() => api.AldrKlLoss.fromState({ ...a.getState(), lambda: [1] }), 'E_STATE_VERSION', 'lambda');
    a.reset();
    expect(a.stats()).toEqual({ meanLambda: 1, minLambda: 1, maxLambda: 1, visited: 0 });
  });

  it('100 optimizer steps leak no tensors', () => {
    const aldr = new api.AldrKlLoss({ numInstances: 64 });
    const w = tf.variable(tf.randomNormal([6, 4], 0, 0.5, 'float32', 1));
    const opt = tf.train.adam(0.01);
    const { logits } = batch(4, 16, 6);
    const x = tf.tensor2d(logits);
    const rng = createRng(5);
    expectNoLeak(
      () => {
        const idx = rng.choice(64, 16);
        const labels = Array.from({ length: 16 }, () => rng.int(4));
        return opt.minimize(() => aldr.call(tf.matMul(x, w), labels, idx) as tf.Scalar, true, [w]);
      },
      { repeats: 100, warmup: 2 },
    );
    expect(aldr.stats().visited).toBeGreaterThan(0);
    tf.dispose([w, x]);
    opt.dispose();
  });
});

describeBackends('encodeIndexedTargets', ['cpu', 'wasm'], () => {
  it('puts index + 2 at the label column; argMax is the label; validates input', () => {
    const t = api.encodeIndexedTargets([2, 0], [0, 7], 3);
    expect(t.arraySync()).toEqual([
      [0, 0, 2],
      [9, 0, 0],
    ]);
    expect(Array.from(tf.argMax(t, 1).dataSync())).toEqual([2, 0]);
    expectDroError(() => api.encodeIndexedTargets([3], [0], 3), 'E_LABEL_RANGE');
    expectDroError(() => api.encodeIndexedTargets([1], [-1], 3), 'E_INDEX_RANGE');
    expectDroError(() => api.encodeIndexedTargets([1, 2], [0], 3), 'E_SHAPE');
    expectDroError(() => api.encodeIndexedTargets([1], [2 ** 24], 3), 'E_SPEC');
    t.dispose();
  });
});
