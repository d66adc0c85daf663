import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { checkW2Vectors } from './conformance/w2VectorCheck.js';
import { createRng } from './rng.js';
import { slicedW2 } from './slicedW2.js';
import { sortedW2 } from './sortedW2.js';
import {
  describeBackends,
  expectClose,
  expectDroError,
  expectNoLeak,
  loadVectors,
  numericGradient,
  TOL_F32,
} from './testing/index.js';
import { sortedW2Host, w2Squared1d } from './w2Squared1d.js';

const W2 = loadVectors<Record<string, unknown[]>>(new URL('../vectors/w2.json', import.meta.url));

/** Untied float32-exact inputs (multiples of 1/64). */
function grid(seed: number, n: number, d: number): number[][] {
  const rng = createRng(seed);
  const used = new Set<number>();
  return Array.from({ length: n }, () =>
    Array.from({ length: d }, () => {
      let v: number;
      do v = Math.round(rng.normal() * 64) / 64;
      while (used.has(v));
      used.add(v);
      return v;
    }),
  );
}

describeBackends('sortedW2 / slicedW2', ['cpu', 'wasm'], () => {
  it('passes the sorted_w2_batch and sliced_w2 vectors as tensor ops', () => {
    const r = checkW2Vectors({ sorted_w2_batch: W2.sorted_w2_batch, sliced_w2: W2.sliced_w2 }, { host: false });
    expect(r.length).toBe(W2.sorted_w2_batch!.length + W2.sliced_w2!.length);
    expect(r.filter((x) => !x.ok)).toEqual([]);
  });

  it('value and gradients match the float64 twin and central differences (n ≠ m, every reduction)', () => {
    const a = grid(1, 7, 3);
    const b = grid(2, 4, 3);
    const host = sortedW2Host(a, b);
    // The host gradient itself against central differences of the host value.
    const fd = numericGradient(
      (x) =>
        sortedW2Host(
          Array.from({ length: 7 }, (_, i) => Array.from(x.subarray(i * 3, i * 3 + 3))),
          b,
        ).value,
      a.flat(),
    );
    fd.forEach((g, k) => expect(Math.abs(g - host.gradA.flat()[k]!)).toBeLessThan(1e-7));
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const ta = tf.tensor2d(a);
      const tb = tf.tensor2d(b);
      const v = sortedW2(ta, tb, { reduction });
      const scale = reduction === 'mean' ? 1 : 3;
      if (reduction === 'none') expectClose(Array.from(v.dataSync()), Array.from(host.perColumn), TOL_F32);
      else expectClose(v.dataSync()[0], host.value * scale, TOL_F32);
      const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(sortedW2(x as tf.Tensor2D, y as tf.Tensor2D, { reduction })),
      )([ta, tb]);
      expectClose(
        Array.from(ga!.dataSync()),
        host.gradA.flat().map((g) => g * scale),
        TOL_F32,
      );
      expectClose(
        Array.from(gb!.dataSync()),
        host.gradB.flat().map((g) => g * scale),
        TOL_F32,
      );
      tf.dispose([ta, tb, v, ga!, gb!]);
    }
  });

  it('slicedW2 with d = 1 is W2² and agrees with explicit directions from the same seed', () => {
    const x = tf.tensor2d([[0.5], [-1], [2]]);
    const y = tf.tensor2d([[1], [0.25]]);
    const exact = w2Squared1d([0.5, -1, 2], [1, 0.25]).value;
    expect(slicedW2(x, y, { projections: 4, seed: 7 }).dataSync()[0]).toBeCloseTo(exact, 5);
    const a = tf.tensor2d(grid(3, 6, 4));
    const b = tf.tensor2d(grid(4, 5, 4));
    const seeded = slicedW2(a, b, { projections: 6, seed: 'abc' }).dataSync()[0]!;
    const again = slicedW2(a, b, { projections: 6, rng: createRng('abc') }).dataSync()[0]!;
    expect(again).toBe(seeded);
    tf.dispose([x, y, a, b]);
  });

  it('leaks no tensors over 100 calls inside variableGrads', () => {
    const v = tf.variable(tf.tensor2d(grid(5, 6, 2)));
    const target = tf.tensor2d(grid(6, 9, 2));
    expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => sortedW2(v, target) as tf.Scalar, [v]);
      tf.dispose([value, ...Object.values(grads)]);
    });
    expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(
        () => slicedW2(v, target, { projections: 3, seed: 1 }) as tf.Scalar,
        [v],
      );
      tf.dispose([value, ...Object.values(grads)]);
    });
    tf.dispose([v, target]);
  });

  it('rejects bad input, leaving a passed Rng untouched', () => {
    const a = tf.tensor2d([[1, 2]]);
    const b = tf.tensor2d([[1]]);
    const i = tf.tensor2d([[1, 2]], undefined, 'int32');
    expectDroError(() => sortedW2(a, b), 'E_SHAPE', 'b');
    expectDroError(() => sortedW2(i as tf.Tensor2D, a), 'E_DTYPE', 'a');
    expectDroError(() => sortedW2(a, a, { reduction: 'max' as 'mean' }), 'E_SPEC', 'reduction');
    const rng = createRng(9);
    const before = JSON.stringify(rng.getState());
    expectDroError(() => slicedW2(a, a, { rng, seed: 1 }), 'E_SPEC', 'rng');
    expectDroError(() => slicedW2(a, a, { rng, projections: 0 }), 'E_SPEC', 'projections');
    expectDroError(() => slicedW2(a, a, { rng, extra: 1 } as never), 'E_SPEC', 'extra');
    expect(JSON.stringify(rng.getState())).toBe(before);
    tf.dispose([a, b, i]);
  });
});
