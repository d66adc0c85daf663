/**
 * Evaluator of vectors files in the format of `shared/vectors/w2.json` (dro-core spec R2.6): exact 1-D W₂,
 * the batched sorted-W₂ op, sliced W₂ with seeded directions, the RNG's normal stream and worst-case
 * expectations under a nominal distribution. Host functions at float64 tolerance; tensor ops on the current
 * backend at float32 tolerance.
 */
import * as tf from '@tensorflow/tfjs-core';
import { findMismatch, isClose } from '../conformanceKit/compare.js';
import { createRng } from '../rng.js';
import { sliceDirections } from '../sliceDirections.js';
import { slicedW2 } from '../slicedW2.js';
import { sortedW2 } from '../sortedW2.js';
import { sortedW2Host, w2Squared1d } from '../w2Squared1d.js';
import { type NominalSpec, worstCaseExpectation } from '../worstCaseExpectation.js';
import type { CaseResult } from './vectorCheck.js';

const HOST = { rel: 1e-9, abs: 1e-12 };
const F32 = { abs: 1e-5, rel: 1e-4 };

type Groups = number[][];

/** True when the file has at least one key of the w2 format. */
export function isW2VectorsFile(data: Record<string, unknown>): boolean {
  return ['w2_1d', 'sorted_w2_batch', 'sliced_w2', 'rng_normals', 'worst_case'].some((k) => k in data);
}

/** Runs `fn` inside tf.tidy and returns its message (tidy itself only returns tensors). */
function tidyMessage(fn: () => string | null): string | null {
  let message: string | null = null;
  tf.tidy(() => {
    message = fn();
  });
  return message;
}

function run(id: string, fn: () => string | null): CaseResult {
  try {
    const message = fn();
    return message ? { id, ok: false, message } : { id, ok: true };
  } catch (e) {
    return { id, ok: false, message: `threw ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Compares gradients as sums over each tie group (only those are order-free at ties). */
function groupSums(grad: ArrayLike<number>, expected: ArrayLike<number>, groups: Groups, tol: object, path: string) {
  for (const g of groups) {
    let a = 0;
    let e = 0;
    for (const i of g) {
      a += grad[i]!;
      e += expected[i]!;
    }
    if (!isClose(a, e, tol)) return `${path}[${g.join(',')}]: expected sum ${e}, got ${a}`;
  }
  return null;
}

function columnGroups(
  grad: number[][],
  expected: number[][],
  groupsPerColumn: Groups[],
  tol: object,
  path: string,
): string | null {
  if (grad.length !== expected.length) return `${path}: expected ${expected.length} rows, got ${grad.length}`;
  for (let c = 0; c < groupsPerColumn.length; c++) {
    const m = groupSums(
      grad.map((r) => r[c]!),
      expected.map((r) => r[c]!),
      groupsPerColumn[c]!,
      tol,
      `${path}[:,${c}]`,
    );
    if (m) return m;
  }
  return null;
}

function compareCoupling(got: { src: Int32Array; tgt: Int32Array; mass: Float64Array }, expected: number[][]) {
  const rows = Array.from(got.mass, (m, r) => [got.src[r]!, got.tgt[r]!, m] as number[]);
  const key = (r: number[]) => r[0]! * 1e6 + r[1]!;
  rows.sort((x, y) => key(x) - key(y));
  const exp = [...expected].sort((x, y) => key(x) - key(y));
  if (rows.length !== exp.length) return `coupling: expected ${exp.length} rows, got ${rows.length}`;
  for (let r = 0; r < rows.length; r++) {
    const [i, j, m] = rows[r]!;
    const [ei, ej, em] = exp[r]!;
    if (i !== ei || j !== ej || !isClose(m!, em!, { abs: 1e-12 })) {
      return `coupling row ${r}: expected [${exp[r]!.join(', ')}], got [${rows[r]!.join(', ')}]`;
    }
  }
  return null;
}

interface W1dCase {
  id: string;
  a: number[];
  b: number[];
  weights_a: number[] | null;
  weights_b: number[] | null;
  expected: { value: number; w1: number; coupling: number[][]; grad_a: number[]; grad_b: number[] };
  tie_groups_a: Groups;
  tie_groups_b: Groups;
}

function checkW1d(c: W1dCase): string | null {
  const r = w2Squared1d(c.a, c.b, {
    ...(c.weights_a ? { weightsA: c.weights_a } : {}),
    ...(c.weights_b ? { weightsB: c.weights_b } : {}),
  });
  return (
    findMismatch(r.value, c.expected.value, HOST, 'value') ??
    findMismatch(r.w1, c.expected.w1, HOST, 'w1') ??
    compareCoupling(r.coupling, c.expected.coupling) ??
    groupSums(r.gradA, c.expected.grad_a, c.tie_groups_a, HOST, 'grad_a') ??
    groupSums(r.gradB, c.expected.grad_b, c.tie_groups_b, HOST, 'grad_b')
  );
}

interface BatchCase {
  id: string;
  a: number[][];
  b: number[][];
  expected: { value: number; per_column: number[]; grad_a: number[][]; grad_b: number[][] };
  tie_groups_a: Groups[];
  tie_groups_b: Groups[];
}

function checkBatchHost(c: BatchCase): string | null {
  const r = sortedW2Host(c.a, c.b);
  return (
    findMismatch(r.value, c.expected.value, HOST, 'value') ??
    findMismatch(Array.from(r.perColumn), c.expected.per_column, HOST, 'per_column') ??
    columnGroups(r.gradA, c.expected.grad_a, c.tie_groups_a, HOST, 'grad_a') ??
    columnGroups(r.gradB, c.expected.grad_b, c.tie_groups_b, HOST, 'grad_b')
  );
}

function checkBatchTensor(c: BatchCase): string | null {
  return tidyMessage(() => {
    const a = tf.tensor2d(c.a);
    const b = tf.tensor2d(c.b);
    const perColumn = Array.from(sortedW2(a, b, { reduction: 'none' }).dataSync());
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => sortedW2(x as tf.Tensor2D, y as tf.Tensor2D))([a, b]);
    const value = sortedW2(a, b).dataSync()[0]!;
    return (
      findMismatch(value, c.expected.value, F32, 'value') ??
      findMismatch(perColumn, c.expected.per_column, F32, 'per_column') ??
      columnGroups(g[0]!.arraySync() as number[][], c.expected.grad_a, c.tie_groups_a, F32, 'grad_a') ??
      columnGroups(g[1]!.arraySync() as number[][], c.expected.grad_b, c.tie_groups_b, F32, 'grad_b')
    );
  });
}

interface SlicedCase {
  id: string;
  seed: number | string | null;
  projections: number;
  x: number[][];
  y: number[][];
  directions_in?: number[][];
  expected: { directions: number[][]; per_direction: number[]; value: number };
}

function checkSlicedHost(c: SlicedCase): string | null {
  if (c.seed === null) return null; // explicit directions: nothing drawn
  const d = c.x[0]!.length;
  const dirs = sliceDirections(d, c.projections, c.seed);
  const rows = c.expected.directions.map((_, l) => Array.from(dirs.subarray(l * d, (l + 1) * d)));
  return findMismatch(rows, c.expected.directions, { abs: 1e-12 }, 'directions');
}

function checkSlicedTensor(c: SlicedCase): string | null {
  return tidyMessage(() => {
    const x = tf.tensor2d(c.x);
    const y = tf.tensor2d(c.y);
    const src = c.seed === null ? { directions: (c.directions_in ?? c.expected.directions).flat() } : { seed: c.seed };
    const per = Array.from(slicedW2(x, y, { projections: c.projections, ...src, reduction: 'none' }).dataSync());
    const value = slicedW2(x, y, { projections: c.projections, ...src }).dataSync()[0]!;
    return (
      findMismatch(per, c.expected.per_direction, F32, 'per_direction') ??
      findMismatch(value, c.expected.value, F32, 'value')
    );
  });
}

interface WorstCase {
  id: string;
  kind: NominalSpec['kind'];
  sense: 'inf' | 'sup';
  params: { lam?: number | null; rho?: number; eps?: number };
  values: number[];
  nominal: number[];
  expected: { value: number; weights: number[] };
  aux: Record<string, number | null>;
}

const AUX_KEYS: Record<string, string> = {
  lam: 'lambda',
  dual_value: 'dualValue',
  alpha: 'alpha',
  eta: 'eta',
  moved: 'moved',
  divergence: 'divergence',
};

/** Builds the NominalSpec of a `worst_case` vector (`lam: null` = +∞). */
export function nominalSpecFromVector(kind: NominalSpec['kind'], p: WorstCase['params']): NominalSpec {
  const spec: Record<string, unknown> = { kind };
  if ('lam' in p) spec.lambda = p.lam === null ? Number.POSITIVE_INFINITY : p.lam;
  if ('rho' in p) spec.rho = p.rho;
  if ('eps' in p) spec.eps = p.eps;
  return spec as NominalSpec;
}

function checkWorstCase(c: WorstCase): string | null {
  const r = worstCaseExpectation(c.values, c.nominal, nominalSpecFromVector(c.kind, c.params), { sense: c.sense });
  const m =
    findMismatch(r.value, c.expected.value, HOST, 'value') ??
    findMismatch(Array.from(r.weights), c.expected.weights, { abs: 1e-9 }, 'weights');
  if (m) return m;
  for (const [k, v] of Object.entries(c.aux)) {
    const name = AUX_KEYS[k];
    if (!name) return `aux.${k}: unknown key`;
    const got = (r.info as unknown as Record<string, unknown>)[name];
    if (v === null) {
      if (got !== null) return `aux.${k}: expected null, got ${String(got)}`;
      continue;
    }
    const tol = k === 'lam' ? { rel: 1e-6 } : HOST;
    if (typeof got !== 'number' || !isClose(got, v, tol)) return `aux.${k}: expected ${v}, got ${String(got)}`;
  }
  return null;
}

/**
 * Evaluates every case of a w2-format vectors file. `host` (default true) runs the float64 checks,
 * `tensors` (default true) the tfjs ops on the current backend; `label` is appended to tensor case ids.
 */
export function checkW2Vectors(
  data: Record<string, unknown>,
  opts: { host?: boolean; tensors?: boolean; label?: string } = {},
): CaseResult[] {
  const host = opts.host ?? true;
  const tensors = opts.tensors ?? true;
  const suffix = opts.label ? `@${opts.label}` : '';
  const out: CaseResult[] = [];
  const list = <T>(key: string) => (Array.isArray(data[key]) ? (data[key] as T[]) : []);
  if (host) {
    for (const c of list<W1dCase>('w2_1d')) out.push(run(`w2_1d/${c.id}`, () => checkW1d(c)));
    for (const c of list<BatchCase>('sorted_w2_batch'))
      out.push(run(`sorted_w2_batch/${c.id}`, () => checkBatchHost(c)));
    for (const c of list<SlicedCase>('sliced_w2')) {
      if (c.seed !== null) out.push(run(`sliced_w2/${c.id}/directions`, () => checkSlicedHost(c)));
    }
    for (const c of list<{ id: string; seed: number | string; normals: number[] }>('rng_normals')) {
      out.push(
        run(`rng_normals/${c.id}`, () => {
          const rng = createRng(c.seed);
          const got = c.normals.map(() => rng.normal());
          return findMismatch(got, c.normals, { abs: 1e-15 }, 'normals');
        }),
      );
    }
    for (const c of list<WorstCase>('worst_case')) out.push(run(`worst_case/${c.id}`, () => checkWorstCase(c)));
  }
  if (tensors) {
    for (const c of list<BatchCase>('sorted_w2_batch')) {
      out.push(run(`sorted_w2_batch/${c.id}/tensor${suffix}`, () => checkBatchTensor(c)));
    }
    for (const c of list<SlicedCase>('sliced_w2'))
      out.push(run(`sliced_w2/${c.id}${suffix}`, () => checkSlicedTensor(c)));
  }
  return out;
}
