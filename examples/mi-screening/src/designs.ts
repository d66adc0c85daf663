import type { Rng } from '@drojs/dro-core';

/** Rows N(0, Σ) with Σ_jk = ρ^|j−k| (ρ = 0: independent), row-major. */
export function toeplitzRows(rng: Rng, n: number, p: number, rho: number): number[][] {
  const c = Math.sqrt(1 - rho * rho);
  const X: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(p);
    let prev = rng.normal();
    row[0] = prev;
    for (let j = 1; j < p; j++) {
      prev = rho * prev + c * rng.normal();
      row[j] = prev;
    }
    X.push(row);
  }
  return X;
}

/** §9.1: y = 2cos(2x₁) + 1.5x₂² + x₃ − x₄ + ε (the first four columns are the signals). */
export function screeningDesign(rng: Rng, n: number, p: number, rho: number): { X: number[][]; y: number[] } {
  const X = toeplitzRows(rng, n, p, rho);
  const y = X.map((r) => 2 * Math.cos(2 * r[0]!) + 1.5 * r[1]! ** 2 + r[2]! - r[3]! + rng.normal());
  return { X, y };
}

/** §9.2 / §9.4: Toeplitz 0.5 rows, five coefficients ±U(1, 2) at random positions; Gaussian or logistic y. */
export function sparseDesign(
  rng: Rng,
  n: number,
  p: number,
  family: 'gaussian' | 'binomial' = 'gaussian',
): { X: number[][]; y: number[]; beta: Float64Array } {
  const X = toeplitzRows(rng, n, p, 0.5);
  const beta = new Float64Array(p);
  for (const j of rng.choice(p, 5)) beta[j] = (rng.uniform() < 0.5 ? -1 : 1) * (1 + rng.uniform());
  const y = X.map((r) => {
    let eta = 0;
    for (let j = 0; j < p; j++) if (beta[j] !== 0) eta += r[j]! * beta[j]!;
    if (family === 'binomial') return rng.uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    return eta + rng.normal();
  });
  return { X, y, beta };
}

export function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function quartiles(v: number[]): [number, number, number] {
  const s = [...v].sort((a, b) => a - b);
  const q = (f: number): number => {
    const pos = (s.length - 1) * f;
    const lo = Math.floor(pos);
    return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo);
  };
  return [q(0.25), q(0.5), q(0.75)];
}

export function meanSd(v: number[]): [number, number] {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : 0;
  return [m, sd];
}
