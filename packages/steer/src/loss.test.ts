import { createRng } from '@drojs/dro-core/host';
import { describeBackends, expectClose, expectNoLeak, numericGradient } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { activations, runWithMaps } from './activations.js';
import { lineasLoss } from './loss.js';
import { SteerMaps } from './maps.js';
import { hookedOf, hostActivations, hostLoss, modelOf, randomNet, randomRows } from './test/fixtures.js';

/** Random non-identity maps, so every term of the gradient is exercised. */
function randomMaps(seed: string, widths: number[]) {
  const rng = createRng(seed);
  return {
    omega: widths.map((d) => Array.from({ length: d }, () => 1 + 0.3 * rng.normal())),
    bias: widths.map((d) => Array.from({ length: d }, () => 0.2 * rng.normal())),
  };
}

describeBackends('lineasLoss', () => {
  const cases = [
    { name: '3 hidden layers, maps at 0 and 2, nS = nT', sizes: [5, 6, 5, 4, 3], layers: [0, 2], nS: 12, nT: 12 },
    { name: '2 hidden layers, both mapped, nS ≠ nT', sizes: [4, 5, 6, 2], layers: [0, 1], nS: 7, nT: 11 },
    { name: 'one sample against many, sum reduction', sizes: [3, 4, 4, 2], layers: [1, 0], nS: 1, nT: 6 },
  ];
  for (const [i, c] of cases.entries()) {
    it(`gradients match central differences of a float64 re-implementation (${c.name})`, () => {
      const net = randomNet(`net-${i}`, c.sizes);
      const xs = randomRows(`xs-${i}`, c.nS, c.sizes[0]!);
      const xt = randomRows(`xt-${i}`, c.nT, c.sizes[0]!, 0.7);
      const widths = c.layers.map((l) => c.sizes[l + 1]!);
      const p = randomMaps(`maps-${i}`, widths);
      const reduction = i === 2 ? 'sum' : 'mean';
      const model = modelOf(net);
      const maps = new SteerMaps({ layers: c.layers, widths });
      c.layers.forEach((l, k) => maps.setMap(l, p.omega[k]!, p.bias[k]!));
      const { value, grads } = tf.tidy(() => {
        const g = tf.variableGrads(
          () => lineasLoss(model, tf.tensor2d(xs), tf.tensor2d(xt), maps, { layerReduction: reduction }).value,
          maps.variables(),
        );
        return {
          value: g.value.dataSync()[0]!,
          grads: maps.variables().flatMap((v) => Array.from(g.grads[v.name]!.dataSync())),
        };
      }) as unknown as { value: number; grads: number[] };
      // The parameters are packed as [ω_0, …, ω_L, b_0, …, b_L], the order of maps.variables().
      const flat = [...p.omega.flat(), ...p.bias.flat()];
      const unpack = (v: Float64Array) => {
        let o = 0;
        const take = () =>
          widths.map((d) => {
            const r = Array.from(v.subarray(o, o + d));
            o += d;
            return r;
          });
        const omega = take();
        return { omega, bias: take() };
      };
      const f = (v: Float64Array) => hostLoss(net, xs, xt, c.layers, unpack(v), reduction);
      expect(value).toBeCloseTo(f(Float64Array.from(flat)), 4);
      const numeric = numericGradient(f, flat, { eps: 1e-6 });
      expectClose(grads, Array.from(numeric), { abs: 2e-4, rel: 2e-3 }, 'gradient');
      // A map upstream gets gradient from the deeper terms too: zeroing them changes its gradient.
      expect(grads.some((g) => Math.abs(g) > 1e-3)).toBe(true);
      maps.dispose();
      model.dispose();
    });
  }

  it('the upstream map feels the deeper layer: its gradient differs from its own term alone', () => {
    const net = randomNet('net-updown', [4, 6, 6, 2]);
    const xs = tf.tensor2d(randomRows('xs-ud', 10, 4));
    const xt = tf.tensor2d(randomRows('xt-ud', 10, 4, 1));
    const model = modelOf(net);
    const both = new SteerMaps({ layers: [0, 1], widths: [6, 6] });
    const first = new SteerMaps({ layers: [0], widths: [6] });
    const g = (m: SteerMaps, scale: number) =>
      tf.tidy(() => {
        const vg = tf.variableGrads(
          () => tf.mul(lineasLoss(model, xs, xt, m).value, scale) as tf.Scalar,
          [m.variables()[0]!],
        );
        return Array.from(vg.grads[m.variables()[0]!.name]!.dataSync());
      }) as unknown as number[];
    // 'mean' over two layers halves the first term; scale it back so both compare its own term.
    const own = g(first, 1);
    const full = g(both, 2);
    expect(full.some((v, j) => Math.abs(v - own[j]!) > 1e-4)).toBe(true);
    for (const t of [xs, xt]) t.dispose();
    both.dispose();
    first.dispose();
    model.dispose();
  });

  it('z and t agree with the host forward; a hooked function gives the same loss as the layers model', () => {
    const net = randomNet('net-hook', [5, 7, 4, 3]);
    const xsA = randomRows('xs-h', 9, 5);
    const xtA = randomRows('xt-h', 6, 5, -0.5);
    const p = randomMaps('maps-h', [7, 4]);
    const model = modelOf(net);
    const maps = new SteerMaps({ layers: [0, 1], widths: [7, 4] });
    [0, 1].forEach((l) => maps.setMap(l, p.omega[l]!, p.bias[l]!));
    const xs = tf.tensor2d(xsA);
    const xt = tf.tensor2d(xtA);
    const z = activations(model, xs, [0, 1], maps);
    expectClose(
      z.map((t) => t.arraySync()),
      hostActivations(net, xsA, [0, 1], p),
      { abs: 1e-5, rel: 1e-4 },
      'z',
    );
    const fromModel = tf.tidy(() => lineasLoss(model, xs, xt, maps).value.dataSync()[0]!);
    const fromHook = tf.tidy(() => lineasLoss(hookedOf(net), xs, xt, maps).value.dataSync()[0]!);
    expect(fromHook).toBeCloseTo(fromModel, 5);
    const logitsModel = tf.tidy(() => runWithMaps(model, xs, maps).arraySync());
    const logitsHook = tf.tidy(() => runWithMaps(hookedOf(net), xs, maps).arraySync());
    expectClose(logitsHook, logitsModel, { abs: 1e-5, rel: 1e-4 }, 'logits');
    for (const t of [...z, xs, xt]) t.dispose();
    maps.dispose();
    model.dispose();
  });

  it('is zero for identical source and target with identity maps, and leaks nothing under variableGrads', () => {
    const net = randomNet('net-zero', [3, 5, 5, 2]);
    const model = modelOf(net);
    const x = tf.tensor2d(randomRows('x-zero', 8, 3));
    const maps = new SteerMaps({ layers: [0, 1], widths: [5, 5] });
    expect(tf.tidy(() => lineasLoss(model, x, x, maps).value.dataSync()[0])).toBe(0);
    expectNoLeak(() =>
      tf.tidy(() => tf.variableGrads(() => lineasLoss(model, x, x, maps).value, maps.variables()).value),
    );
    x.dispose();
    maps.dispose();
    model.dispose();
  });
});
