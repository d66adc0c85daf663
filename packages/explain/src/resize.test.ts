import { createRng } from '@drojs/dro-core';
import { describeBackends, expectClose, expectDroError, expectNoLeak } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { maskFromLogits } from './mask.js';
import { resizeMatrix, upsampleLogits } from './resize.js';

const rand = (seed: string, shape: number[]) => {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => 4 * rng.uniform() - 2),
    shape,
  );
};

it('rows of the interpolation matrices sum to 1 and n = N is the identity', () => {
  for (const mode of ['bilinear', 'nearest'] as const) {
    for (const [n, big] of [
      [1, 5],
      [3, 7],
      [7, 28],
      [6, 4],
      [5, 5],
    ] as const) {
      const a = resizeMatrix(n, big, mode);
      for (let i = 0; i < big; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a[i * n + j]!;
        expect(Math.abs(s - 1)).toBeLessThan(1e-15);
      }
      if (n === big) for (let i = 0; i < n; i++) expect(a[i * n + i]).toBe(1);
    }
  }
});

it('rejects a bad size or mode', () => {
  expectDroError(() => resizeMatrix(0, 4), 'E_SPEC', 'inSize');
  expectDroError(() => resizeMatrix(2, 2.5), 'E_SPEC', 'outSize');
  expectDroError(() => resizeMatrix(2, 4, 'bicubic' as never), 'E_SPEC', 'upsample');
});

describeBackends('upsampling', ['cpu', 'wasm'], () => {
  it('bilinear equals tf.image.resizeBilinear(halfPixelCenters) forward', () => {
    for (const [h, w, bh, bw] of [
      [3, 4, 7, 10],
      [7, 7, 28, 28],
      [2, 5, 9, 3],
    ] as const) {
      tf.tidy(() => {
        const z = rand(`z${h}${w}`, [2, h, w]);
        const ours = upsampleLogits(z, [bh, bw]);
        const ref = tf.squeeze(tf.image.resizeBilinear(tf.expandDims(z, 3) as tf.Tensor4D, [bh, bw], false, true), [3]);
        expectClose(Array.from(ours.dataSync()), Array.from(ref.dataSync()), { abs: 1e-5, rel: 1e-5 });
      });
    }
  });

  it('the gradient equals the transpose product A_Hᵀ (G ⊙ σ′(U)) A_W', () => {
    tf.tidy(() => {
      const [h, w, bh, bw] = [3, 4, 7, 10];
      const z = rand('zg', [1, h, w]);
      const g = rand('g', [1, bh, bw]);
      const grad = tf
        .grad((v: tf.Tensor) => tf.sum(tf.mul(g, maskFromLogits(v, [bh, bw]))))(z)
        .dataSync();
      const aH = resizeMatrix(h, bh);
      const aW = resizeMatrix(w, bw);
      const u = upsampleLogits(z, [bh, bw]).dataSync();
      const gd = g.dataSync();
      const chain = new Float64Array(bh * bw);
      for (let i = 0; i < bh * bw; i++) {
        const s = 1 / (1 + Math.exp(-u[i]!));
        chain[i] = gd[i]! * s * (1 - s);
      }
      for (let r = 0; r < h; r++) {
        for (let c = 0; c < w; c++) {
          let s = 0;
          for (let i = 0; i < bh; i++)
            for (let j = 0; j < bw; j++) s += aH[i * h + r]! * chain[i * bw + j]! * aW[j * w + c]!;
          expect(Math.abs(grad[r * w + c]! - s)).toBeLessThan(1e-5 + 1e-4 * Math.abs(s));
        }
      }
    });
  });

  it('straight-through: forward is exactly 1[U > 0], backward is σ′(U)', () => {
    tf.tidy(() => {
      const z = rand('st', [2, 3, 3]);
      const hard = maskFromLogits(z, [6, 6], { maskMode: 'straight-through', upsample: 'nearest' }).dataSync();
      const u = upsampleLogits(z, [6, 6], 'nearest').dataSync();
      u.forEach((v, i) => expect(hard[i]).toBe(v > 0 ? 1 : 0));
      const g = rand('g2', [2, 6, 6]);
      const st = tf.grad((v: tf.Tensor) =>
        tf.sum(tf.mul(g, maskFromLogits(v, [6, 6], { maskMode: 'straight-through', upsample: 'nearest' }))),
      )(z);
      const soft = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(g, maskFromLogits(v, [6, 6], { upsample: 'nearest' }))))(z);
      expectClose(Array.from(st.dataSync()), Array.from(soft.dataSync()), { abs: 1e-6, rel: 1e-5 });
    });
  });

  it('leaks nothing (the matrix cache is filled on the first call)', () => {
    const z = rand('leak', [2, 3, 3]);
    expectNoLeak(() => maskFromLogits(z, [12, 12]), { repeats: 5 });
    z.dispose();
  });

  it('rejects bad logits', () => {
    expectDroError(() => upsampleLogits(tf.zeros([2, 3]), [4, 4]), 'E_SHAPE', 'maskLogits');
    expectDroError(() => upsampleLogits(tf.zeros([2, 3, 3, 2]), [4, 4]), 'E_SHAPE', 'maskLogits');
    expectDroError(() => upsampleLogits(tf.tensor3d([[[Number.NaN]]]), [4, 4]), 'E_NONFINITE', 'maskLogits');
    expectDroError(
      () => maskFromLogits(tf.zeros([1, 2, 2]), [4, 4], { upsampel: 'nearest' } as never),
      'E_SPEC',
      'upsampel',
    );
  });
});
