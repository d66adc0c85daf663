import { describe, expect, it } from 'vitest';
import { findMismatch } from './compare.js';

describe('findMismatch', () => {
  const tol = { abs: 1e-12, rel: 1e-9 };
  it('walks objects key by key with per-key tolerances inherited below the key', () => {
    const expected = { beta: [1, 2], se: { hc0: [0.5] } };
    expect(findMismatch({ beta: [1, 2 + 1e-12], se: { hc0: [0.5] }, extra: 3 }, expected, tol)).toBeNull();
    expect(findMismatch({ beta: [1, 2], se: { hc0: [0.5001] } }, expected, tol)).toContain('value.se.hc0[0]');
    expect(
      findMismatch({ beta: [1, 2], se: { hc0: [0.5001] } }, expected, tol, 'v', { keyTol: { se: { abs: 1e-3 } } }),
    ).toBeNull();
    expect(findMismatch({ beta: [1] }, expected, tol)).toContain('length');
    expect(findMismatch({}, expected, tol)).toContain('value.beta');
  });
  it('applies the null policy', () => {
    expect(findMismatch(Number.NaN, null, tol)).toBeNull();
    expect(findMismatch(Number.POSITIVE_INFINITY, null, tol)).not.toBeNull();
    expect(findMismatch(Number.POSITIVE_INFINITY, null, tol, 'v', { nullPolicy: 'non-finite' })).toBeNull();
    expect(findMismatch(Number.NaN, null, tol, 'v', { nullPolicy: 'strict' })).not.toBeNull();
    expect(findMismatch(null, null, tol, 'v', { nullPolicy: 'strict' })).toBeNull();
  });
});
