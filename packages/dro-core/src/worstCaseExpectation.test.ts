import { describe, expect, it } from 'vitest';
import { checkW2Vectors } from './conformance/w2VectorCheck.js';
import { chi2To, klTo, tvTo } from './nominalDivergence.js';
import { createRng, type Rng } from './rng.js';
import { solveWeights } from './solve.js';
import { expectDroError, loadVectors } from './testing/index.js';
import { type NominalSpec, worstCaseExpectation } from './worstCaseExpectation.js';

const W2 = loadVectors<Record<string, unknown>>(new URL('../vectors/w2.json', import.meta.url));

/** Random values (with ties) and a nominal with some zero entries. */
function randomProblem(rng: Rng, k: number): { v: number[]; q: number[] } {
  const v = Array.from({ length: k }, () => Math.round(rng.uniform() * 8) / 2 - 1);
  const raw: number[] = [];
  for (let i = 0; i < k; i++) raw.push(rng.uniform() < 0.2 ? 0 : rng.uniform() + 0.05);
  if (!raw.some((x) => x > 0)) raw[0] = 1;
  const s = raw.reduce((a, b) => a + b, 0);
  return { v, q: raw.map((x) => x / s) };
}

const mean = (v: number[], q: ArrayLike<number>) => v.reduce((s, x, i) => s + x * q[i]!, 0);
const divOf = (kind: NominalSpec['kind'], w: ArrayLike<number>, q: number[]) =>
  kind.startsWith('kl') ? klTo(w, q) : kind.startsWith('chi2') ? chi2To(w, q) : tvTo(w, q);

/** Each kind at a parameter t ∈ [0, ∞) that grows with robustness... reversed for penalties. */
function specAt(kind: NominalSpec['kind'], t: number): NominalSpec {
  switch (kind) {
    case 'kl':
    case 'chi2':
    case 'tv-penalized':
      return { kind, lambda: t };
    case 'kl-constrained':
    case 'chi2-constrained':
      return { kind, rho: t };
    case 'tv':
      return { kind, eps: Math.min(1, t) };
  }
}
const PENALISED: NominalSpec['kind'][] = ['kl', 'chi2', 'tv-penalized'];
const CONSTRAINED: NominalSpec['kind'][] = ['kl-constrained', 'chi2-constrained', 'tv'];
const KINDS = [...PENALISED, ...CONSTRAINED];

describe('worstCaseExpectation', () => {
  it('passes every worst_case vector (value, weights, aux)', () => {
    const results = checkW2Vectors({ worst_case: W2.worst_case }, { tensors: false });
    expect(results.length).toBe((W2.worst_case as unknown[]).length);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it('fails a corrupted copy of a vector', () => {
    const c = structuredClone((W2.worst_case as { expected: { value: number } }[])[7]!);
    c.expected.value += 1e-6;
    expect(checkW2Vectors({ worst_case: [c] }, { tensors: false })[0]!.ok).toBe(false);
  });

  it('weights are a distribution within the radius and the inf value lies in [min, nominal mean]', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 60; trial++) {
      const { v, q } = randomProblem(rng, 2 + (trial % 7));
      for (const kind of KINDS) {
        const t = [0, 0.05, 0.3, 1, 4][trial % 5]!;
        const r = worstCaseExpectation(v, q, specAt(kind, t));
        expect(Math.min(...r.weights)).toBeGreaterThanOrEqual(0);
        expect(Math.abs(r.weights.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
        if (CONSTRAINED.includes(kind))
          expect(divOf(kind, r.weights, q)).toBeLessThanOrEqual(Math.min(t, kind === 'tv' ? 1 : t) + 1e-9);
        const lo = kind.startsWith('tv') ? Math.min(...v) : Math.min(...v.filter((_, i) => q[i]! > 0));
        expect(r.value).toBeGreaterThanOrEqual(lo - 1e-12);
        expect(r.value).toBeLessThanOrEqual(mean(v, q) + 1e-12);
      }
    }
  });

  it('is shift-equivariant: values + c moves the value by c and keeps the weights', () => {
    const rng = createRng(12);
    for (let trial = 0; trial < 30; trial++) {
      const { v, q } = randomProblem(rng, 5);
      const c = [1000, -3.5, 0.25][trial % 3]!;
      for (const kind of KINDS) {
        const spec = specAt(kind, 0.4);
        const a = worstCaseExpectation(v, q, spec);
        const b = worstCaseExpectation(
          v.map((x) => x + c),
          q,
          spec,
        );
        expect(Math.abs(b.value - (a.value + c))).toBeLessThan(1e-9 * (1 + Math.abs(c)));
        for (let i = 0; i < v.length; i++) expect(Math.abs(b.weights[i]! - a.weights[i]!)).toBeLessThan(1e-8);
      }
    }
  });

  it('is monotone: non-decreasing in λ, non-increasing in ρ and ε (inf sense)', () => {
    const rng = createRng(13);
    const grid = [0, 0.01, 0.1, 0.3, 1, 3, 10, 100];
    for (let trial = 0; trial < 20; trial++) {
      const { v, q } = randomProblem(rng, 6);
      for (const kind of KINDS) {
        const vals = grid.map((t) => worstCaseExpectation(v, q, specAt(kind, t)).value);
        for (let i = 1; i < vals.length; i++) {
          if (PENALISED.includes(kind)) expect(vals[i]!).toBeGreaterThanOrEqual(vals[i - 1]! - 1e-12);
          else expect(vals[i]!).toBeLessThanOrEqual(vals[i - 1]! + 1e-12);
        }
      }
    }
  });

  it('limits: radius 0 / λ = ∞ give the nominal mean; a large radius / λ = 0 gives the minimum', () => {
    const rng = createRng(14);
    for (let trial = 0; trial < 20; trial++) {
      const { v, q } = randomProblem(rng, 6);
      const m = mean(v, q);
      const minSupport = Math.min(...v.filter((_, i) => q[i]! > 0));
      const minAll = Math.min(...v);
      for (const kind of PENALISED) {
        expect(worstCaseExpectation(v, q, specAt(kind, Number.POSITIVE_INFINITY)).value).toBeCloseTo(m, 14);
        const extreme = worstCaseExpectation(v, q, specAt(kind, 0)).value;
        expect(extreme).toBe(kind === 'tv-penalized' ? minAll : minSupport);
      }
      for (const kind of CONSTRAINED) {
        expect(Math.abs(worstCaseExpectation(v, q, specAt(kind, 0)).value - m)).toBeLessThan(1e-14);
        const extreme = worstCaseExpectation(v, q, specAt(kind, 1e6)).value;
        expect(Math.abs(extreme - (kind === 'tv' ? minAll : minSupport))).toBeLessThan(1e-12);
      }
    }
  });

  it('sup on −v equals minus inf on v, and results are permutation-equivariant', () => {
    const rng = createRng(15);
    for (let trial = 0; trial < 20; trial++) {
      const { v, q } = randomProblem(rng, 6);
      const perm = [5, 3, 1, 0, 2, 4];
      for (const kind of KINDS) {
        const spec = specAt(kind, 0.3);
        const inf = worstCaseExpectation(v, q, spec);
        const sup = worstCaseExpectation(
          v.map((x) => -x),
          q,
          spec,
          { sense: 'sup' },
        );
        expect(Math.abs(sup.value + inf.value)).toBeLessThan(1e-12);
        const p = worstCaseExpectation(
          perm.map((i) => v[i]!),
          perm.map((i) => q[i]!),
          spec,
        );
        expect(Math.abs(p.value - inf.value)).toBeLessThan(1e-10);
        perm.forEach((i, k) => expect(Math.abs(p.weights[k]! - inf.weights[i]!)).toBeLessThan(1e-8));
      }
    }
  });

  it('with a uniform nominal and sense sup reproduces solveWeights (section 4)', () => {
    const rng = createRng(16);
    for (let trial = 0; trial < 40; trial++) {
      const n = 2 + (trial % 8);
      const l = Array.from({ length: n }, () => rng.normal());
      const u = new Array<number>(n).fill(1 / n);
      const pairs: [NominalSpec, Parameters<typeof solveWeights>[1]][] = [
        [
          { kind: 'kl', lambda: 0.7 },
          { kind: 'kl', lambda: 0.7 },
        ],
        [
          { kind: 'kl-constrained', rho: 0.2 },
          { kind: 'kl-constrained', rho: 0.2, tol: 1e-13 },
        ],
        [
          { kind: 'chi2', lambda: 0.5 },
          { kind: 'chi2', lambda: 0.5 },
        ],
        [
          { kind: 'chi2-constrained', rho: 0.3 },
          { kind: 'chi2-constrained', rho: 0.3 },
        ],
        [
          { kind: 'tv', eps: 0.2 },
          { kind: 'tv', eps: 0.2 },
        ],
      ];
      for (const [ns, rs] of pairs) {
        const a = worstCaseExpectation(l, u, ns, { sense: 'sup' });
        const b = solveWeights(l, rs);
        for (let i = 0; i < n; i++) expect(Math.abs(a.weights[i]! - b.weights[i]!)).toBeLessThan(1e-7);
        // Both report the optimal objective (E_p l − λ·D for the penalised kinds).
        expect(Math.abs(a.value - b.value)).toBeLessThan(1e-9);
      }
    }
  });

  it('handles λ = 0.01 on values near 1e3 without overflow and λ = 1e6 near the nominal mean', () => {
    const v = [1000, 1001, 1002.5, 1004];
    const q = [0.25, 0.25, 0.25, 0.25];
    // −λ log E e^{−v/λ} = 1000 − 0.01·log(¼ + e^{−100} + …): the exponentials underflow harmlessly after the shift.
    expect(
      Math.abs(worstCaseExpectation(v, q, { kind: 'kl', lambda: 0.01 }).value - (1000 + 0.01 * Math.log(4))),
    ).toBeLessThan(1e-12);
    expect(Math.abs(worstCaseExpectation(v, q, { kind: 'kl', lambda: 1e6 }).value - mean(v, q))).toBeLessThan(1e-5);
  });

  it('hard inputs: scale-equivariant at scales 1e-8 … 1e8 and shift-equivariant at offset 1e6', () => {
    const rng = createRng(17);
    for (let trial = 0; trial < 20; trial++) {
      const { v, q } = randomProblem(rng, 6);
      for (const c of [1e-8, 1e8]) {
        for (const kind of KINDS) {
          // Penalties scale with the values (λ·c); radii are scale-free.
          const base = specAt(kind, 0.3);
          const scaled = PENALISED.includes(kind) ? specAt(kind, 0.3 * c) : base;
          const a = worstCaseExpectation(v, q, base);
          const b = worstCaseExpectation(
            v.map((x) => x * c),
            q,
            scaled,
          );
          expect(Math.abs(b.value / c - a.value)).toBeLessThan(1e-9 * (1 + Math.abs(a.value)));
          for (let i = 0; i < v.length; i++) expect(Math.abs(b.weights[i]! - a.weights[i]!)).toBeLessThan(1e-8);
        }
      }
      for (const kind of KINDS) {
        const a = worstCaseExpectation(v, q, specAt(kind, 0.3));
        const b = worstCaseExpectation(
          v.map((x) => x + 1e6),
          q,
          specAt(kind, 0.3),
        );
        expect(Math.abs(b.value - 1e6 - a.value)).toBeLessThan(1e-8);
      }
    }
  });

  it('rejects bad input with the argument named', () => {
    const v = [1, 2];
    const q = [0.5, 0.5];
    expectDroError(() => worstCaseExpectation([], [], { kind: 'kl', lambda: 1 }), 'E_EMPTY', 'values');
    expectDroError(() => worstCaseExpectation(v, [1], { kind: 'kl', lambda: 1 }), 'E_SHAPE', 'nominal');
    expectDroError(() => worstCaseExpectation([1, Number.NaN], q, { kind: 'kl', lambda: 1 }), 'E_NONFINITE', 'values');
    expectDroError(() => worstCaseExpectation(v, [0.7, 0.7], { kind: 'kl', lambda: 1 }), 'E_SPEC', 'nominal');
    expectDroError(() => worstCaseExpectation(v, [1.5, -0.5], { kind: 'kl', lambda: 1 }), 'E_SPEC', 'nominal');
    expectDroError(() => worstCaseExpectation(v, q, { kind: 'kl', lambda: -1 }), 'E_SPEC', 'lambda');
    expectDroError(() => worstCaseExpectation(v, q, { kind: 'chi2-constrained', rho: -1 }), 'E_SPEC', 'rho');
    expectDroError(() => worstCaseExpectation(v, q, { kind: 'tv', eps: 1.5 }), 'E_SPEC', 'eps');
    expectDroError(
      () => worstCaseExpectation(v, q, { kind: 'tv', eps: 0.1, lambda: 1 } as unknown as NominalSpec),
      'E_SPEC',
      'lambda',
    );
    expectDroError(
      () => worstCaseExpectation(v, q, { kind: 'kl', lambda: 1 }, { sense: 'max' as 'inf' }),
      'E_SPEC',
      'sense',
    );
    expectDroError(() => worstCaseExpectation(v, q, { kind: 'nope' } as unknown as NominalSpec), 'E_SPEC', 'spec.kind');
  });
});
