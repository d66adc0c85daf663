import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { GroupDroWeights } from './group.js';
import { IndexedMovingLogMeanExp, MovingLogMeanExp } from './moving.js';
import { perRow, robustLoss, robustLossWithInfo } from './robust.js';
import { perRowAsync, robustLossAsync, robustStep, robustSurrogate, solveRobustAsync } from './robustAsync.js';
import { EVERY_KIND_SPECS } from './robustSpecs.fixture.js';
import type { RobustSpec } from './spec.js';
import { describeBackends, expectDroError, expectNoLeakAsync } from './testing/index.js';

const SPECS = EVERY_KIND_SPECS;

// A batch of 6 samples, 3 features, a linear model with a bias: per-sample squared errors.
const X = [
  [1, 0.5, -0.25],
  [0.25, -1, 0.5],
  [-0.5, 0.75, 1],
  [1.5, 0.25, -0.5],
  [0.125, 0.5, 0.25],
  [-1, -0.5, 0.75],
];
const Y = [0.5, -0.25, 1, 0.75, -1, 2];

function makeModel() {
  const w = tf.variable(tf.tensor2d([[0.3], [-0.2], [0.45]]));
  const b = tf.variable(tf.scalar(0.1));
  return { w, b, vars: [w, b] };
}

async function rejection(p: Promise<unknown>): Promise<{ name?: string; code?: string; message?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { name?: string; code?: string; message?: string };
  }
  return {};
}

describeBackends('robust losses, async path', ['cpu', 'wasm'], () => {
  it('robustStep updates the parameters bit-identically to minimize(robustLoss) for every kind', async () => {
    const x = tf.tensor2d(X);
    const y = tf.tensor1d(Y);
    for (const spec of SPECS) {
      const a = makeModel();
      const s = makeModel();
      const lossesOf = (m: ReturnType<typeof makeModel>) => () =>
        tf.square(tf.sub(tf.reshape(tf.add(tf.matMul(x, m.w), m.b), [-1]), y)) as tf.Tensor1D;
      const optA = tf.train.sgd(0.05);
      const optS = tf.train.sgd(0.05);
      const values: number[] = [];
      for (let k = 0; k < 4; k++) {
        const r = await robustStep(optA, lossesOf(a), spec);
        values.push(r.value);
        const cost = optS.minimize(() => robustLoss(lossesOf(s)(), spec), true) as tf.Scalar;
        cost.dispose();
      }
      for (let i = 0; i < a.vars.length; i++) {
        expect(Array.from(await a.vars[i]!.data()), spec.kind).toEqual(Array.from(await s.vars[i]!.data()));
      }
      // The robust objective went down (these specs are convex in the parameters; a small step).
      expect(values[3]!, spec.kind).toBeLessThan(values[0]!);
      tf.dispose([...a.vars, ...s.vars]);
      optA.dispose();
      optS.dispose();
    }
    tf.dispose([x, y]);
  });

  it('robustLossAsync equals robustLossWithInfo bit for bit; perRowAsync equals perRow', async () => {
    const l = tf.tensor1d([0.3, 1.7, 0.2, 2.5, 0.9]);
    const m = tf.tensor2d([0.3, 1.7, 0.2, 2.5, 0.9, -1, 4, 0.5], [2, 4]);
    for (const spec of SPECS) {
      const s = robustLossWithInfo(l, spec);
      const a = await robustLossAsync(l, spec);
      expect(a.value).toBe(s.value);
      expect(a.info).toEqual(s.info);
      expect(Array.from(await a.loss.data())).toEqual(Array.from(await s.loss.data()));
      expect(Array.from(await a.weights.data())).toEqual(Array.from(await s.weights.data()));
      const rs = perRow(m, spec);
      const ra = await perRowAsync(m, spec);
      expect(Array.from(await ra.data())).toEqual(Array.from(await rs.data()));
      tf.dispose([s.loss, s.weights, a.loss, a.weights, rs, ra]);
    }
    tf.dispose([l, m]);
  });

  it('robustSurrogate differentiates to Σ p_i ∇l_i with the plan held constant', async () => {
    const l = tf.tensor1d([0.3, 1.7, 0.2, 2.5]);
    const plan = await solveRobustAsync(l, { kind: 'kl', lambda: 0.5 });
    const g = tf.grad((t: tf.Tensor) => robustSurrogate(t as tf.Tensor1D, plan))(l);
    expect(Array.from(await g.data())).toEqual(Array.from(Float32Array.from(plan.weights)));
    const v = robustSurrogate(l, plan);
    expect(Math.abs((await v.data())[0]! - plan.value)).toBeLessThan(1e-6 * (1 + Math.abs(plan.value)));
    tf.dispose([l, g, v]);
  });

  it('rejects bad input with the table codes before any state changes', async () => {
    const nan = tf.tensor1d([0.3, Number.NaN]);
    expect((await rejection(solveRobustAsync(nan, { kind: 'kl', lambda: 1 }))).code).toBe('E_NONFINITE');
    const ints = tf.tensor1d([1, 2], 'int32');
    expect((await rejection(solveRobustAsync(ints, { kind: 'erm' }))).code).toBe('E_DTYPE');
    const l = tf.tensor1d([0.3, 0.4, 0.5]);
    const bad = { kind: 'kl', lambda: -1 } as RobustSpec;
    expect((await rejection(solveRobustAsync(l, bad))).code).toBe('E_SPEC');
    const plan = await solveRobustAsync(l, { kind: 'cvar', alpha: 0.5 });
    const short = tf.tensor1d([1, 2]);
    expectDroError(() => robustSurrogate(short, plan), 'E_SHAPE', 'losses');

    const m = makeModel();
    const before = Array.from(await m.w.data());
    const opt = tf.train.sgd(0.1);
    const ctl = new AbortController();
    ctl.abort();
    const f = () => tf.reshape(tf.matMul(tf.ones([3, 3]), m.w), [-1]) as tf.Tensor1D;
    expect((await rejection(robustStep(opt, f, { kind: 'erm' }, { signal: ctl.signal }))).code).toBe('E_ABORTED');
    let calls = 0;
    const changing = () => {
      calls++;
      return tf.reshape(tf.matMul(tf.ones([calls === 1 ? 3 : 2, 3]), m.w), [-1]) as tf.Tensor1D;
    };
    expect((await rejection(robustStep(opt, changing, { kind: 'erm' }))).code).toBe('E_SHAPE');
    expect(Array.from(await m.w.data())).toEqual(before);
    tf.dispose([nan, ints, l, short, ...m.vars]);
    opt.dispose();
  });

  it('robustStep leaks no tensors', async () => {
    const m = makeModel();
    const x = tf.tensor2d(X);
    const y = tf.tensor1d(Y);
    const opt = tf.train.momentum(0.01, 0.9);
    const f = () => tf.square(tf.sub(tf.reshape(tf.add(tf.matMul(x, m.w), m.b), [-1]), y)) as tf.Tensor1D;
    await expectNoLeakAsync(() => robustStep(opt, f, { kind: 'cvar', alpha: 0.5 }), { repeats: 10 });
    tf.dispose([x, y, ...m.vars]);
    opt.dispose();
  });

  it('the stateful weights advance identically through updateAsync and update', async () => {
    const batches = [
      [0.5, 1.5, 0.25],
      [2, 0.1, 0.7],
      [0.3, 0.3, 3],
    ];
    const gs = new GroupDroWeights({ numGroups: 3, etaQ: 0.3 });
    const ga = new GroupDroWeights({ numGroups: 3, etaQ: 0.3 });
    const ms = new MovingLogMeanExp({ lambda: 0.7, gamma: 0.4 });
    const ma = new MovingLogMeanExp({ lambda: 0.7, gamma: 0.4 });
    const is = new IndexedMovingLogMeanExp({ size: 5, tau: 0.5, gamma: 0.3 });
    const ia = new IndexedMovingLogMeanExp({ size: 5, tau: 0.5, gamma: 0.3 });
    for (const [k, v] of batches.entries()) {
      const t = tf.tensor1d(v);
      const s = gs.update(t);
      const a = await ga.updateAsync(t);
      expect(a.q).toEqual(s.q);
      expect(Array.from(await a.loss.data())).toEqual(Array.from(await s.loss.data()));
      const s2 = ms.update(t);
      const a2 = await ma.updateAsync(t);
      expect([a2.objective, a2.logU]).toEqual([s2.objective, s2.logU]);
      expect(Array.from(await a2.surrogate.data())).toEqual(Array.from(await s2.surrogate.data()));
      const inner = tf.tensor2d([...v, ...v.map((z) => z * 2)], [2, 3]);
      const idx = [k, (k + 2) % 5];
      const s3 = is.update(idx, inner);
      const a3 = await ia.updateAsync(idx, inner);
      expect(a3.logU).toEqual(s3.logU);
      expect(Array.from(await a3.weights.data())).toEqual(Array.from(await s3.weights.data()));
      tf.dispose([
        t,
        s.loss,
        a.loss,
        s2.weights,
        s2.surrogate,
        a2.weights,
        a2.surrogate,
        inner,
        s3.weights,
        a3.weights,
      ]);
    }
    expect(ga.getState()).toEqual(gs.getState());
    expect(ma.getState()).toEqual(ms.getState());
    expect(ia.getState()).toEqual(is.getState());
    const before = ga.getState();
    const nan = tf.tensor1d([1, Number.NaN, 2]);
    expect((await rejection(ga.updateAsync(nan))).code).toBe('E_NONFINITE');
    expect(ga.getState()).toEqual(before);
    nan.dispose();
  });
});
