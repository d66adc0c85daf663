import { DroError, describeValue } from './errors.js';
import { type Rng, toRng } from './rng.js';

/**
 * Seeded unit directions for sliced Wasserstein distances: for l = 0..L−1 draw `g = rng.normal() × d`
 * (row-major, continuing the Box–Muller spare across directions) and return `θ_l = g/‖g‖₂` as a row-major
 * `[L·d]` Float64Array. A zero draw (probability 0) is redrawn. Passing an `Rng` advances it by `L·d`
 * normals; a seed creates a fresh stream.
 */
export function sliceDirections(d: number, projections: number, rng: Rng | number | string): Float64Array {
  if (!Number.isSafeInteger(d) || d < 1) {
    throw new DroError('E_SPEC', 'd must be a whole number ≥ 1', { argument: 'd', received: describeValue(d) });
  }
  if (!Number.isSafeInteger(projections) || projections < 1) {
    throw new DroError('E_SPEC', 'projections must be a whole number ≥ 1', {
      argument: 'projections',
      received: describeValue(projections),
    });
  }
  const r = toRng(rng);
  const out = new Float64Array(projections * d);
  for (let l = 0; l < projections; l++) {
    for (;;) {
      let norm2 = 0;
      for (let i = 0; i < d; i++) {
        const g = r.normal();
        out[l * d + i] = g;
        norm2 += g * g;
      }
      if (norm2 > 0) {
        const norm = Math.sqrt(norm2);
        for (let i = 0; i < d; i++) out[l * d + i]! /= norm;
        break;
      }
    }
  }
  return out;
}
