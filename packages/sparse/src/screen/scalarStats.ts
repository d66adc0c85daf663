import { DroError, describeValue } from '@drojs/dro-core/host';
import { toVector } from '../input.js';
import { checkOptions } from '../options.js';
import type { Vector } from '../types.js';
import { centredProducts, dcorFromSums, distanceMeans } from './dcor.js';
import { gridBound, kdeGrid, kernelRows, miBinary, miFromKernels } from './miKde.js';
import { normalScoresOf } from './normalScores.js';
import { pearsonAbsRaw } from './pearson.js';
import { checkOutcome, checkRows, SCREEN_SCHEMA, type ScreenOptions } from './screen.js';

function pair(x: Vector, y: Vector): [Float64Array, Float64Array] {
  const xx = toVector(x, 'x');
  return [xx, toVector(y, 'y', xx.length)];
}

function checkNonConstant(v: Float64Array, argument: string): void {
  for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return;
  throw new DroError('E_RANK', `${argument} is constant`, { argument, expected: 'a non-constant vector' });
}

/**
 * Normal scores Φ⁻¹(r_i/(n + 1)) with average ranks for ties (the copula transform of the MI estimator).
 * @throws DroError E_DTYPE, E_NONFINITE, E_EMPTY.
 */
export function normalScores(x: Vector): Float64Array {
  return normalScoresOf(toVector(x, 'x'));
}

/**
 * Copula-KDE mutual information of x and y (spec §8.2, §8.3 with `outcome: 'binary'`).
 * @throws DroError E_SPEC (n < 3, bad options), E_RANK (constant x or continuous y), E_SHAPE, E_NONFINITE.
 */
export function miKde(x: Vector, y: Vector, o?: Omit<ScreenOptions, 'method' | 'keep' | 'onConstant'>): number {
  const { method: _m, keep: _k, onConstant: _c, ...schema } = SCREEN_SCHEMA;
  checkOptions(o, schema, 'miKde');
  const [xx, yy] = pair(x, y);
  checkRows(xx.length, 'x');
  const outcome = o?.outcome ?? 'continuous';
  const side = checkOutcome(yy, outcome);
  checkNonConstant(xx, 'x');
  const n = xx.length;
  const factor = o?.bandwidthFactor ?? 1.06;
  if (outcome === 'binary') return miBinary(normalScoresOf(xx), side.cls!, o?.grid ?? 256, factor);
  const G = o?.grid ?? 64;
  const h = o?.bandwidth ?? factor * n ** -0.2;
  const grid = kdeGrid(gridBound(n, h), G);
  return miFromKernels(kernelRows(normalScoresOf(xx), grid, h), kernelRows(normalScoresOf(yy), grid, h), G, n);
}

/**
 * |Pearson correlation| (two-pass). @throws DroError E_RANK (constant x or y), E_SHAPE, E_NONFINITE, E_EMPTY.
 */
export function pearsonAbs(x: Vector, y: Vector): number {
  const [xx, yy] = pair(x, y);
  checkNonConstant(xx, 'x');
  checkNonConstant(yy, 'y');
  return pearsonAbsRaw(xx, yy);
}

/**
 * Distance correlation (Székely's V-statistic; 0 when a distance variance is 0). O(n²) time, O(n) memory.
 * @throws DroError E_SHAPE, E_NONFINITE, E_EMPTY.
 */
export function distanceCorrelation(x: Vector, y: Vector): number {
  const [xx, yy] = pair(x, y);
  const mx = distanceMeans(xx);
  const my = distanceMeans(yy);
  const s = centredProducts(xx, yy, mx, my);
  const bb = centredProducts(yy, yy, my, my).aa;
  return dcorFromSums(s.ab, s.aa, bb, xx.length);
}

function checkScalar(v: unknown, argument: string): number {
  if (typeof v !== 'number')
    throw new DroError('E_SPEC', `${argument} must be a number`, { argument, received: describeValue(v) });
  if (Number.isNaN(v)) throw new DroError('E_NONFINITE', `${argument} is NaN`, { argument });
  return v;
}

/** MI of a bivariate Gaussian with correlation r: −½·log1p(−r²) (+∞ at |r| = 1). @throws DroError E_SPEC for |r| > 1. */
export function pearsonToMi(r: number): number {
  checkScalar(r, 'r');
  if (Math.abs(r) > 1) throw new DroError('E_SPEC', 'r must lie in [−1, 1]', { argument: 'r', received: String(r) });
  if (Math.abs(r) === 1) return Number.POSITIVE_INFINITY;
  return -0.5 * Math.log1p(-r * r);
}

/** Linfoot's informational coefficient of correlation √(1 − e^{−2I}). @throws DroError E_SPEC for I < 0. */
export function miToLinfoot(mi: number): number {
  checkScalar(mi, 'mi');
  if (mi < 0) throw new DroError('E_SPEC', 'mi must be ≥ 0', { argument: 'mi', received: String(mi) });
  return Math.sqrt(-Math.expm1(-2 * mi));
}
