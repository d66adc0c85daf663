import { createRng, DroError } from '@drojs/dro-core';
import { checkStatefulContract, describeBackends, expectDroError } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cometLoss } from './cometLoss.js';
import { CometTrainer, type CometTrainerOptions, type CometTrainerState } from './cometTrainer.js';
import { tinyClassifier, tinySelector, uniformData } from './nets.fixture.js';
import { disposeCaches } from './resize.js';

const H = 4;
const K = 3;
const N = 10;

function makeNets(tag = '') {
  return {
    selector: tinySelector(`s${tag}`, 1, 2),
    predictor: tinyClassifier(`p${tag}`, H, H, 1, K),
    detector: tinyClassifier(`d${tag}`, H, H, 1, K),
  };
}
const disposeNets = (n: ReturnType<typeof makeNets>) => {
  n.selector.dispose();
  n.predictor.dispose();
  n.detector.dispose();
};

const x = () => uniformData('train-x', [N, H, H, 1]) as tf.Tensor4D;
const y = Int32Array.from({ length: N }, (_, i) => i % K);
const OPTS: CometTrainerOptions = { areaThreshold: 0.3, areaWeight: 5, batchSize: 4, seed: 3 };
const vals = (vs: tf.Variable[]) => vs.map((v) => Array.from(v.dataSync()));

describeBackends('CometTrainer', ['cpu', 'wasm'], () => {
  let xs: tf.Tensor4D;
  beforeAll(() => {
    xs = x();
  });

  checkStatefulContract({
    name: 'CometTrainer',
    make: () => new CometTrainer(makeNets('c'), { ...OPTS, optimizer: { name: 'adam', learningRate: 0.01 } }),
    step: (t, i) => {
      const xb = tf.slice(xs, [i % 3, 0, 0, 0], [4, -1, -1, -1]) as tf.Tensor4D;
      const info = t.trainStep(xb, [0, 1, 2, 0]);
      xb.dispose();
      return info.total;
    },
    fromState: ((s: CometTrainerState) => CometTrainer.fromState(s, makeNets('c'))) as never,
    badOptions: { key: 'areaTreshold', make: () => new CometTrainer(makeNets('b'), { areaTreshold: 0.3 } as never) },
    badStep: (t) =>
      t.trainStep(
        xs,
        Int32Array.from({ length: N }, () => 7),
      ),
    leakRepeats: 20,
  });

  it('routing: the selector follows ∂L/∂ψ, the predictor ∂ℓ_P/∂θ, the frozen detector stays put (SGD)', () => {
    const nets = makeNets('r');
    const lr = 0.1;
    const o: CometTrainerOptions = { ...OPTS, optimizer: { name: 'sgd', learningRate: lr } };
    const xb = tf.tidy(() => tf.slice(xs, [0, 0, 0, 0], [6, -1, -1, -1])) as tf.Tensor4D;
    const yb = [0, 1, 2, 0, 1, 2];
    const expected = tf.tidy(() => {
      const gs = tf.variableGrads(() => lossOfT('total'), nets.selector.variables).grads;
      const gp = tf.variableGrads(() => lossOfT('sufficiency'), nets.predictor.variables).grads;
      return {
        sel: nets.selector.variables.map((v) => Array.from(tf.sub(v, tf.mul(lr, gs[v.name]!)).dataSync())),
        pred: nets.predictor.variables.map((v) => Array.from(tf.sub(v, tf.mul(lr, gp[v.name]!)).dataSync())),
      };
    });
    function lossOfT(which: 'total' | 'sufficiency'): tf.Scalar {
      const z = nets.selector.apply(xb, true);
      const { fill: _f, batchSize: _b, seed: _s, optimizer: _o, ...lossOpts } = o;
      const r = cometLoss(
        { predictor: (v) => nets.predictor.apply(v, true), detector: (v) => nets.detector.apply(v, false) },
        xb,
        yb,
        z,
        lossOpts,
      );
      return r[which];
    }
    const det0 = vals(nets.detector.variables);
    const t = new CometTrainer(nets, o);
    const info = t.trainStep(xb, yb);
    expect(info.completenessActive).toBe(true); // the routing factor w_P + c differs from 1 here
    const close = (a: number[][], b: number[][]) =>
      a.forEach((row, i) =>
        row.forEach((v, j) => expect(Math.abs(v - b[i]![j]!)).toBeLessThan(1e-5 + 1e-4 * Math.abs(v))),
      );
    close(vals(nets.selector.variables), expected.sel);
    close(vals(nets.predictor.variables), expected.pred);
    expect(vals(nets.detector.variables)).toEqual(det0);
    t.dispose();
    xb.dispose();
    disposeNets(nets);
  });

  it('adversarial mode trains the detector on ℓ_D', () => {
    const nets = makeNets('a');
    const det0 = vals(nets.detector.variables);
    const t = new CometTrainer(nets, { ...OPTS, detectorMode: 'adversarial' });
    t.trainStep(xs, y);
    expect(vals(nets.detector.variables)).not.toEqual(det0);
    t.dispose();
    disposeNets(nets);
  });

  it('100 steps keep numTensors constant', () => {
    const nets = makeNets('l');
    const t = new CometTrainer(nets, { ...OPTS, tvWeight: 0.01 });
    t.trainStep(xs, y);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) t.trainStep(xs, y);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
    disposeNets(nets);
  });

  it('fit: seeded, resumable from a mid-epoch checkpoint bit-exactly, abortable at a step boundary', async () => {
    const runA = makeNets('f');
    const a = new CometTrainer(runA, OPTS);
    disposeCaches(); // the interpolation-matrix cache is filled on first use; count without it
    const tensorsBefore = tf.memory().numTensors;
    const states: CometTrainerState[] = [];
    const progress: number[] = [];
    const { history } = await a.fit(xs, y, {
      epochs: 2,
      checkpointEvery: 2,
      onCheckpoint: (s) => {
        states.push(JSON.parse(JSON.stringify(s)));
      },
      onProgress: (i) => progress.push(i.step),
      progressEvery: 1,
    });
    expect(history.length).toBe(6); // 2 epochs × ⌈10/4⌉ batches
    disposeCaches();
    expect(tf.memory().numTensors).toBe(tensorsBefore); // fit leaks nothing (its optimiser slots exist already)
    expect(progress).toEqual([0, 1, 2, 3, 4, 5]);
    const mid = states.find((s) => s.step === 4)!;
    expect(mid.stepInEpoch).toBe(1);
    const runB = makeNets('f');
    const b = CometTrainer.fromState(mid, runB);
    await b.fit(xs, y, { epochs: 2 });
    expect(vals(runB.selector.variables)).toEqual(vals(runA.selector.variables));
    expect(vals(runB.predictor.variables)).toEqual(vals(runA.predictor.variables));
    expect(b.epochHistory).toEqual(a.epochHistory);
    // Abort after the second step.
    const runC = makeNets('g');
    const c = new CometTrainer(runC, OPTS);
    const ctl = new AbortController();
    let err: unknown;
    try {
      await c.fit(xs, y, {
        epochs: 2,
        progressEvery: 1,
        onProgress: (i) => i.step === 1 && ctl.abort(),
        signal: ctl.signal,
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DroError);
    expect((err as DroError).code).toBe('E_ABORTED');
    expect(c.step).toBe(2);
    for (const t of [a, b, c]) t.dispose();
    for (const n of [runA, runB, runC]) disposeNets(n);
  });

  it('rejects bad options, bad input and mismatched restores', () => {
    const nets = makeNets('e');
    expectDroError(() => new CometTrainer(nets, { seed: 1, rng: createRng(1) }), 'E_SPEC', 'rng');
    expectDroError(
      () => new CometTrainer(nets, { detectorOptimizer: { name: 'sgd', learningRate: 1 } }),
      'E_SPEC',
      'detectorOptimizer',
    );
    expectDroError(
      () => new CometTrainer(nets, { optimizer: { name: 'adam', learningRate: 0 } }),
      'E_SPEC',
      'learningRate',
    );
    expectDroError(() => new CometTrainer(nets, { batchSize: 0 }), 'E_SPEC', 'batchSize');
    const t = new CometTrainer(nets, OPTS);
    expectDroError(
      () =>
        t.trainStep(
          xs,
          Int32Array.from({ length: N }, () => 3),
        ),
      'E_LABEL_RANGE',
      'labels',
    );
    expectDroError(() => t.trainStep(tf.zeros([2, 4, 4]) as never, [0, 1]), 'E_SHAPE', 'x');
    expect(t.step).toBe(0);
    const s = t.getState();
    const other = makeNets('zz');
    expectDroError(() => CometTrainer.fromState(s, other), 'E_SPEC', 'detector');
    const wrong = { ...makeNets('e'), predictor: tinyClassifier('w', H, H, 1, 4) };
    expectDroError(() => CometTrainer.fromState(s, wrong), 'E_SHAPE', 'predictor');
    t.dispose();
    disposeNets(nets);
    disposeNets(other);
    disposeNets(wrong);
  });
});

describe('options', () => {
  it('getState records every resolved option', () => {
    const nets = makeNets('o');
    const t = new CometTrainer(nets, { seed: 'run-1' });
    const o = t.getState().options;
    expect(o.seed).toBe('run-1');
    expect(o.areaWeight).toBe(100);
    expect(o.detectorMode).toBe('frozen');
    t.dispose();
    disposeNets(nets);
  });
});
