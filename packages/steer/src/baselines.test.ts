import { describeBackends, expectClose } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { activations } from './activations.js';
import { affineOtMaps, meanShiftMaps } from './baselines.js';
import { hookedOf, modelOf, randomNet, randomRows } from './test/fixtures.js';

function columnStats(h: number[][]) {
  const n = h.length;
  const d = h[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => h.reduce((a, r) => a + r[j]!, 0) / n);
  const sd = mean.map((m, j) => Math.sqrt(h.reduce((a, r) => a + (r[j]! - m) ** 2, 0) / n));
  return { mean, sd };
}

describeBackends('baselines', () => {
  const net = randomNet('base-net', [4, 6, 5, 3]);
  const xsA = randomRows('base-xs', 20, 4);
  const xtA = randomRows('base-xt', 15, 4, 1.2);

  it('at the first mapped layer the steered source matches the target mean (mean shift) and sd (affine OT)', () => {
    const model = modelOf(net);
    const xs = tf.tensor2d(xsA);
    const xt = tf.tensor2d(xtA);
    const t = columnStats(activations(model, xt, [0])[0]!.arraySync());
    for (const [fit, matchSd] of [
      [meanShiftMaps, false],
      [affineOtMaps, true],
    ] as const) {
      const maps = fit(model, xs, xt, [0, 1]);
      const z = activations(model, xs, [0], maps)[0]!;
      const s = columnStats(z.arraySync());
      const h = columnStats(activations(model, xs, [0])[0]!.arraySync());
      s.mean.forEach((m, j) => {
        expect(Math.abs(m - t.mean[j]!)).toBeLessThan(1e-5);
        if (matchSd && h.sd[j]! > 1e-6) expect(Math.abs(s.sd[j]! - t.sd[j]!)).toBeLessThan(1e-5);
      });
      if (!matchSd) expect(Array.from(maps.omega(1)).every((w) => w === 1)).toBe(true);
      z.dispose();
      maps.dispose();
    }
    // The hooked twin gives the same maps.
    const a = affineOtMaps(model, xs, xt, [0, 1]);
    const b = affineOtMaps(hookedOf(net), xs, xt, [0, 1]);
    expectClose(Array.from(b.bias(1)), Array.from(a.bias(1)), { abs: 1e-5, rel: 1e-4 });
    for (const m of [a, b]) m.dispose();
    for (const x of [xs, xt]) x.dispose();
    model.dispose();
  });
});
