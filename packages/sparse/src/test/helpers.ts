import { createRng, isDroError, type Rng } from '@drojs/dro-core/host';
import { expect } from 'vitest';

/** Asserts a DroError with `code` whose message names `argument` (when given). */
export function expectDroError(fn: () => unknown, code: string, argument?: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(isDroError(err), `expected a DroError ${code}, got ${String(err)}`).toBe(true);
  expect((err as { code: string }).code).toBe(code);
  if (argument !== undefined) expect((err as Error).message).toContain(argument);
}

/** Async variant of {@link expectDroError}. */
export async function expectDroErrorAsync(p: Promise<unknown>, code: string): Promise<void> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(isDroError(err), `expected a DroError ${code}, got ${String(err)}`).toBe(true);
  expect((err as { code: string }).code).toBe(code);
}

/** A random regression problem: rows N(0, Σ) with Toeplitz ρ, k non-zero coefficients ±U(1, 2). */
export interface Problem {
  X: number[][];
  y: number[];
  beta: number[];
}

export function gaussianProblem(
  seed: number | string,
  n: number,
  p: number,
  o: { k?: number; rho?: number; noise?: number; offset?: number; binomial?: boolean } = {},
): Problem {
  const rng: Rng = createRng(seed);
  const { k = Math.min(3, p), rho = 0.3, noise = 1, offset = 0, binomial = false } = o;
  const X: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(p);
    let prev = rng.normal();
    row[0] = prev + offset;
    for (let j = 1; j < p; j++) {
      prev = rho * prev + Math.sqrt(1 - rho * rho) * rng.normal();
      row[j] = prev + offset;
    }
    X.push(row);
  }
  const beta = new Array<number>(p).fill(0);
  const pos = rng.choice(p, k);
  for (const j of pos) beta[j] = (rng.uniform() < 0.5 ? -1 : 1) * (1 + rng.uniform());
  const y = X.map((row) => {
    let eta = 0.5;
    for (let j = 0; j < p; j++) eta += row[j]! * beta[j]!;
    if (binomial) return rng.uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    return eta + noise * rng.normal();
  });
  return { X, y, beta };
}
