import { describeBackends, expectClose } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { activations } from './activations.js';
import { lineasLoss } from './loss.js';
import { SteerMaps } from './maps.js';
import { randomRows } from './test/fixtures.js';

// A hooked "sequence model": [n, T, 3] tokens → ReLU features [n, T, 3] at hook 0 → mean logits.
const tokens = (x: tf.Tensor, hook: (l: number, h: tf.Tensor) => tf.Tensor) =>
  tf.mean(hook(0, tf.relu(tf.sub(x, 0.2))), 1);

describeBackends('token pooling', ['cpu'], () => {
  it("'mean' pools the token axis before the loss; 'none' treats every token as a sample", () => {
    const xs = tf.tensor3d(randomRows('tok-xs', 8, 3).map((r) => [r, r.map((v) => v * 0.5)]));
    const xt = tf.tensor3d(randomRows('tok-xt', 6, 3, 0.5).map((r) => [r, r.map((v) => -v)]));
    const maps = new SteerMaps({ layers: [0], widths: [3] });
    maps.setMap(0, [1.2, 0.9, 1], [0.1, 0, -0.2]);
    const [zMean] = activations(tokens, xs, [0], maps);
    const [zAll] = activations(tokens, xs, [0], maps, { pooling: 'none' });
    expect(zMean!.shape).toEqual([8, 3]);
    expect(zAll!.shape).toEqual([16, 3]);
    const all = zAll!.arraySync();
    expectClose(
      zMean!.arraySync(),
      all.filter((_, i) => i % 2 === 0).map((r, i) => r.map((v, j) => (v + all[2 * i + 1]![j]!) / 2)),
      { abs: 1e-6 },
    );
    const pooled = tf.tidy(() => lineasLoss(tokens, xs, xt, maps).value.dataSync()[0]!);
    const flat = tf.tidy(() => lineasLoss(tokens, xs, xt, maps, { pooling: 'none' }).value.dataSync()[0]!);
    expect(pooled).toBeGreaterThan(0);
    expect(flat).not.toBeCloseTo(pooled, 4);
    for (const t of [xs, xt, zMean!, zAll!]) t.dispose();
    maps.dispose();
  });
});
