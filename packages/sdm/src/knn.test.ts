import { createRng } from '@drojs/dro-core';
import { describeBackends, expectNoLeakAsync } from '@drojs/dro-core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { knnSquaredL2 } from './knn.js';

function bruteForce(q: number[][], s: number[][], k: number, self?: Int32Array) {
  return q.map((a, i) => {
    const d = s.map((b, j) => ({ j, v: a.reduce((acc, x, t) => acc + (x - b[t]!) ** 2, 0) }));
    return d
      .filter(({ j }) => self === undefined || j !== self[i])
      .sort((x, y) => x.v - y.v || x.j - y.j)
      .slice(0, k);
  });
}

function points(seed: number, n: number, m: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: m }, () => rng.normal()));
}

describeBackends('knnSquaredL2', () => {
  it('matches brute force for every chunk size, distances within float32 error', async () => {
    const s = points(1, 60, 5);
    const q = points(2, 17, 5);
    const want = bruteForce(q, s, 7);
    for (const chunkSize of [1, 4, 17, 1000]) {
      const [qt, st] = [tf.tensor2d(q), tf.tensor2d(s)];
      const r = await knnSquaredL2(qt, st, 7, { chunkSize });
      tf.dispose([qt, st]);
      expect(r.k).toBe(7);
      for (let i = 0; i < q.length; i++) {
        expect(Array.from(r.indices.subarray(i * 7, (i + 1) * 7))).toEqual(want[i]!.map((x) => x.j));
        for (let j = 0; j < 7; j++) expect(Math.abs(r.distances[i * 7 + j]! - want[i]![j]!.v)).toBeLessThan(1e-4);
      }
    }
  });

  it('removes the query itself by index and keeps exactly min(k, N − 1) neighbours', async () => {
    const s = points(3, 12, 3);
    const self = Int32Array.from({ length: 12 }, (_, i) => i);
    const [st] = [tf.tensor2d(s)];
    const r = await knnSquaredL2(st, st, 50, { selfIndices: self });
    const want = bruteForce(s, s, 11, self);
    expect(r.k).toBe(11);
    for (let i = 0; i < 12; i++)
      expect(Array.from(r.indices.subarray(i * 11, (i + 1) * 11))).toEqual(want[i]!.map((x) => x.j));
    st.dispose();
  });

  it('breaks distance ties by the lower support index and clamps at 0', async () => {
    const s = [
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, -1],
      [0, 0],
    ];
    const [qt, st] = [tf.tensor2d([[0, 0]]), tf.tensor2d(s)];
    const r = await knnSquaredL2(qt, st, 5);
    tf.dispose([qt, st]);
    expect(Array.from(r.indices)).toEqual([4, 0, 1, 2, 3]);
    expect(r.distances[0]).toBe(0);
    expect(Array.from(r.distances).every((v) => v >= 0)).toBe(true);
  });

  it('rejects mismatched widths and leaks no tensors', async () => {
    const [qt, st] = [tf.tensor2d(points(4, 9, 4)), tf.tensor2d(points(5, 30, 4))];
    const bad = tf.zeros([2, 3]) as tf.Tensor2D;
    await expect(knnSquaredL2(bad, st, 3)).rejects.toMatchObject({ code: 'E_SHAPE' });
    await expectNoLeakAsync(() => knnSquaredL2(qt, st, 5, { chunkSize: 4 }), { repeats: 5 });
    tf.dispose([qt, st, bad]);
  });
});
