import { createRng } from '@drojs/dro-core';
import { describeBackends, expectDroError, expectNoLeak } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import * as api from '../index.js';

function feats(seed: number, B: number, d: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: B }, () => Array.from({ length: d }, () => rng.normal()));
}

/** Central differences of a host function of a B × d matrix. */
function fdMatrix(f: (m: number[][]) => number, m: number[][], h = 1e-2): number[][] {
  return m.map((row, i) =>
    row.map((_, k) => {
      const p = m.map((r) => r.slice());
      const q = m.map((r) => r.slice());
      p[i]![k]! += h;
      q[i]![k]! -= h;
      return (f(p) - f(q)) / (2 * h);
    }),
  );
}

function closeFd(g: number[][], fd: number[][]): string | null {
  for (let i = 0; i < g.length; i++) {
    for (let k = 0; k < g[i]!.length; k++) {
      const a = g[i]![k]!;
      const b = fd[i]![k]!;
      if (!(Math.abs(a - b) <= 1e-3 + 1e-2 * Math.abs(b))) return `[${i}][${k}] grad ${a} vs fd ${b}`;
    }
  }
  return null;
}

/** The two-input surface both contrastive losses share. */
interface TwoViewLoss {
  call(a: tf.Tensor2D, b: tf.Tensor2D, indices: number[], opts: { update?: boolean }): tf.Scalar;
  objective(a: tf.Tensor2D, b: tf.Tensor2D, indices: number[]): number;
}

/** Gradients of `call` (without a state update) against finite differences of `objective`, for both inputs. */
function expectSurrogateGradientsMatchObjective(loss: TwoViewLoss, a: number[][], b: number[][], idx: number[]) {
  const [ga, gb] = tf.tidy(() =>
    tf
      .grads((x: tf.Tensor, y: tf.Tensor) => loss.call(x as tf.Tensor2D, y as tf.Tensor2D, idx, { update: false }))([
        tf.tensor2d(a),
        tf.tensor2d(b),
      ])
      .map((t) => t.arraySync() as number[][]),
  );
  const obj = (x: number[][], y: number[][]) => tf.tidy(() => loss.objective(tf.tensor2d(x), tf.tensor2d(y), idx));
  expect(
    closeFd(
      ga!,
      fdMatrix((m) => obj(m, b), a),
    ),
  ).toBeNull();
  expect(
    closeFd(
      gb!,
      fdMatrix((m) => obj(a, m), b),
    ),
  ).toBeNull();
}

describeBackends('GlobalContrastiveLoss (unimodal)', ['cpu', 'wasm'], () => {
  it('with γ = 1 the surrogate gradient matches finite differences of objective() (SogCLR and iSogCLR)', () => {
    for (const individualTemperature of [false, true]) {
      const opts = { numInstances: 10, tau: 0.5, gamma: 1, individualTemperature, rho: 0.4, tauMin: 0.05, tauMax: 1 };
      const h1 = feats(1, 4, 5);
      const h2 = feats(2, 4, 5);
      const idx = [0, 3, 5, 9];
      const loss = new api.GlobalContrastiveLoss(opts);
      expectSurrogateGradientsMatchObjective(loss, h1, h2, idx);
      expect(loss.diagnostics().visited).toBe(0);
    }
  });

  it("firstVisit: 'sample' uses γ = 1 per new index, 'batch' only for all-new batches, 'none' never", () => {
    const h = tf.tensor2d(feats(3, 3, 4));
    const h2 = tf.tensor2d(feats(4, 3, 4));
    const used: Record<string, number[]> = {};
    for (const firstVisit of ['sample', 'batch', 'none'] as const) {
      const l = new api.GlobalContrastiveLoss({ numInstances: 6, gamma: 0.5, firstVisit });
      l.call(h, h2, [0, 1, 2]).dispose();
      l.call(h, h2, [2, 3, 4]).dispose();
      used[firstVisit] = Array.from(l.lastStepInfo()!.gammaUsed);
    }
    expect(used.sample).toEqual([0.5, 1, 1]);
    expect(used.batch).toEqual([0.5, 0.5, 0.5]);
    expect(used.none).toEqual([0.5, 0.5, 0.5]);
    const cos = new api.GlobalContrastiveLoss({
      numInstances: 6,
      gamma: 0.2,
      gammaSchedule: 'cosine',
      gammaDecayEpochs: 4,
      firstVisit: 'none',
    });
    expect(cos.diagnostics().gamma).toBe(1);
    cos.setEpoch(2);
    expect(cos.diagnostics().gamma).toBeCloseTo(0.6, 12);
    cos.setEpoch(4);
    expect(cos.diagnostics().gamma).toBe(0.2);
    tf.dispose([h, h2]);
  });

  it('fromState(JSON round trip) continues bit-identically (iSogCLR, cosine γ); bad input leaves the state untouched', () => {
    const opts = {
      numInstances: 8,
      individualTemperature: true,
      gamma: 0.7,
      gammaSchedule: 'cosine' as const,
      gammaDecayEpochs: 3,
      rho: 0.4,
      eta: 0.05,
      tauGradClip: 3,
    };
    const a = new api.GlobalContrastiveLoss(opts);
    const steps = [0, 1, 2].map((s) => [feats(10 + s, 4, 3), feats(20 + s, 4, 3)] as const);
    const idx = [
      [0, 1, 2, 3],
      [2, 3, 4, 5],
      [6, 7, 0, 1],
    ];
    const run = (o: api.GlobalContrastiveLoss, t: number) => {
      const v = tf.tidy(() => {
        const [g1, g2] = tf.grads((x: tf.Tensor, y: tf.Tensor) => o.call(x as tf.Tensor2D, y as tf.Tensor2D, idx[t]!))([
          tf.tensor2d(steps[t]![0]),
          tf.tensor2d(steps[t]![1]),
        ]);
        return [...g1!.dataSync(), ...g2!.dataSync()];
      });
      return v;
    };
    run(a, 0);
    a.setEpoch(1);
    const b = api.GlobalContrastiveLoss.fromState(JSON.parse(JSON.stringify(a.getState())));
    expect(run(b, 1)).toEqual(run(a, 1));
    expect(run(b, 2)).toEqual(run(a, 2));
    expect(b.getState()).toEqual(a.getState());
    const snap = JSON.stringify(a.getState());
    const x = tf.tensor2d(steps[0]![0]);
    expectDroError(
      () =>
        a.call(
          x,
          tf.tensor2d([
            [Number.NaN, 0, 0],
            [1, 1, 1],
            [0, 1, 0],
            [1, 0, 0],
          ]),
          [0, 1, 2, 3],
        ),
      'E_NONFINITE',
    );
    expectDroError(() => a.call(x, x, [0, 1, 2, 8]), 'E_INDEX_RANGE', 'indices');
    expectDroError(() => a.call(x, tf.zeros([4, 2]) as tf.Tensor2D, [0, 1, 2, 3]), 'E_SHAPE', 'view2');
    expectDroError(() => a.call(tf.zeros([1, 3]) as tf.Tensor2D, tf.zeros([1, 3]) as tf.Tensor2D, [0]), 'E_SHAPE');
    expectDroError(() => a.call(x, x, [0, 1, 2]), 'E_SHAPE', 'indices');
    expect(JSON.stringify(a.getState())).toBe(snap);
    expectDroError(
      () => api.GlobalContrastiveLoss.fromState({ ...a.getState(), version: 9 } as never),
      'E_STATE_VERSION',
    );
    expectDroError(() => new api.GlobalContrastiveLoss({ numInstances: 3, gamma: 0 }), 'E_SPEC', 'gamma');
    expectDroError(() => new api.GlobalContrastiveLoss({ numInstances: 3, tau: 2 }), 'E_SPEC', 'tau');
    expectDroError(
      () => new api.GlobalContrastiveLoss({ numInstances: 3, gammaSchedule: 'cosine' }),
      'E_SPEC',
      'gammaDecayEpochs',
    );
    expectDroError(() => new api.GlobalContrastiveLoss({ numInstances: 3, rho: -1 }), 'E_SPEC', 'rho');
    expectDroError(() => new api.GlobalContrastiveLoss({ numInstances: 3, eta: 0 }), 'E_SPEC', 'eta');
    x.dispose();
  });

  it("duplicate indices: 'throw' rejects with E_INDEX_RANGE (state untouched), 'lastWins' stores the last row", () => {
    const h1 = tf.tensor2d(feats(30, 3, 4));
    const h2 = tf.tensor2d(feats(31, 3, 4));
    const strict = new api.GlobalContrastiveLoss({
      numInstances: 5,
      individualTemperature: true,
      onDuplicateIndex: 'throw',
    });
    const snap = JSON.stringify(strict.getState());
    expectDroError(() => strict.call(h1, h2, [1, 4, 1]), 'E_INDEX_RANGE', 'indices');
    expect(JSON.stringify(strict.getState())).toBe(snap);
    const bi = new api.BimodalGlobalContrastiveLoss({ numInstances: 5, onDuplicateIndex: 'throw' });
    expectDroError(() => bi.call(h1, h2, [2, 2, 0]), 'E_INDEX_RANGE', 'indices');
    const lw = new api.GlobalContrastiveLoss({ numInstances: 5, individualTemperature: true, gamma: 1 });
    lw.call(h1, h2, [1, 4, 1]).dispose();
    const info = lw.lastStepInfo()!;
    // Row 2 (the last with index 1) wins: u = (u¹ + u²)/2 of that row; τ from that row's gradient.
    expect(lw.movingAverages([1])[0]).toBeCloseTo((info.u1[2]! + info.u2[2]!) / 2, 10);
    const tau = Float64Array.from([0.1]);
    const m = Float64Array.from([0]);
    api.temperatureStep(tau, m, [0], [info.gradTau[2]!], { eta: 0.01, beta: 0.9, tauMin: 0.05, tauMax: 0.7 });
    expect(lw.temperatures([1])[0]).toBe(tau[0]);
    tf.dispose([h1, h2]);
  });

  it('a zero feature row is finite; 100 optimizer steps leak no tensors', () => {
    const loss = new api.GlobalContrastiveLoss({ numInstances: 32, individualTemperature: true });
    const z = tf.tensor2d([
      [0, 0, 0],
      [1, 2, 3],
    ]);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => loss.call(a as tf.Tensor2D, b as tf.Tensor2D, [0, 1]))([z, z]);
    for (const t of g) expect(Array.from(t.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([z, ...g]);
    const w = tf.variable(tf.randomNormal([5, 4], 0, 0.5, 'float32', 2));
    const x = tf.tensor2d(feats(5, 8, 5));
    const noise = tf.randomNormal([8, 5], 0, 0.1, 'float32', 3);
    const opt = tf.train.sgd(0.1);
    const rng = createRng(9);
    expectNoLeak(
      () => {
        const idx = rng.choice(32, 8);
        return opt.minimize(
          () => loss.call(tf.matMul(x, w) as tf.Tensor2D, tf.matMul(tf.add(x, noise), w) as tf.Tensor2D, idx),
          true,
          [w],
        );
      },
      { repeats: 100, warmup: 2 },
    );
    tf.dispose([w, x, noise]);
    opt.dispose();
  });
});

describeBackends('BimodalGlobalContrastiveLoss', ['cpu', 'wasm'], () => {
  it('with γ = 1 the surrogate gradient matches finite differences of objective(); τ = 0.01 stays finite', () => {
    for (const includePositiveInNormalizer of [true, false]) {
      const loss = new api.BimodalGlobalContrastiveLoss({
        numInstances: 6,
        tau: 0.3,
        gamma: 1,
        individualTemperature: true,
        includePositiveInNormalizer,
      });
      const a = feats(6, 4, 3);
      const b = feats(7, 4, 3);
      const idx = [0, 2, 4, 5];
      expectSurrogateGradientsMatchObjective(loss, a, b, idx);
    }
    const hot = new api.BimodalGlobalContrastiveLoss({ numInstances: 4, individualTemperature: true });
    const x = tf.tensor2d(feats(8, 4, 3));
    const y = tf.tensor2d(feats(9, 4, 3));
    const v = hot.call(x, y, [0, 1, 2, 3]);
    expect(Number.isFinite(v.dataSync()[0]!)).toBe(true);
    expect(Array.from(hot.movingAverages('image')).every((u) => u > 0 && Number.isFinite(u))).toBe(true);
    tf.dispose([x, y, v]);
  });

  it('fromState(JSON round trip) continues bit-identically; 100 steps leak no tensors', () => {
    const a = new api.BimodalGlobalContrastiveLoss({ numInstances: 6, individualTemperature: true });
    const run = (o: api.BimodalGlobalContrastiveLoss, s: number, idx: number[]) =>
      tf.tidy(() => {
        const v = o.call(tf.tensor2d(feats(s, 3, 4)), tf.tensor2d(feats(s + 50, 3, 4)), idx);
        return v.dataSync()[0]!;
      });
    run(a, 1, [0, 1, 2]);
    const b = api.BimodalGlobalContrastiveLoss.fromState(JSON.parse(JSON.stringify(a.getState())));
    expect(run(b, 2, [2, 3, 4])).toBe(run(a, 2, [2, 3, 4]));
    expect(b.getState()).toEqual(a.getState());
    expectDroError(
      () => api.BimodalGlobalContrastiveLoss.fromState({ ...a.getState(), kind: 'x' } as never),
      'E_STATE_VERSION',
    );
    const x = tf.tensor2d(feats(3, 3, 4));
    expectNoLeak(
      () => tf.grads((p: tf.Tensor, q: tf.Tensor) => a.call(p as tf.Tensor2D, q as tf.Tensor2D, [3, 4, 5]))([x, x]),
      {
        repeats: 100,
      },
    );
    x.dispose();
  });
});

describe('temperatureStep', () => {
  it('applies momentum, clip and box; duplicate slots keep the last row computed from the old values', () => {
    const tau = Float64Array.from([0.5, 0.5]);
    const m = Float64Array.from([0, 1]);
    const used = api.temperatureStep(tau, m, [0, 1, 1], [10, -1, 2], {
      eta: 0.1,
      beta: 0.5,
      tauMin: 0.05,
      tauMax: 0.7,
      clip: 3,
    });
    expect(Array.from(used)).toEqual([3, -1, 2]);
    expect(m[0]).toBeCloseTo(1.5, 15);
    expect(tau[0]).toBeCloseTo(0.35, 15);
    expect(m[1]).toBeCloseTo(0.5 * 1 + 0.5 * 2, 15);
    expect(tau[1]).toBeCloseTo(0.5 - 0.1 * 1.5, 15);
    api.temperatureStep(tau, m, [0], [-100], { eta: 1, beta: 1, tauMin: 0.05, tauMax: 0.7 });
    expect(tau[0]).toBe(0.7);
    expectDroError(
      () => api.temperatureStep(tau, m, [2], [0], { eta: 1, beta: 1, tauMin: 0.05, tauMax: 0.7 }),
      'E_INDEX_RANGE',
    );
    expectDroError(
      () => api.temperatureStep(tau, m, [0], [Number.NaN], { eta: 1, beta: 1, tauMin: 0.05, tauMax: 0.7 }),
      'E_NONFINITE',
    );
  });
});
