import { createRng } from '@drojs/dro-core/host';
import { describe, expect, it } from 'vitest';
import { penalty, softThreshold } from './penalty.js';
import { expectDroError } from './test/helpers.js';
import type { PenaltyName } from './types.js';

const cases: { name: PenaltyName; lambda: number; a?: number; gamma?: number }[] = [
  { name: 'lasso', lambda: 0.7 },
  { name: 'scad', lambda: 0.7, a: 3.7 },
  { name: 'scad', lambda: 2, a: 2.5 },
  { name: 'mcp', lambda: 0.7, gamma: 3 },
  { name: 'mcp', lambda: 1.5, gamma: 1.2 },
];

function params(c: (typeof cases)[number]) {
  return {
    lambda: c.lambda,
    ...(c.a === undefined ? {} : { a: c.a }),
    ...(c.gamma === undefined ? {} : { gamma: c.gamma }),
  };
}

function kinks(c: (typeof cases)[number]): number[] {
  const l = c.lambda;
  return [0, l, (c.a ?? 0) * l, (c.gamma ?? 0) * l].flatMap((k) => [k, -k]);
}

describe('penalty', () => {
  it('derivative and concaveGrad equal central differences away from the kinks; q = p − λ|t|', () => {
    const rng = createRng(1);
    for (const c of cases) {
      const p = penalty(c.name, params(c));
      for (let k = 0; k < 300; k++) {
        const t = (rng.uniform() * 2 - 1) * 6 * c.lambda * (c.a ?? c.gamma ?? 2);
        if (kinks(c).some((z) => Math.abs(z - t) < 1e-3)) continue;
        const h = 1e-6;
        const dv = (p.value(t + h) - p.value(t - h)) / (2 * h);
        expect(Math.abs(dv - Math.sign(t) * p.derivative(t))).toBeLessThan(1e-6);
        const dq = (p.concaveValue(t + h) - p.concaveValue(t - h)) / (2 * h);
        expect(Math.abs(dq - p.concaveGrad(t))).toBeLessThan(1e-6);
        expect(Math.abs(p.concaveValue(t) - (p.value(t) - c.lambda * Math.abs(t)))).toBeLessThan(
          1e-12 * (1 + Math.abs(t)),
        );
      }
    }
  });

  it('concaveGrad is Lipschitz with constant κ and every function vanishes at λ = 0', () => {
    for (const c of cases) {
      const p = penalty(c.name, params(c));
      for (let t = -10; t < 10; t += 0.013) {
        const slope = Math.abs(p.concaveGrad(t + 0.01) - p.concaveGrad(t)) / 0.01;
        expect(slope).toBeLessThanOrEqual(p.concaveLipschitz * (1 + 1e-9) + 1e-12);
      }
      const z = penalty(c.name, { ...params(c), lambda: 0 });
      for (const t of [-3, -0.1, 0, 0.2, 5]) {
        expect(z.value(t)).toBe(0);
        expect(z.concaveValue(t) === 0).toBe(true);
        expect(z.concaveGrad(t) === 0).toBe(true);
      }
    }
  });

  it('prox minimises ½(b − v)² + step·p(|b|) (dense 1-D brute force), is odd, monotone and continuous', () => {
    const rng = createRng(2);
    for (const c of cases) {
      const p = penalty(c.name, params(c));
      const maxStep = c.name === 'scad' ? (c.a ?? 3.7) - 1 : c.name === 'mcp' ? (c.gamma ?? 3) : 3;
      for (let k = 0; k < 40; k++) {
        const step = maxStep * (0.05 + 0.9 * rng.uniform());
        const v = (rng.uniform() * 2 - 1) * 4 * c.lambda * (c.a ?? c.gamma ?? 2);
        const b = p.prox(v, step);
        const obj = (x: number) => 0.5 * (x - v) ** 2 + step * p.value(x);
        let best = Number.POSITIVE_INFINITY;
        const R = Math.abs(v) + 1;
        for (let i = 0; i <= 20000; i++) best = Math.min(best, obj(-R + (2 * R * i) / 20000));
        expect(obj(b)).toBeLessThanOrEqual(best + 1e-9);
        expect(p.prox(-v, step) === -b).toBe(true);
      }
      const step = maxStep / 2;
      let prev = Number.NEGATIVE_INFINITY;
      for (let v = -8; v <= 8; v += 0.001) {
        const b = p.prox(v, step);
        expect(b).toBeGreaterThanOrEqual(prev);
        if (prev !== Number.NEGATIVE_INFINITY) expect(b - prev).toBeLessThan(0.01);
        prev = b;
      }
    }
  });

  it('softThreshold', () => {
    expect(softThreshold(3, 1)).toBe(2);
    expect(softThreshold(-3, 1)).toBe(-2);
    expect(softThreshold(0.5, 1)).toBe(0);
  });

  it('rejects bad parameters with E_SPEC / E_NONFINITE naming the argument', () => {
    expectDroError(() => penalty('scad', { lambda: 1, a: 2 }), 'E_SPEC', 'a');
    expectDroError(() => penalty('mcp', { lambda: 1, gamma: 1 }), 'E_SPEC', 'gamma');
    expectDroError(() => penalty('lasso', { lambda: -0.1 }), 'E_SPEC', 'lambda');
    expectDroError(() => penalty('lasso', { lambda: Number.NaN }), 'E_NONFINITE', 'lambda');
    expectDroError(() => penalty('ridge' as PenaltyName, { lambda: 1 }), 'E_SPEC', 'penalty');
    expectDroError(() => penalty('lasso', { lambda: 1, lamda: 2 } as never), 'E_SPEC', 'lamda');
    expectDroError(() => penalty('scad', { lambda: 0, a: 3.7 }).prox(1, 2.7), 'E_SPEC', 'step');
    expectDroError(() => penalty('mcp', { lambda: 1, gamma: 3 }).prox(1, 3), 'E_SPEC', 'step');
    expectDroError(() => penalty('lasso', { lambda: 1 }).prox(1, 0), 'E_SPEC', 'step');
    expectDroError(() => penalty('lasso', { lambda: 1 }).value(Number.NaN), 'E_NONFINITE', 't');
  });
});
