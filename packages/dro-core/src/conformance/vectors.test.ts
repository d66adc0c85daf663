import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { solveWeights } from '../solve.js';
import { describeBackends, loadVectors } from '../testing/index.js';
import { checkDroCoreVectors } from './vectorCheck.js';

const vectors = loadVectors<Record<string, unknown>>(
  fileURLToPath(new URL('../../vectors/dro-core.json', import.meta.url)),
);

describeBackends('dro-core vectors', ['cpu', 'wasm'], () => {
  it('every public case passes (host float64 and tensors)', () => {
    const results = checkDroCoreVectors(vectors);
    expect(results.length).toBeGreaterThan(120);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });
});

describe('vector checker', () => {
  it('fails on a corrupted copy', () => {
    const bad = structuredClone(vectors) as { cases: { expected: { weights: number[] } }[] };
    bad.cases[3]!.expected.weights[0]! += 1e-6;
    const results = checkDroCoreVectors(bad, { tensors: false });
    expect(results.filter((r) => !r.ok)).toHaveLength(1);
  });
});

describe('spot values (dro-core.md §4.9)', () => {
  const basic8 = [0.25, 1.5, 0.75, 3.0, 2.125, 0.875, 1.125, 0.0625];
  it('cvar α=0.3', () => {
    const r = solveWeights(basic8, { kind: 'cvar', alpha: 0.3 });
    expect(r.info.valueAtRisk).toBe(1.5);
    expect(r.value).toBeCloseTo(2.385417, 6);
  });
  it('kl-constrained ρ=0.5', () => {
    const r = solveWeights(basic8, { kind: 'kl-constrained', rho: 0.5 });
    expect(r.info.lambda).toBeCloseTo(0.970311, 5);
    expect(r.value).toBeCloseTo(2.178676, 6);
    expect(Math.abs(r.value - r.info.dualValue!)).toBeLessThan(1e-7);
  });
  it('chi2-constrained and chi2-both ρ=0.5', () => {
    const r = solveWeights(basic8, { kind: 'chi2-constrained', rho: 0.5 });
    expect(r.info.eta).toBeCloseTo(0.450304, 6);
    expect(r.value).toBeCloseTo(2.118598, 6);
    const b = solveWeights(basic8, { kind: 'chi2-both', rho: 0.5, lambda: 0.1 });
    expect(b.info.binding).toBe(true);
    expect(b.value).toBeCloseTo(2.068598, 6);
  });
  it('tv ε=0.3 on ties6', () => {
    const ties6 = (vectors.cases as { id: string; losses: number[] }[]).find((c) =>
      c.id.startsWith('tv/ties6'),
    )!.losses;
    expect(solveWeights(ties6, { kind: 'tv', eps: 0.3 }).value).toBeCloseTo(1.8, 12);
  });
  it('the αn rounding trap: 0.3·10 keeps k = 3', () => {
    const ten = Array.from({ length: 10 }, (_, i) => i);
    expect(solveWeights(ten, { kind: 'cvar', alpha: 0.3 }).info.k).toBe(3);
  });
});
