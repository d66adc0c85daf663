import { describe, expect, it } from 'vitest';
import { cholesky, cholSolve, gram, quadForm, ridge, shermanMorrison } from './linalg.js';
import { createRng } from './rng.js';
import { expectDroError } from './testing/index.js';

/** Gaussian elimination with partial pivoting: an independent solver for the ridge check. */
function gaussSolve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const M = Array.from({ length: n }, (_, i) => [...A.subarray(i * n, i * n + n), b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = M[i]![n]!;
    for (let k = i + 1; k < n; k++) s -= M[i]![k]! * x[k]!;
    x[i] = s / M[i]![i]!;
  }
  return x;
}

describe('host linalg', () => {
  it('ridge agrees with Gaussian elimination on random systems (rel 1e-10), Λ⁻¹Λ = I', () => {
    const rng = createRng(31);
    for (let t = 0; t < 30; t++) {
      const d = 1 + (t % 6);
      const n = d + 3 + (t % 4);
      const phi = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
      const y = Array.from({ length: n }, () => rng.normal());
      const gamma = t % 3 === 0 ? 0 : 0.1 * (t % 5);
      const r = ridge(phi, y, gamma);
      const A = gram(phi, d, gamma);
      const b = new Float64Array(d);
      phi.forEach((row, k) => row.forEach((v, i) => (b[i]! += v * y[k]!)));
      const ref = gaussSolve(A, b, d);
      ref.forEach((v, i) => expect(Math.abs(r.w[i]! - v)).toBeLessThan(1e-10 * (1 + Math.abs(v))));
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += r.lambdaInv[i * d + k]! * A[k * d + j]!;
          expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-10);
        }
      }
      const L = cholesky(A, d);
      const x = cholSolve(L, b, d);
      x.forEach((v, i) => expect(Math.abs(v - r.w[i]!)).toBeLessThan(1e-12 * (1 + Math.abs(v))));
    }
  });

  it('Sherman–Morrison chains equal the direct inverse (rel 1e-10)', () => {
    const rng = createRng(32);
    const d = 4;
    let inv: Float64Array = new Float64Array(d * d);
    for (let i = 0; i < d; i++) inv[i * d + i] = 1 / 0.5;
    const rows: number[][] = [];
    for (let t = 0; t < 12; t++) {
      const u = Array.from({ length: d }, () => rng.normal());
      rows.push(u);
      inv = shermanMorrison(inv, u);
      const direct = ridge(rows, new Array(rows.length).fill(0), 0.5).lambdaInv;
      direct.forEach((v, k) => expect(Math.abs(inv[k]! - v)).toBeLessThan(1e-10 * (1 + Math.abs(v))));
      expect(quadForm(inv, u)).toBeGreaterThan(0);
    }
  });

  it('hard inputs: nearly collinear features with a tiny ridge still solve to rel 1e-8 (residual check)', () => {
    const rng = createRng(33);
    const n = 40;
    const phi = Array.from({ length: n }, () => {
      const x = rng.normal();
      return [x, x + 1e-6 * rng.normal(), 1e3 + rng.normal()];
    });
    const y = phi.map((r) => r[0]! - r[1]! + 0.001 * r[2]!);
    const r = ridge(phi, y, 1e-9);
    // Normal equations residual (γI + ΦᵀΦ)w − Φᵀy, relative to Φᵀy.
    const A = gram(phi, 3, 1e-9);
    const b = new Float64Array(3);
    phi.forEach((row, k) => row.forEach((v, i) => (b[i]! += v * y[k]!)));
    for (let i = 0; i < 3; i++) {
      let s = -b[i]!;
      for (let j = 0; j < 3; j++) s += A[i * 3 + j]! * r.w[j]!;
      expect(Math.abs(s)).toBeLessThan(1e-8 * Math.max(...Array.from(b, Math.abs)));
    }
  });

  it('rejects singular systems and bad input with the argument named', () => {
    const phi = [
      [1, 2],
      [2, 4],
    ];
    expectDroError(() => ridge(phi, [1, 2], 0), 'E_RANK', 'Λ');
    expectDroError(() => ridge(phi, [1], 0.1), 'E_SHAPE', 'y');
    expectDroError(() => ridge([], [], 0.1), 'E_EMPTY', 'phi');
    expectDroError(() => ridge(phi, [1, 2], -1), 'E_SPEC', 'gamma');
    expectDroError(() => ridge([[1, 2], [1]], [1, 2], 1), 'E_SHAPE', 'phi');
    expectDroError(() => cholesky([1, 2, 2, 1], 2), 'E_RANK', 'pivot 1');
  });
});
