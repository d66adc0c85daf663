import { checkSeed, createRng, DroError, describeValue, type Rng } from '@drojs/dro-core/host';
import { runAsync, runSync, type Steps } from './drive.js';
import { type Columns, toColumns, toVector } from './input.js';
import { lambdaMaxOf } from './lambda.js';
import { softplus } from './loss.js';
import { checkOptions, opt } from './options.js';
import { PATH_SCHEMA, type PathOptions, pathSteps, type ResolvedPath, requestedGrid, resolvePath } from './path.js';
import { buildProblem } from './problem.js';
import { linearPredictor } from './sparseFit.js';
import type { SparsePath } from './sparsePath.js';
import type { Matrix, Progress, Vector } from './types.js';

/** Options of {@link cvPath}. */
export interface CvOptions extends PathOptions {
  /** Fold of every row (integers; the folds are the distinct values in increasing order). */
  foldId?: ArrayLike<number>;
  /** Number of random folds when foldId is absent (default 10). */
  folds?: number;
  /** Generator for the random folds (exactly one of rng and seed when folds are drawn). */
  rng?: Rng;
  /** Seed for the random folds. */
  seed?: number | string;
  /** Held-out error: 'mse' (Gaussian default), 'deviance' (binomial default) or 'class' (binomial). */
  measure?: 'mse' | 'deviance' | 'class';
}

/** Cross-validation result (spec §7.5). */
export interface CvResult {
  readonly lambdas: Float64Array;
  readonly cvm: Float64Array;
  readonly cvse: Float64Array;
  readonly indexMin: number;
  readonly index1se: number;
  readonly lambdaMin: number;
  readonly lambda1se: number;
  readonly foldId: Int32Array;
  readonly measure: 'mse' | 'deviance' | 'class';
  /** The full-data path on the scored grid. */
  readonly path: SparsePath;
}

const CV_SCHEMA = {
  ...PATH_SCHEMA,
  foldId: opt.any(),
  folds: opt.integer({ min: 2 }),
  rng: opt.any(),
  seed: opt.any(),
  measure: opt.oneOf(['mse', 'deviance', 'class']),
};

function subsetRows(c: Columns, rows: number[]): Columns {
  const n = rows.length;
  const data = new Float64Array(n * c.p);
  for (let j = 0; j < c.p; j++) {
    const o = j * c.n;
    for (let i = 0; i < n; i++) data[j * n + i] = c.data[o + rows[i]!]!;
  }
  return { n, p: c.p, data };
}

function foldAssignment(o: CvOptions, n: number): Int32Array {
  if (o.foldId !== undefined) {
    if (o.folds !== undefined || o.rng !== undefined || o.seed !== undefined) {
      throw new DroError('E_SPEC', 'foldId excludes folds, rng and seed', { argument: 'foldId' });
    }
    const f = toVector(o.foldId, 'foldId', n);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (!Number.isInteger(f[i])) {
        throw new DroError('E_SPEC', `foldId[${i}] is not an integer`, { argument: 'foldId', received: String(f[i]) });
      }
      out[i] = f[i]!;
    }
    return out;
  }
  if ((o.rng === undefined) === (o.seed === undefined)) {
    throw new DroError('E_SPEC', 'random folds need exactly one of rng and seed', {
      argument: 'seed',
      expected: 'exactly one of rng, seed (or foldId)',
      received: o.rng === undefined ? 'neither' : 'both',
    });
  }
  // duck-typed: the main and /host entries of dro-core may hold separate copies of the Rng class (CJS builds)
  const r = o.rng as { fork?: unknown; shuffle?: unknown } | undefined;
  if (r !== undefined && (typeof r !== 'object' || r === null || typeof r.fork !== 'function')) {
    throw new DroError('E_SPEC', 'rng must be a dro-core Rng', { argument: 'rng', received: describeValue(o.rng) });
  }
  const base = o.rng ?? createRng(checkSeed(o.seed));
  const K = o.folds ?? 10;
  if (K > n)
    throw new DroError('E_SPEC', 'folds exceeds the number of rows', { argument: 'folds', received: String(K) });
  const perm = base.fork('sparse/cv-folds').shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[perm[i]!] = i % K;
  return out;
}

function* cvSteps(X: Matrix, y: Vector, o: CvOptions): Steps<CvResult> {
  const r: ResolvedPath = resolvePath(o);
  const cols = toColumns(X, 'X');
  const yy = toVector(y, 'y', cols.n);
  const { family, intercept, standardize } = r.model;
  const measure = o.measure ?? (family === 'gaussian' ? 'mse' : 'deviance');
  if ((family === 'gaussian') !== (measure === 'mse')) {
    throw new DroError('E_SPEC', `measure '${measure}' does not fit the ${family} family`, {
      argument: 'measure',
      expected: family === 'gaussian' ? "'mse'" : "'deviance' or 'class'",
      received: `'${measure}'`,
    });
  }
  const foldId = foldAssignment(o, cols.n);
  const folds = [...new Set(foldId)].sort((a, b) => a - b);
  if (folds.length < 2) {
    throw new DroError('E_SPEC', 'cross-validation needs at least 2 folds', {
      argument: 'foldId',
      received: `${folds.length} fold`,
    });
  }
  const probFull = buildProblem(cols, yy, family, intercept, standardize);
  const grid = requestedGrid(probFull, lambdaMaxOf(probFull).lambdaMax, r);
  const total = folds.length + 1;
  const full = runSync(pathSteps(probFull, r, grid));
  yield [1, total];
  const F = folds.length;
  const errs: Float64Array[] = [];
  const weights: number[] = [];
  let m = full.lambdas.length;
  for (let f = 0; f < F; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < cols.n; i++) (foldId[i] === folds[f] ? test : train).push(i);
    const ytr = Float64Array.from(train, (i) => yy[i]!);
    const prob = buildProblem(subsetRows(cols, train), ytr, family, intercept, standardize);
    const path = runSync(pathSteps(prob, r, grid));
    m = Math.min(m, path.lambdas.length);
    const xt = subsetRows(cols, test);
    const e = new Float64Array(path.lambdas.length);
    for (let k = 0; k < path.lambdas.length; k++) {
      const eta = linearPredictor(xt.data, xt.n, path.intercepts[k]!, path.coefs[k]!);
      let s = 0;
      for (let i = 0; i < xt.n; i++) {
        const yi = yy[test[i]!]!;
        const h = eta[i]!;
        if (measure === 'mse') s += (yi - h) * (yi - h);
        else if (measure === 'deviance') s += 2 * (softplus(h) - yi * h);
        else s += (h > 0 ? 1 : 0) !== yi ? 1 : 0;
      }
      e[k] = s / xt.n;
    }
    errs.push(e);
    weights.push(test.length);
    yield [f + 2, total];
  }
  const W = weights.reduce((a, b) => a + b, 0);
  const cvm = new Float64Array(m);
  const cvse = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let s = 0;
    for (let f = 0; f < F; f++) s += weights[f]! * errs[f]![k]!;
    const mean = s / W;
    let v = 0;
    for (let f = 0; f < F; f++) v += weights[f]! * (errs[f]![k]! - mean) ** 2;
    cvm[k] = mean;
    cvse[k] = Math.sqrt(v / W / (F - 1));
  }
  let indexMin = 0;
  for (let k = 1; k < m; k++) if (cvm[k]! < cvm[indexMin]!) indexMin = k;
  const bound = cvm[indexMin]! + cvse[indexMin]!;
  let index1se = indexMin;
  for (let k = 0; k < m; k++) {
    if (cvm[k]! <= bound) {
      index1se = k;
      break;
    }
  }
  const path = full.truncate(m);
  return {
    lambdas: grid.slice(0, m),
    cvm,
    cvse,
    indexMin,
    index1se,
    lambdaMin: grid[indexMin]!,
    lambda1se: grid[index1se]!,
    foldId,
    measure,
    path,
  };
}

/**
 * K-fold cross-validation of a λ path (spec §7.5): the full-data grid, one path per fold with its own
 * standardisation and warm starts, weighted mean and standard error of the held-out error.
 * @throws DroError E_SPEC (fewer than 2 folds, rng/seed misuse, measure/family mismatch), E_SHAPE (foldId
 * length), and as {@link fitPath}.
 */
export function cvPath(X: Matrix, y: Vector, o: CvOptions): CvResult {
  checkOptions(o, CV_SCHEMA, 'cvPath');
  return runSync(cvSteps(X, y, o ?? {}));
}

/** {@link cvPath} yielding between folds, with progress and an AbortSignal (E_ABORTED). */
export async function cvPathAsync(X: Matrix, y: Vector, o: CvOptions & Progress): Promise<CvResult> {
  const { onProgress, signal, ...rest } = o ?? {};
  checkOptions({ onProgress, signal }, { onProgress: opt.function(), signal: opt.signal() }, 'cvPathAsync');
  checkOptions(rest, CV_SCHEMA, 'cvPathAsync');
  const steps = cvSteps(X, y, rest);
  return runAsync(steps, { ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) }, 'cvPathAsync');
}
