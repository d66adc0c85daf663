/**
 * Evaluates a vectors file in the format of `shared/vectors/dro-core.json` through the public API: the host
 * solvers at the float64 tolerance, the tensor functions (on the current backend) at the float32 tolerance,
 * group means, Group DRO sequences (both update orders) and moving-average sequences. Used by the
 * conformance runner and by the tests.
 */
import * as tf from '@tensorflow/tfjs-core';
import { findMismatch } from '../conformanceKit/compare.js';
import { GroupDroWeights, groupMeans } from '../group.js';
import { IndexedMovingLogMeanExp, MovingLogMeanExp } from '../moving.js';
import { robustLossWithInfo, robustWeights } from '../robust.js';
import { type SolveInfo, solveWeights } from '../solve.js';
import type { RobustSpec } from '../spec.js';

export interface CaseResult {
  id: string;
  ok: boolean;
  message?: string;
}

interface Tol {
  abs?: number;
  rel?: number;
}

// Relative 1e-9 as the vectors state, with a 1e-12 absolute floor for expected values that are rounding noise around 0.
const F64: Tol = { abs: 1e-12, rel: 1e-9 };
const F32: Tol = { abs: 1e-5, rel: 1e-4 };
const LAMBDA: Tol = { abs: 0, rel: 1e-6 };

/** Maps a vector primitive and its params to a RobustSpec. */
export function specFromVector(primitive: string, params: Record<string, number>): RobustSpec {
  switch (primitive) {
    case 'kl_penalized':
      return { kind: 'kl', lambda: params.lam ?? Number.NaN };
    case 'kl_constrained':
      return { kind: 'kl-constrained', rho: params.rho ?? Number.NaN, tol: 1e-12, maxIter: 200 };
    case 'cvar':
      return { kind: 'cvar', alpha: params.alpha ?? Number.NaN };
    case 'kl_cvar':
      return { kind: 'kl-cvar', alpha: params.alpha ?? Number.NaN, lambda: params.lam ?? Number.NaN };
    case 'chi2_penalized':
      return { kind: 'chi2', lambda: params.lam ?? Number.NaN };
    case 'chi2_constrained':
      return { kind: 'chi2-constrained', rho: params.rho ?? Number.NaN };
    case 'chi2_both':
      return { kind: 'chi2-both', rho: params.rho ?? Number.NaN, lambda: params.reg ?? Number.NaN };
    case 'tv':
      return { kind: 'tv', eps: params.eps ?? Number.NaN };
    case 'erm':
      return { kind: 'erm' };
    default:
      throw new Error(`unknown primitive ${primitive}`);
  }
}

/** The SolveInfo field behind each `aux` key of the vectors (`iterations` is informative only). */
const AUX: Record<string, (i: SolveInfo) => unknown> = {
  kl: (i) => i.divergence,
  chi2: (i) => i.divergence,
  tv: (i) => i.divergence,
  lam: (i) => i.lambda,
  eta: (i) => i.eta,
  var: (i) => i.valueAtRisk,
  k: (i) => i.k,
  n_capped: (i) => i.nCapped,
  binding: (i) => i.binding,
  dual_value: (i) => i.dualValue,
};

function compareAux(info: SolveInfo, aux: Record<string, unknown>, path: string): string | null {
  for (const [key, expected] of Object.entries(aux)) {
    if (key === 'iterations') continue;
    const get = AUX[key];
    if (!get) return `${path}.${key}: unknown aux key`;
    const actual = get(info);
    if (expected === null) {
      if (actual !== null && !(typeof actual === 'number' && !Number.isFinite(actual)))
        return `${path}.${key}: expected null (+∞), got ${String(actual)}`;
      continue;
    }
    const m = findMismatch(actual, expected, key === 'lam' ? LAMBDA : F64, `${path}.${key}`);
    if (m) return m;
  }
  return null;
}

interface VectorCase {
  id: string;
  primitive: string;
  params: Record<string, number>;
  losses: number[];
  expected: { weights: number[]; value: number };
  aux?: Record<string, unknown>;
}

function run(id: string, fn: () => string | null): CaseResult {
  try {
    const message = fn();
    return message ? { id, ok: false, message } : { id, ok: true };
  } catch (e) {
    return { id, ok: false, message: `threw ${e instanceof Error ? e.message : String(e)}` };
  }
}

function checkCase(c: VectorCase, tensors: boolean): string | null {
  const spec = specFromVector(c.primitive, c.params);
  const host = solveWeights(c.losses, spec);
  const m =
    findMismatch(Array.from(host.weights), c.expected.weights, F64, 'weights') ??
    findMismatch(host.value, c.expected.value, F64, 'value') ??
    compareAux(host.info, c.aux ?? {}, 'aux');
  if (m || !tensors) return m;
  const l = tf.tensor1d(c.losses, 'float32');
  const w = robustWeights(l, spec);
  const r = robustLossWithInfo(l, spec);
  const out =
    findMismatch(Array.from(w.dataSync()), c.expected.weights, F32, 'tensor weights') ??
    findMismatch(r.loss.dataSync()[0], c.expected.value, F32, 'tensor robustLoss');
  tf.dispose([l, w, r.loss, r.weights]);
  return out;
}

/** Runs every case of a parsed vectors object; `tensors: false` checks the host solvers only. */
export function checkDroCoreVectors(data: Record<string, unknown>, opts: { tensors?: boolean } = {}): CaseResult[] {
  const tensors = opts.tensors ?? true;
  const results: CaseResult[] = [];
  for (const c of (data.cases as VectorCase[] | undefined) ?? []) results.push(run(c.id, () => checkCase(c, tensors)));

  const gl = data.group_losses_from_batch as
    | { losses: number[]; groups: number[]; n_groups: number; group_losses: number[]; group_counts: number[] }
    | undefined;
  if (gl) {
    results.push(
      run('group_losses_from_batch', () => {
        const v = tf.tensor1d(gl.losses);
        const { means, counts } = groupMeans(v, gl.groups, gl.n_groups);
        const got = Array.from(means.dataSync());
        tf.dispose([v, means]);
        return (
          findMismatch(got, gl.group_losses, F32, 'group_losses') ??
          findMismatch(Array.from(counts), gl.group_counts, F64, 'group_counts')
        );
      }),
    );
  }

  type GroupSeq = {
    id: string;
    eta_q: number;
    adjustments?: number[];
    group_counts?: number[];
    group_loss_seq: number[][];
    steps: { q: number[]; robust_loss: number; robust_loss_pre_update_q: number }[];
  };
  for (const g of (data.group_dro as GroupSeq[] | undefined) ?? []) {
    for (const order of ['update-then-loss', 'loss-then-update'] as const) {
      results.push(
        run(`${g.id} [${order}]`, () => {
          const nGroups = g.group_loss_seq[0]?.length ?? 0;
          const make = () =>
            new GroupDroWeights({
              nGroups,
              etaQ: g.eta_q,
              order,
              adjustments: g.adjustments,
              groupSizes: g.group_counts,
            });
          const host = make();
          const dev = tensors ? make() : null;
          for (let t = 0; t < g.group_loss_seq.length; t++) {
            const L = g.group_loss_seq[t]!;
            const s = g.steps[t];
            if (!s) return `step ${t}: missing expected step`;
            const expLoss = order === 'update-then-loss' ? s.robust_loss : s.robust_loss_pre_update_q;
            const r = host.stepHost(L);
            const m =
              findMismatch(Array.from(host.weights()), s.q, F64, `step ${t} q`) ??
              findMismatch(r.robustLoss, expLoss, F64, `step ${t} robust loss`);
            if (m) return m;
            if (dev) {
              const lt = tf.tensor1d(L);
              const { loss } = dev.step(lt);
              const v = loss.dataSync()[0];
              tf.dispose([lt, loss]);
              const md = findMismatch(v, expLoss, F32, `step ${t} tensor loss`);
              if (md) return md;
            }
          }
          if (g.steps.length !== g.group_loss_seq.length) return 'steps and group_loss_seq differ in length';
          return null;
        }),
      );
    }
  }

  type MovingSeq = {
    id: string;
    lam: number;
    gamma: number;
    batch_seq: number[][];
    steps: { log_u: number; weights: number[]; surrogate: number; objective_estimate: number }[];
  };
  for (const s of (data.moving_average as MovingSeq[] | undefined) ?? []) {
    results.push(
      run(s.id, () => {
        const host = new MovingLogMeanExp({ lambda: s.lam, gamma: s.gamma });
        const dev = tensors ? new MovingLogMeanExp({ lambda: s.lam, gamma: s.gamma }) : null;
        if (s.steps.length !== s.batch_seq.length) return 'steps and batch_seq differ in length';
        for (let t = 0; t < s.batch_seq.length; t++) {
          const e = s.steps[t]!;
          const r = host.updateHost(s.batch_seq[t]!);
          const m =
            findMismatch(r.logU, e.log_u, F64, `step ${t} log_u`) ??
            findMismatch(Array.from(r.weights), e.weights, F64, `step ${t} weights`) ??
            findMismatch(r.surrogate, e.surrogate, F64, `step ${t} surrogate`) ??
            findMismatch(r.objective, e.objective_estimate, F64, `step ${t} objective`);
          if (m) return m;
          if (dev) {
            const lt = tf.tensor1d(s.batch_seq[t]!);
            const u = dev.update(lt);
            const w = Array.from(u.weights.dataSync());
            const sur = u.surrogate.dataSync()[0];
            tf.dispose([lt, u.weights, u.surrogate]);
            const md =
              findMismatch(w, e.weights, F32, `step ${t} tensor weights`) ??
              findMismatch(sur, e.surrogate, F32, `step ${t} tensor surrogate`);
            if (md) return md;
          }
        }
        return null;
      }),
    );
  }

  type PerIndex = {
    id: string;
    tau: number;
    gamma: number;
    n_index: number;
    steps_in: { indices: number[]; inner_losses: number[][] }[];
    steps: { indices: number[]; log_u: number[]; weights: number[][] }[];
  };
  const pi = data.moving_average_per_index as PerIndex | undefined;
  if (pi) {
    results.push(
      run(pi.id, () => {
        const host = new IndexedMovingLogMeanExp({ size: pi.n_index, tau: pi.tau, gamma: pi.gamma });
        const dev = tensors ? new IndexedMovingLogMeanExp({ size: pi.n_index, tau: pi.tau, gamma: pi.gamma }) : null;
        if (pi.steps.length !== pi.steps_in.length) return 'steps and steps_in differ in length';
        for (let t = 0; t < pi.steps_in.length; t++) {
          const inp = pi.steps_in[t]!;
          const e = pi.steps[t]!;
          const K = inp.inner_losses[0]?.length ?? 0;
          const r = host.updateHost(inp.indices, inp.inner_losses.flat(), K);
          const rows = Array.from({ length: inp.indices.length }, (_, b) =>
            Array.from(r.weights.subarray(b * K, (b + 1) * K)),
          );
          const m =
            findMismatch(inp.indices, e.indices, F64, `step ${t} indices`) ??
            findMismatch(Array.from(r.logU), e.log_u, F64, `step ${t} log_u`) ??
            findMismatch(rows, e.weights, F64, `step ${t} weights`);
          if (m) return m;
          if (dev) {
            const it = tf.tensor2d(inp.inner_losses);
            const u = dev.update(inp.indices, it);
            const w = u.weights.arraySync();
            tf.dispose([it, u.weights]);
            const md = findMismatch(w, e.weights, F32, `step ${t} tensor weights`);
            if (md) return md;
          }
        }
        return null;
      }),
    );
  }
  return results;
}
