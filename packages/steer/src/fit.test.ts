import { describeBackends, expectDroError } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { fitSteer } from './fit.js';
import { lineasLoss } from './loss.js';
import { SteerMaps } from './maps.js';
import { hookedOf, modelOf, randomNet, randomRows } from './test/fixtures.js';

async function expectRejects(p: Promise<unknown>, code: string, argument?: string): Promise<void> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect((err as { name?: string })?.name).toBe('DroError');
  expect((err as { code?: string }).code).toBe(code);
  if (argument) expect((err as Error).message).toContain(argument);
}

describeBackends('fitSteer', () => {
  const net = randomNet('fit-net', [4, 6, 5, 3]);
  const xsA = randomRows('fit-xs', 16, 4);
  const xtA = randomRows('fit-xt', 12, 4, 0.8);

  it('lowers the loss from the identity, with SGD and with Adam, and reports every step', async () => {
    const model = modelOf(net);
    const xs = tf.tensor2d(xsA);
    const xt = tf.tensor2d(xtA);
    for (const optimizer of ['sgd', 'adam'] as const) {
      const steps: number[] = [];
      const progress: number[] = [];
      const { maps, history } = await fitSteer(model, xs, xt, {
        layers: [0, 1],
        steps: 60,
        optimizer,
        lr: optimizer === 'sgd' ? 0.05 : 0.02,
        schedule: optimizer === 'adam' ? 'cosine' : 'constant',
        onStep: (s) => steps.push(s),
        onProgress: (p) => progress.push(p.step / p.steps),
      });
      expect(history).toHaveLength(60);
      expect(steps).toEqual(Array.from({ length: 60 }, (_, i) => i));
      expect(progress[59]).toBe(1);
      const after = tf.tidy(() => lineasLoss(model, xs, xt, maps).value.dataSync()[0]!);
      expect(after).toBeLessThan(0.5 * history[0]!.loss);
      maps.dispose();
    }
    for (const t of [xs, xt]) t.dispose();
    model.dispose();
  });

  it('a strong group penalty keeps every map at the identity; a hooked function fits like the layers model', async () => {
    const model = modelOf(net);
    const xs = tf.tensor2d(xsA);
    const xt = tf.tensor2d(xtA);
    const off = await fitSteer(model, xs, xt, { layers: [0, 1], steps: 5, lambdaGroup: 1e3 });
    expect(off.maps.touched().total).toBe(0);
    expect(off.history.every((h) => h.touched === 0)).toBe(true);
    off.maps.dispose();
    const a = await fitSteer(model, xs, xt, { layers: [0, 1], steps: 20, lambda1: 0.05 });
    const b = await fitSteer(hookedOf(net), xs, xt, { layers: [0, 1], steps: 20, lambda1: 0.05 });
    for (const l of [0, 1]) {
      const wa = Array.from(a.maps.omega(l));
      const wb = Array.from(b.maps.omega(l));
      wa.forEach((w, j) => expect(Math.abs(w - wb[j]!)).toBeLessThan(1e-4));
    }
    // The L1 penalty zeroes some neurons exactly: fewer touched than the 11 available.
    expect(a.maps.touched().total).toBeLessThan(11);
    expect(a.maps.touched().total).toBe(a.history[19]!.touched);
    for (const m of [a.maps, b.maps]) m.dispose();
    for (const t of [xs, xt]) t.dispose();
    model.dispose();
  });

  it('leaks no tensors over 100 steps (the maps it returns aside)', async () => {
    const model = modelOf(net);
    const xs = tf.tensor2d(xsA);
    const xt = tf.tensor2d(xtA);
    (await fitSteer(model, xs, xt, { layers: [0, 1], steps: 2 })).maps.dispose(); // warm-up (kernels, caches)
    const before = tf.memory().numTensors;
    const { maps } = await fitSteer(model, xs, xt, { layers: [0, 1], steps: 100, lambda1: 0.01, lambdaGroup: 0.02 });
    expect(tf.memory().numTensors).toBe(before + maps.variables().length);
    maps.dispose();
    expect(tf.memory().numTensors).toBe(before);
    for (const t of [xs, xt]) t.dispose();
    model.dispose();
  });

  it('stops on abort (E_ABORTED) and on a non-finite loss (E_NONFINITE), leaking nothing', async () => {
    const model = modelOf(net);
    const xs = tf.tensor2d(xsA);
    const xt = tf.tensor2d(xtA);
    const before = tf.memory().numTensors;
    const ctl = new AbortController();
    await expectRejects(
      fitSteer(model, xs, xt, { layers: [0, 1], steps: 50, signal: ctl.signal, onStep: (s) => s === 3 && ctl.abort() }),
      'E_ABORTED',
      'signal',
    );
    await expectRejects(fitSteer(model, xs, xt, { layers: [0, 1], steps: 30, lr: 1e30 }), 'E_NONFINITE', 'step');
    expect(tf.memory().numTensors).toBe(before);
    for (const t of [xs, xt]) t.dispose();
    model.dispose();
  });

  it('rejects bad options and inputs before doing anything', async () => {
    const model = modelOf(net);
    const xs = tf.tensor2d(xsA);
    const xt = tf.tensor2d(xtA);
    const narrow = tf.tensor2d([[1, 2, 3]]);
    const empty = tf.zeros([0, 4]);
    await expectRejects(fitSteer(model, xs, xt, { layers: [0], stepz: 3 } as never), 'E_SPEC', 'stepz');
    await expectRejects(fitSteer(model, xs, xt, { layers: [0], steps: 0 }), 'E_SPEC', 'steps');
    await expectRejects(fitSteer(model, xs, xt, { layers: [0], lr: 0 }), 'E_SPEC', 'lr');
    await expectRejects(fitSteer(model, xs, xt, { layers: [0], lambda1: -1 }), 'E_SPEC', 'lambda1');
    await expectRejects(fitSteer(model, xs, xt, { layers: [0], optimizer: 'rmsprop' as never }), 'E_SPEC', 'optimizer');
    await expectRejects(
      fitSteer(model, xs, xt, { layers: [0], layerReduction: 'max' as never }),
      'E_SPEC',
      'layerReduction',
    );
    await expectRejects(fitSteer(model, xs, xt, { layers: [] }), 'E_EMPTY', 'layers');
    await expectRejects(fitSteer(model, xs, xt, { layers: [7] }), 'E_INDEX_RANGE', 'layers[0]');
    await expectRejects(fitSteer(model, xs, xt, { layers: ['nope'] }), 'E_INDEX_RANGE', 'layers[0]');
    await expectRejects(fitSteer(model, xs, narrow, { layers: [0] }), 'E_SHAPE', 'target');
    await expectRejects(fitSteer(model, empty, xt, { layers: [0] }), 'E_EMPTY', 'source');
    await expectRejects(fitSteer(model, [[1]] as never, xt, { layers: [0] }), 'E_DTYPE', 'source');
    await expectRejects(fitSteer({} as never, xs, xt, { layers: [0] }), 'E_SPEC', 'model');
    expectDroError(() => new SteerMaps({ layers: [0], widths: [0] }), 'E_SPEC', 'widths');
    for (const t of [xs, xt, narrow, empty]) t.dispose();
    model.dispose();
  });
});
