import { describe, expect, it } from 'vitest';
import { checkW2Vectors } from './conformance/w2VectorCheck.js';
import { quantileCoupling, uniformCoupling } from './quantileCoupling.js';
import { createRng, type Rng } from './rng.js';
import { sliceDirections } from './sliceDirections.js';
import { expectDroError, loadVectors, numericGradient } from './testing/index.js';
import { sortedW2Host, w2Squared1d } from './w2Squared1d.js';

const W2 = loadVectors<Record<'w2_1d' | 'sorted_w2_batch' | 'sliced_w2' | 'rng_normals', unknown[]>>(
  new URL('../vectors/w2.json', import.meta.url),
);

const sample = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.normal());

describe('exact 1-D W2 (host)', () => {
  it('passes the w2_1d, sorted_w2_batch (host), direction and rng vectors', () => {
    const data = {
      w2_1d: W2.w2_1d,
      sorted_w2_batch: W2.sorted_w2_batch,
      sliced_w2: W2.sliced_w2,
      rng_normals: W2.rng_normals,
    };
    const results = checkW2Vectors(data, { tensors: false });
    expect(results.length).toBeGreaterThan(10);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it('fails corrupted copies (a value, a coupling mass, a direction)', () => {
    const a = structuredClone(W2.w2_1d[0]) as { expected: { value: number } };
    a.expected.value *= 1 + 1e-7;
    const b = structuredClone(W2.w2_1d[2]) as { expected: { coupling: number[][] } };
    b.expected.coupling[0]![2]! += 1e-9;
    const c = structuredClone(W2.sliced_w2[0]) as { expected: { directions: number[][] } };
    c.expected.directions[0]![0]! += 1e-10;
    for (const data of [{ w2_1d: [a] }, { w2_1d: [b] }, { sliced_w2: [c] }]) {
      const r = checkW2Vectors(data, { tensors: false });
      expect(r.some((x) => !x.ok)).toBe(true);
    }
  });

  it('is symmetric, zero on equal multisets, shift-invariant, and W2²(a + c, a) = c²', () => {
    const rng = createRng(21);
    for (let t = 0; t < 50; t++) {
      const a = sample(rng, 1 + (t % 7));
      const b = sample(rng, 1 + ((3 * t) % 5));
      const wa = a.map(() => rng.uniform() + 0.1);
      const wb = b.map(() => rng.uniform() + 0.1);
      const ab = w2Squared1d(a, b, { weightsA: wa, weightsB: wb }).value;
      const ba = w2Squared1d(b, a, { weightsA: wb, weightsB: wa }).value;
      expect(Math.abs(ab - ba)).toBeLessThan(1e-12 * (1 + ab));
      const perm = [...a].reverse();
      expect(w2Squared1d(a, perm).value).toBe(0);
      const c = 1e3 * rng.normal();
      const shifted = w2Squared1d(
        a.map((x) => x + c),
        b.map((x) => x + c),
        { weightsA: wa, weightsB: wb },
      ).value;
      expect(Math.abs(shifted - ab)).toBeLessThan(1e-9 * (1 + ab));
      const s = rng.normal();
      const r = w2Squared1d(
        a.map((x) => x + s),
        a,
        { weightsA: wa, weightsB: wa },
      ).value;
      expect(Math.abs(r - s * s)).toBeLessThan(1e-12 * (1 + s * s));
    }
  });

  it('coupling marginals equal the normalised weights; uniform weights give uniformCoupling', () => {
    const rng = createRng(22);
    for (let t = 0; t < 40; t++) {
      const n = 1 + (t % 6);
      const m = 1 + ((5 * t) % 9);
      const a = sample(rng, n);
      const b = sample(rng, m);
      const wa = a.map(() => (rng.uniform() < 0.2 ? 0 : rng.uniform()) + (t % 2));
      const wb = b.map(() => rng.uniform() + 0.01);
      const sa = wa.reduce((x, y) => x + y, 0) || 1;
      const sb = wb.reduce((x, y) => x + y, 0);
      if (sa === 1 && wa.every((x) => x === 0)) continue;
      const c = quantileCoupling(a, b, { weightsA: wa, weightsB: wb });
      const rowA = new Float64Array(n);
      const rowB = new Float64Array(m);
      c.mass.forEach((dt, r) => {
        rowA[c.src[r]!]! += dt;
        rowB[c.tgt[r]!]! += dt;
      });
      for (let i = 0; i < n; i++) expect(Math.abs(rowA[i]! - wa[i]! / sa)).toBeLessThan(1e-12);
      for (let j = 0; j < m; j++) expect(Math.abs(rowB[j]! - wb[j]! / sb)).toBeLessThan(1e-12);
      expect(c.mass.length).toBeLessThanOrEqual(n + m - 1);
      const u = uniformCoupling(n, m);
      const cu = quantileCoupling(a, b);
      const rankA = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[x]! - a[y]! || x - y);
      const rankB = Array.from({ length: m }, (_, j) => j).sort((x, y) => b[x]! - b[y]! || x - y);
      expect(Array.from(cu.mass)).toEqual(Array.from(u.mass));
      expect(Array.from(cu.src)).toEqual(Array.from(u.src, (k) => rankA[k]));
      expect(Array.from(cu.tgt)).toEqual(Array.from(u.tgt, (k) => rankB[k]));
    }
  });

  it('equal sizes reduce to the sorted formula, and large offsets keep their digits', () => {
    const rng = createRng(23);
    const a = sample(rng, 9);
    const b = sample(rng, 9);
    const as = [...a].sort((x, y) => x - y);
    const bs = [...b].sort((x, y) => x - y);
    const direct = as.reduce((s, x, k) => s + (x - bs[k]!) ** 2, 0) / 9;
    expect(Math.abs(w2Squared1d(a, b).value - direct)).toBeLessThan(1e-14);
    const big = w2Squared1d([1e6, 1e6 + 0.5], [1e6 + 0.25, 1e6 + 1]).value;
    expect(big).toBe(0.15625);
  });

  it('gradients match central differences on untied inputs (weighted, n ≠ m)', () => {
    const rng = createRng(24);
    for (let t = 0; t < 10; t++) {
      const a = sample(rng, 4);
      const b = sample(rng, 6);
      const wa = a.map(() => rng.uniform() + 0.1);
      const wb = b.map(() => rng.uniform() + 0.1);
      const r = w2Squared1d(a, b, { weightsA: wa, weightsB: wb });
      const ga = numericGradient((x) => w2Squared1d(x, b, { weightsA: wa, weightsB: wb }).value, a);
      const gb = numericGradient((y) => w2Squared1d(a, y, { weightsA: wa, weightsB: wb }).value, b);
      ga.forEach((g, i) => expect(Math.abs(g - r.gradA[i]!)).toBeLessThan(1e-7));
      gb.forEach((g, j) => expect(Math.abs(g - r.gradB[j]!)).toBeLessThan(1e-7));
    }
  });

  it('sortedW2Host reductions: mean = sum / d, none keeps per-column values', () => {
    const a = [
      [0, 1],
      [2, -1],
      [1, 3],
    ];
    const b = [
      [1, 0],
      [0.5, 2],
    ];
    const mean = sortedW2Host(a, b);
    const sum = sortedW2Host(a, b, { reduction: 'sum' });
    expect(sum.value).toBeCloseTo(2 * mean.value, 14);
    expect(mean.perColumn[1]).toBe(
      w2Squared1d(
        a.map((r) => r[1]!),
        b.map((r) => r[1]!),
      ).value,
    );
  });

  it('sliceDirections: unit rows, reproducible per seed, advancing a passed Rng', () => {
    const dirs = sliceDirections(5, 4, 3);
    for (let l = 0; l < 4; l++) {
      let s = 0;
      for (let i = 0; i < 5; i++) s += dirs[l * 5 + i]! ** 2;
      expect(Math.abs(s - 1)).toBeLessThan(1e-15);
    }
    expect(Array.from(sliceDirections(5, 4, 3))).toEqual(Array.from(dirs));
    const rng = createRng(3);
    expect(Array.from(sliceDirections(5, 4, rng))).toEqual(Array.from(dirs));
    expect(Array.from(sliceDirections(5, 4, rng))).not.toEqual(Array.from(dirs));
  });

  it('rejects bad input with the argument named', () => {
    expectDroError(() => w2Squared1d([], [1]), 'E_EMPTY', 'a');
    expectDroError(() => w2Squared1d([1], [Number.POSITIVE_INFINITY]), 'E_NONFINITE', 'b');
    expectDroError(() => w2Squared1d([1, 2], [1], { weightsA: [1] }), 'E_SHAPE', 'weightsA');
    expectDroError(() => w2Squared1d([1, 2], [1], { weightsA: [1, -1] }), 'E_SPEC', 'weightsA');
    expectDroError(() => w2Squared1d([1, 2], [1], { weightsB: [0] }), 'E_SPEC', 'weightsB');
    expectDroError(() => sortedW2Host([[1, 2]], [[1]]), 'E_SHAPE', 'b');
    expectDroError(() => sortedW2Host([[1], [2, 3]], [[1]]), 'E_SHAPE', 'a');
    expectDroError(() => sliceDirections(3, 0, 1), 'E_SPEC', 'projections');
    expectDroError(() => uniformCoupling(0, 2), 'E_SPEC', 'n');
  });
});
