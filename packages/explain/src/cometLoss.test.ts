import { describeBackends, expectDroError, expectNoLeak } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { type CometLossOptions, cometLoss, cometLossTerms } from './cometLoss.js';
import { tinyClassifier, uniformData } from './nets.fixture.js';

const B = 3;
const H = 4;
const W = 4;
const K = 3;
const labels = [0, 2, 1];

function setup(c = 1) {
  const p = tinyClassifier('p', H, W, c, K);
  const d = tinyClassifier('d', H, W, c, K);
  const nets = { predictor: (x: tf.Tensor) => p.apply(x, false), detector: (x: tf.Tensor) => d.apply(x, false) };
  const x = uniformData('x', [B, H, W, c]) as tf.Tensor4D;
  const z = uniformData('z', [B, 2, 2], -1.5, 1.5);
  return {
    nets,
    x,
    z,
    dispose: () => {
      p.dispose();
      d.dispose();
      x.dispose();
      z.dispose();
    },
  };
}

function fdCheck(o: CometLossOptions, c = 1): void {
  const s = setup(c);
  try {
    const f = (z: tf.Tensor) => cometLossTerms(s.nets, s.x, labels, z, o).total;
    const g = tf.tidy(() =>
      tf
        .grad((z: tf.Tensor) => cometLoss(s.nets, s.x, labels, z, o).total)(s.z)
        .dataSync(),
    );
    const z0 = s.z.dataSync();
    const h = 1e-2;
    for (let i = 0; i < z0.length; i++) {
      const zp = Float32Array.from(z0);
      const zm = Float32Array.from(z0);
      zp[i]! += h;
      zm[i]! -= h;
      const fd = tf.tidy(() => (f(tf.tensor(zp, s.z.shape)) - f(tf.tensor(zm, s.z.shape))) / (2 * h));
      expect(Math.abs(g[i]! - fd), `dL/dz[${i}] ${g[i]} vs ${fd}`).toBeLessThan(1e-2 * Math.max(1, Math.abs(fd)));
    }
    // Input gradient at a few pixels.
    const gx = tf.tidy(() =>
      tf
        .grad((x: tf.Tensor) => cometLoss(s.nets, x as tf.Tensor4D, labels, s.z, o).total)(s.x)
        .dataSync(),
    );
    const x0 = s.x.dataSync();
    for (const i of [0, 5, 17, x0.length - 1]) {
      const xp = Float32Array.from(x0);
      const xm = Float32Array.from(x0);
      xp[i]! += h;
      xm[i]! -= h;
      const fd = tf.tidy(
        () =>
          (cometLossTerms(s.nets, tf.tensor(xp, s.x.shape) as tf.Tensor4D, labels, s.z, o).total -
            cometLossTerms(s.nets, tf.tensor(xm, s.x.shape) as tf.Tensor4D, labels, s.z, o).total) /
          (2 * h),
      );
      expect(Math.abs(gx[i]! - fd), `dL/dx[${i}]`).toBeLessThan(1e-2 * Math.max(1, Math.abs(fd)));
    }
  } finally {
    s.dispose();
  }
}

describeBackends('cometLoss', ['cpu', 'wasm'], () => {
  it('gradients equal central differences (hinge, area active, TV, bilinear)', () => {
    fdCheck({ areaThreshold: 0.2, tvWeight: 0.05, areaWeight: 3 });
  });
  it('gradients equal central differences (linear, nearest, per-channel fill, w_P = 2)', () => {
    fdCheck(
      { completeness: 'linear', upsample: 'nearest', fill: [0.25, 0.5], predictorWeight: 2, areaThreshold: 0.3 },
      2,
    );
  });

  it('terms recombine into the total and the area is the mask mean', () => {
    const s = setup();
    const o = { areaThreshold: 0.1, tvWeight: 0.1 };
    const t = cometLossTerms(s.nets, s.x, labels, s.z, o);
    expect(t.completenessActive).toBe(t.completenessArg! > 0);
    expect(Math.abs(t.total - (t.sufficiency + t.completenessTerm + t.areaTerm + t.tvTerm))).toBeLessThan(1e-5);
    const r = cometLoss(s.nets, s.x, labels, s.z, o);
    const mean = tf.tidy(() => tf.mean(r.mask, [1, 2]).dataSync());
    for (let i = 0; i < B; i++) expect(Math.abs(mean[i]! - t.area[i]!)).toBeLessThan(1e-6);
    for (const v of Object.values(r)) if (v instanceof tf.Tensor) v.dispose();
    s.dispose();
  });

  it('raising M, or the area above τ, raises the area term', () => {
    const s = setup();
    const a = cometLossTerms(s.nets, s.x, labels, s.z, { areaWeight: 5, areaThreshold: 0.2 });
    const b = cometLossTerms(s.nets, s.x, labels, s.z, { areaWeight: 10, areaThreshold: 0.2 });
    const z2 = tf.add(s.z, 1);
    const c = cometLossTerms(s.nets, s.x, labels, z2, { areaWeight: 5, areaThreshold: 0.2 });
    expect(a.areaTerm).toBeGreaterThan(0);
    expect(b.areaTerm).toBeGreaterThan(a.areaTerm);
    expect(c.areaTerm).toBeGreaterThan(a.areaTerm);
    z2.dispose();
    s.dispose();
  });

  it('with c = 0 the detector has no influence on the selector gradient', () => {
    const s = setup();
    const other = tinyClassifier('other', H, W, 1, K);
    const g = (detector: (x: tf.Tensor) => tf.Tensor) =>
      tf.tidy(() =>
        tf
          .grad(
            (z: tf.Tensor) =>
              cometLoss({ predictor: s.nets.predictor, detector }, s.x, labels, z, { completenessWeight: 0 }).total,
          )(s.z)
          .dataSync(),
      );
    expect(Array.from(g((x) => other.apply(x, false)))).toEqual(Array.from(g(s.nets.detector)));
    other.dispose();
    s.dispose();
  });

  it('P = D and z = 0 (m = ½): the completeness argument is exactly the gap', () => {
    const s = setup();
    const z0 = tf.zeros([B, 2, 2]);
    const t = cometLossTerms({ predictor: s.nets.predictor, detector: s.nets.predictor }, s.x, labels, z0, {
      gap: 0.75,
    });
    expect(t.completenessArg).toBe(0.75);
    expect(t.sufficiency).toBe(t.complement);
    z0.dispose();
    s.dispose();
  });

  it('leaks nothing but its results', () => {
    const s = setup();
    expectNoLeak(() => cometLoss(s.nets, s.x, labels, s.z, { tvWeight: 0.1 }), { repeats: 5 });
    s.dispose();
  });

  it('bad input → DroError before anything runs', () => {
    const s = setup();
    expectDroError(() => cometLoss(s.nets, s.x, labels, tf.zeros([2, 2, 2]), {}), 'E_SHAPE', 'maskLogits');
    expectDroError(() => cometLoss(s.nets, s.x, [0, 3, 1], s.z, {}), 'E_LABEL_RANGE', 'labels');
    expectDroError(() => cometLoss(s.nets, s.x, [0, 1], s.z, {}), 'E_SHAPE', 'labels');
    expectDroError(() => cometLoss(s.nets, s.x, labels, s.z, { tau: 0.5 } as never), 'E_SPEC', 'tau');
    expectDroError(() => cometLoss(s.nets, s.x, labels, s.z, { areaThreshold: 1.5 }), 'E_SPEC', 'areaThreshold');
    expectDroError(() => cometLoss(s.nets, s.x, labels, s.z, { gap: -1 }), 'E_SPEC', 'gap');
    expectDroError(() => cometLoss(s.nets, s.x, labels, s.z, { fill: [0, 0] }), 'E_SHAPE', 'fill');
    expectDroError(() => cometLoss(s.nets, s.x, labels, s.z, { fill: Number.NaN }), 'E_NONFINITE', 'fill');
    expectDroError(() => cometLoss(s.nets, [] as never, [], [] as never, {}), 'E_EMPTY', 'x');
    expectDroError(() => cometLoss(s.nets, tf.zeros([3, 4, 4]) as never, labels, s.z, {}), 'E_SHAPE', 'x');
    expectDroError(() => cometLoss(s.nets, tf.zeros([3, 4, 4, 1], 'int32') as never, labels, s.z, {}), 'E_DTYPE', 'x');
    expectDroError(
      () => cometLoss({ predictor: s.nets.predictor, detector: (x) => tf.zeros([x.shape[0]!, 4]) }, s.x, labels, s.z),
      'E_SHAPE',
      'detector',
    );
    s.dispose();
  });
});
