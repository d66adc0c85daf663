import { createRng } from '@drojs/dro-core/host';
import { expectClose } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { proxSparseGroup } from './prox.js';

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((a, x) => a + x * x, 0));
const objective = (x: ArrayLike<number>, v: number[], tau: number, l1: number, lg: number) => {
  let q = 0;
  let a = 0;
  for (let i = 0; i < v.length; i++) {
    q += 0.5 * (x[i]! - v[i]!) ** 2;
    a += Math.abs(x[i]!);
  }
  return q + tau * (l1 * a + lg * norm(x));
};

function randomCase(i: number) {
  const rng = createRng(`prox-${i}`);
  const scale = [1e-6, 1, 1e6][i % 3]!;
  const v = Array.from({ length: 1 + (i % 7) }, () => scale * rng.normal());
  return { v, tau: rng.uniform(), l1: scale * rng.uniform(), lg: scale * 2 * rng.uniform() };
}

describe('proxSparseGroup', () => {
  it('is the identity at τ = 0 and maps 0 to 0', () => {
    for (let i = 0; i < 12; i++) {
      const { v, l1, lg } = randomCase(i);
      expect(Array.from(proxSparseGroup(v, 0, l1, lg))).toEqual(v);
      expect(
        Array.from(
          proxSparseGroup(
            v.map(() => 0),
            0.7,
            l1,
            lg,
          ),
        ).every((x) => x === 0),
      ).toBe(true);
    }
  });

  it('never increases the norm and equals the L1 prox at λ_G = 0 and the group prox at λ₁ = 0', () => {
    for (let i = 0; i < 30; i++) {
      const { v, tau, l1, lg } = randomCase(i);
      expect(norm(proxSparseGroup(v, tau, l1, lg))).toBeLessThanOrEqual(norm(v));
      const soft = v.map((x) => Math.sign(x) * Math.max(Math.abs(x) - tau * l1, 0));
      expectClose(Array.from(proxSparseGroup(v, tau, l1, 0)), soft, { abs: 0, rel: 1e-15 });
      const n = norm(v);
      const group = v.map((x) => x * Math.max(0, 1 - (tau * lg) / n));
      expectClose(Array.from(proxSparseGroup(v, tau, 0, lg)), group, { abs: 1e-300, rel: 1e-12 });
    }
  });

  it('minimises ½‖x − v‖² + τ(λ₁‖x‖₁ + λ_G‖x‖₂): no random perturbation does better', () => {
    for (let i = 0; i < 30; i++) {
      const { v, tau, l1, lg } = randomCase(i);
      const x = proxSparseGroup(v, tau, l1, lg);
      const best = objective(x, v, tau, l1, lg);
      const rng = createRng(`perturb-${i}`);
      const scale = Math.max(norm(v), 1e-300) * 1e-3;
      for (let k = 0; k < 50; k++) {
        const y = Array.from(x, (xi) => xi + scale * rng.normal());
        expect(objective(y, v, tau, l1, lg)).toBeGreaterThanOrEqual(best - 1e-12 * Math.max(1, Math.abs(best)));
      }
    }
  });

  it('zeroes a group whose norm equals τλ_G exactly, and survives overflowing squares', () => {
    expect(Array.from(proxSparseGroup([3, 4], 1, 0, 5))).toEqual([0, 0]);
    const big = proxSparseGroup([3e200, 4e200], 1, 0, 2.5e200);
    expectClose(Array.from(big), [1.5e200, 2e200], { rel: 1e-12 });
  });
});
