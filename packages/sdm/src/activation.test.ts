import { createRng } from '@drojs/dro-core';
import { describeBackends, expectClose, expectNoLeak, numericGradient } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { sdmActivation, sdmLogProbs, sdmLogProbsHost, sdmProbsHost } from './activation.js';
import { SOFTMAX_EQUIVALENT_Q } from './constants.js';
import { sdmLoss, sdmLossHost } from './loss.js';

function randomCase(seed: number, n = 6, c = 4) {
  const rng = createRng(seed);
  const z = Array.from({ length: n }, () => Array.from({ length: c }, () => 3 * rng.normal()));
  const q = Array.from({ length: n }, () => rng.int(50));
  const d = Array.from({ length: n }, () => rng.uniform());
  const y = Array.from({ length: n }, () => rng.int(c));
  return { z, q, d, y };
}

describeBackends('SDM activation and loss', () => {
  it('q = e − 2 with d = 1 is the softmax', () => {
    const { z } = randomCase(1);
    const got = tf.tidy(() =>
      sdmActivation(tf.tensor2d(z), tf.fill([z.length], SOFTMAX_EQUIVALENT_Q) as tf.Tensor1D).arraySync(),
    );
    const want = tf.tidy(() => tf.softmax(tf.tensor2d(z)).arraySync());
    expectClose(got, want, { abs: 1e-6 });
    for (const row of z) {
      const h = sdmProbsHost(row, SOFTMAX_EQUIVALENT_Q, 1);
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      expectClose(
        Array.from(h),
        e.map((v) => v / s),
        { rel: 1e-12, abs: 1e-15 },
      );
    }
  });

  it('d = 0 gives exactly 1/C, and argmax is kept for d > 0', () => {
    const { z, q, d } = randomCase(2);
    for (let i = 0; i < z.length; i++) {
      expect(Array.from(sdmProbsHost(z[i]!, q[i]!, 0))).toEqual(z[i]!.map(() => 1 / z[i]!.length));
      const p = sdmProbsHost(z[i]!, q[i]!, d[i]! + 1e-3);
      expect(p.indexOf(Math.max(...p))).toBe(z[i]!.indexOf(Math.max(...z[i]!)));
    }
    const uni = tf.tidy(() =>
      sdmActivation(tf.tensor2d(z), tf.tensor1d(q), tf.zeros([z.length]) as tf.Tensor1D).arraySync(),
    );
    for (const row of uni) for (const v of row) expect(v).toBeCloseTo(1 / z[0]!.length, 7);
  });

  it('tensor and host versions agree; log-probs are in base 2 + q', () => {
    const { z, q, d } = randomCase(3);
    const [p, lp] = tf.tidy(() => {
      const args = [tf.tensor2d(z), tf.tensor1d(q), tf.tensor1d(d)] as const;
      return [sdmActivation(...args).arraySync(), sdmLogProbs(...args).arraySync()];
    });
    for (let i = 0; i < z.length; i++) {
      expectClose(p[i], Array.from(sdmProbsHost(z[i]!, q[i]!, d[i]!)), { abs: 1e-6 });
      const hl = sdmLogProbsHost(z[i]!, q[i]!, d[i]!);
      expectClose(lp[i], Array.from(hl), { abs: 1e-5, rel: 1e-4 });
      const ph = sdmProbsHost(z[i]!, q[i]!, d[i]!);
      expectClose(
        Array.from(hl),
        Array.from(ph, (v) => Math.log(v) / Math.log(2 + q[i]!)),
        { rel: 1e-9, abs: 1e-12 },
      );
    }
  });

  it('gradient of the mean loss is d·(SDM − onehot)/N and matches finite differences', () => {
    const { z, q, d, y } = randomCase(4);
    d[0] = 0;
    const n = z.length;
    const c = z[0]!.length;
    const grad = tf.tidy(() =>
      tf
        .grad(
          (zz: tf.Tensor) =>
            sdmLoss(zz as tf.Tensor2D, tf.tensor1d(y, 'int32'), tf.tensor1d(q), tf.tensor1d(d)) as tf.Scalar,
        )(tf.tensor2d(z))
        .arraySync(),
    ) as number[][];
    for (let i = 0; i < n; i++) {
      const p = sdmProbsHost(z[i]!, q[i]!, d[i]!);
      const want = Array.from(p, (v, k) => (d[i]! * (v - (k === y[i] ? 1 : 0))) / n);
      expectClose(grad[i], want, { abs: 1e-6 });
    }
    expect(grad[0]!.every((v) => v === 0)).toBe(true);
    const flat = z.flat();
    const f = (x: Float64Array) =>
      sdmLossHost(
        Array.from({ length: n }, (_, i) => x.subarray(i * c, (i + 1) * c)),
        y,
        q,
        d,
      ).marginal;
    expectClose(grad.flat(), Array.from(numericGradient(f, flat)), { abs: 1e-6 });
  });

  it('balanced loss averages per-class means over C with empty classes contributing 0', () => {
    const z = [
      [1, 0, 0],
      [0, 2, 0],
      [0.5, 0.1, 0],
    ];
    const y = [0, 1, 0];
    const q = [3, 5, 0];
    const host = sdmLossHost(z, y, q, undefined, 3);
    const want = ((host.perInstance[0]! + host.perInstance[2]!) / 2 + host.perInstance[1]!) / 3;
    expect(host.balanced).toBeCloseTo(want, 12);
    const t = tf.tidy(
      () =>
        sdmLoss(tf.tensor2d(z), tf.tensor1d(y, 'int32'), tf.tensor1d(q), undefined, {
          reduction: 'balanced',
          numClasses: 3,
        }).arraySync() as number,
    );
    expect(t).toBeCloseTo(want, 5);
  });

  it('sdmLoss under tf.grad leaks no tensors', () => {
    const { z, q, d, y } = randomCase(5);
    const zt = tf.tensor2d(z);
    const yt = tf.tensor1d(y, 'int32');
    const qt = tf.tensor1d(q);
    const dt = tf.tensor1d(d);
    expectNoLeak(() => tf.grad((zz: tf.Tensor) => sdmLoss(zz as tf.Tensor2D, yt, qt, dt) as tf.Scalar)(zt));
    tf.dispose([zt, yt, qt, dt]);
  });
});
