import { describeBackends, expectClose, expectDroError, expectNoLeak } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { deletionInsertion } from '../metrics/deletionInsertion.js';
import { maskScores } from '../metrics/maskScores.js';
import { tinyClassifier, uniformData } from '../nets.fixture.js';
import { gradientSaliency } from './gradientSaliency.js';
import { integratedGradients } from './integratedGradients.js';
import { occlusion } from './occlusion.js';

const H = 4;
const K = 3;
const targets = [0, 2];

describeBackends('baselines', ['cpu', 'wasm'], () => {
  it('integrated gradients of a linear model are (x − x′) ⊙ w_y with delta 0, for every rule', () => {
    tf.tidy(() => {
      const w = uniformData('w', [H * H * 2, K], -1, 1) as tf.Tensor2D;
      const lin = (x: tf.Tensor) => tf.matMul(tf.reshape(x, [x.shape[0]!, H * H * 2]), w);
      const x = uniformData('x', [2, H, H, 2]) as tf.Tensor4D;
      const base = [0.25, -0.5];
      for (const rule of ['riemann-left', 'riemann-right', 'riemann-middle', 'trapezoid'] as const) {
        const r = integratedGradients(lin, x, targets, { rule, steps: 3, baseline: base });
        const wy = tf.reshape(tf.transpose(tf.gather(w, targets, 1)), [2, H, H, 2]);
        const exp = tf.mul(tf.sub(x, tf.tensor1d(base)), wy);
        expectClose(Array.from(r.attributions.dataSync()), Array.from(exp.dataSync()), { abs: 1e-5, rel: 1e-4 });
        for (const d of r.delta) expect(Math.abs(d)).toBeLessThan(1e-4);
      }
    });
  });

  it('|delta| of the midpoint rule falls with K on a tanh network', () => {
    const net = tinyClassifier('ig', H, H, 1, K);
    const f = (x: tf.Tensor) => net.apply(x, false);
    const x = uniformData('xi', [2, H, H, 1], 0, 2) as tf.Tensor4D;
    const d = [2, 8, 32].map((steps) => {
      const r = integratedGradients(f, x, targets, { steps });
      r.attributions.dispose();
      r.map.dispose();
      return Math.max(...Array.from(r.delta, Math.abs));
    });
    expect(d[1]!).toBeLessThan(d[0]!);
    expect(d[2]!).toBeLessThan(d[1]!);
    x.dispose();
    net.dispose();
  });

  it('saliency equals central differences of the target logit', () => {
    const net = tinyClassifier('sal', H, H, 1, K);
    const f = (x: tf.Tensor) => net.apply(x, false);
    const x = uniformData('xs', [2, H, H, 1]) as tf.Tensor4D;
    const { gradients, map } = gradientSaliency(f, x, targets, { reduce: 'sum' });
    const g = gradients.dataSync();
    const x0 = x.dataSync();
    const score = (v: Float32Array, i: number) =>
      tf.tidy(() => f(tf.tensor(v, x.shape)).dataSync()[i * K + targets[i]!]!);
    for (const p of [0, 7, 15, 16 + 9]) {
      const i = Math.floor(p / 16);
      const up = Float32Array.from(x0);
      const dn = Float32Array.from(x0);
      up[p]! += 1e-2;
      dn[p]! -= 1e-2;
      const fd = (score(up, i) - score(dn, i)) / 2e-2;
      expect(Math.abs(g[p]! - fd)).toBeLessThan(1e-2 * Math.max(1, Math.abs(fd)));
    }
    expectClose(Array.from(map.dataSync()), Array.from(g), { abs: 1e-7 });
    for (const t of [gradients, map, x]) t.dispose();
    net.dispose();
  });

  it('occlusion covers every pixel; its map is the mean drop over covering windows', () => {
    const net = tinyClassifier('occ', 5, 5, 1, K);
    const f = (x: tf.Tensor) => net.apply(x, false);
    const x = uniformData('xo', [2, 5, 5, 1]) as tf.Tensor4D;
    const r = occlusion(f, x, targets, { window: [2, 3], strides: [2, 2] });
    expect(r.rowStarts).toEqual([0, 2, 3]);
    expect(r.colStarts).toEqual([0, 2]);
    for (const c of r.counts) expect(c).toBeGreaterThanOrEqual(1);
    const m = r.map.dataSync();
    // pixel (4, 4) of image 1 is covered by the single window (3, 2).
    expect(Math.abs(m[25 + 24]! - r.windowDeltas[(1 * 3 + 2) * 2 + 1]!)).toBeLessThan(1e-6);
    r.map.dispose();
    x.dispose();
    net.dispose();
  });

  it('deletion at step 0 is the image and insertion at step 0 the fill; a full mask keeps the image', () => {
    const net = tinyClassifier('di', H, H, 1, K);
    const f = (x: tf.Tensor) => net.apply(x, false);
    const x = uniformData('xd', [2, H, H, 1]) as tf.Tensor4D;
    const map = uniformData('md', [2, H, H]) as tf.Tensor3D;
    const r = deletionInsertion(f, x, targets, map, { steps: 4 });
    const p = tf.tidy(() => tf.softmax(f(x)).dataSync());
    const p0 = tf.tidy(() => tf.softmax(f(tf.zerosLike(x))).dataSync());
    expect(Math.abs(r.deletion[0]![0]! - p[targets[0]!]!)).toBeLessThan(1e-6);
    expect(Math.abs(r.insertion[1]![0]! - p0[K + targets[1]!]!)).toBeLessThan(1e-6);
    expect(Math.abs(r.insertion[0]![4]! - p[targets[0]!]!)).toBeLessThan(1e-6);
    const ones = tf.onesLike(map);
    const s = maskScores(f, x, targets, ones);
    expect(s.means.comprehensiveness).toBeGreaterThan(-1);
    for (let i = 0; i < 2; i++) expect(Math.abs(s.perSample.pSelected[i]! - s.perSample.pFull[i]!)).toBeLessThan(1e-6);
    for (const t of [x, map, ones]) t.dispose();
    net.dispose();
  });

  it('leak nothing but their results; bad input → DroError', () => {
    const net = tinyClassifier('lk', H, H, 1, K);
    const f = (x: tf.Tensor) => net.apply(x, false);
    const x = uniformData('xl', [2, H, H, 1]) as tf.Tensor4D;
    const map = uniformData('ml', [2, H, H]) as tf.Tensor3D;
    expectNoLeak(() => gradientSaliency(f, x, targets), { repeats: 3 });
    expectNoLeak(() => integratedGradients(f, x, targets, { steps: 4 }), { repeats: 3 });
    expectNoLeak(() => occlusion(f, x, targets, { window: [2, 2] }).map, { repeats: 3 });
    expectNoLeak(() => void deletionInsertion(f, x, targets, map, { steps: 3 }), { repeats: 3 });
    expectNoLeak(() => void maskScores(f, x, targets, map), { repeats: 3 });
    expectDroError(() => gradientSaliency(f, x, [0, 3]), 'E_LABEL_RANGE', 'targets');
    expectDroError(() => gradientSaliency(f, x, [0]), 'E_SHAPE', 'targets');
    expectDroError(() => integratedGradients(f, x, targets, { rule: 'simpson' as never }), 'E_SPEC', 'rule');
    expectDroError(() => integratedGradients(f, x, targets, { baseline: [0, 0] }), 'E_SHAPE', 'baseline');
    expectDroError(() => occlusion(f, x, targets, { window: [5, 1] }), 'E_SPEC', 'window');
    expectDroError(() => occlusion(f, x, targets, { strides: [0, 1] }), 'E_SPEC', 'strides');
    expectDroError(() => deletionInsertion(f, x, targets, map, { steps: 0 }), 'E_SPEC', 'steps');
    expectDroError(() => deletionInsertion(f, x, targets, tf.zeros([2, 3, 3]) as tf.Tensor3D), 'E_SHAPE', 'map');
    expectDroError(() => maskScores(f, x, targets, tf.fill([2, H, H], 2) as tf.Tensor3D), 'E_SPEC', 'mask');
    for (const t of [x, map]) t.dispose();
    net.dispose();
  });
});
