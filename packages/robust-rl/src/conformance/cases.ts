/**
 * Evaluators of the robust-rl vectors format (`shared/vectors/robust-rl.json`, robust-rl spec §9): each key's
 * cases replayed through the public API; floats at the file's host tolerance, integers exactly.
 */
import { findMismatch } from '@drojs/dro-core/conformance';
import { cholesky, quadForm, ridge, shermanMorrison } from '@drojs/dro-core/host';
import { type LinearMdpDataset, type Transition, tabularDataset } from '../dataset.js';
import { type Divergence, evaluatePolicy, robustDp } from '../dp.js';
import { mirrorStep, regularizedRobustDp, regularizedRobustEvaluate, softValue, uniformPolicy } from '../drrpo.js';
import { factorEstimate } from '../estimators.js';
import { type FactorMdp, shiftGlobal, shiftRisky, tabularMdp, toTabular } from '../mdp.js';
import { fitR2pvi, type R2pviOptions } from '../r2pvi.js';

type Tol = { rel: number; abs: number };
type Case = Record<string, unknown> & { id: string };
/** Returns null when the case passes, else the first mismatch. */
export type CaseRunner = (c: Case, tol: Tol) => string | null;

const lam = (x: unknown) => (x === null || x === undefined ? Number.POSITIVE_INFINITY : (x as number));
const rows = (x: ArrayLike<number>, n: number) =>
  Array.from({ length: x.length / n }, (_, i) => Array.from(x).slice(i * n, (i + 1) * n));

interface ModelJson {
  kind: 'tabular' | 'factor';
  H: number;
  S: number;
  A: number;
  d?: number;
  P?: number[][][][];
  R?: number[][][];
  phi?: number[][][][];
  mu?: number[][][];
  theta?: number[][];
  init_state: number;
}

/** The FactorMdp of a vector's `model`. */
export function modelFromJson(m: ModelJson): FactorMdp {
  if (m.kind === 'tabular') return tabularMdp(m.P!, m.R!, m.init_state);
  return { H: m.H, S: m.S, A: m.A, d: m.d!, phi: m.phi!, mu: m.mu!, theta: m.theta!, initState: m.init_state };
}

function specOf(c: Case): { divergence: Divergence; lambda?: number; rho?: number } {
  const divergence = c.divergence as Divergence;
  if (divergence === 'tv-ball') return { divergence, rho: c.rho as number };
  if (divergence === 'none') return { divergence };
  return { divergence, lambda: lam(c.lam) };
}

/** The LinearMdpDataset of a vector's `dataset` (tabular one-hot or dense). */
export function datasetFromJson(ds: Record<string, unknown>, H: number, d: number): LinearMdpDataset {
  if (ds.encoding === 'tabular') {
    return tabularDataset(ds.S as number, ds.A as number, H, ds.steps as [number, number, number, number | null][][]);
  }
  const steps = (ds.steps as Record<string, unknown>[][]).map((list) =>
    list.map((t): Transition => {
      const tr: Transition = { phi: t.phi as number[], reward: t.reward as number };
      if (t.next_phi) tr.nextPhi = t.next_phi as number[][];
      if (t.next_terminal) tr.nextTerminal = true;
      return tr;
    }),
  );
  const first = steps.flat().find((t) => t.nextPhi);
  return { H, d, nActions: first?.nextPhi?.length ?? 1, steps };
}

export const runners: Record<string, CaseRunner> = {
  ridge: (c, tol) => {
    const phi = c.phi as number[][];
    const d = phi[0]!.length;
    const r = ridge(phi, c.y as number[], c.gamma as number);
    const e = c.expected as { lambda_inv: number[][]; w: number[]; cholesky: number[][]; quad_forms: number[] };
    const A = new Float64Array(d * d);
    for (const f of phi) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) A[i * d + j]! += f[i]! * f[j]!;
    for (let i = 0; i < d; i++) A[i * d + i]! += c.gamma as number;
    const L = cholesky(A, d);
    return (
      findMismatch(rows(r.lambdaInv, d), e.lambda_inv, tol, 'lambda_inv') ??
      findMismatch(Array.from(r.w), e.w, tol, 'w') ??
      findMismatch(rows(L, d), e.cholesky, tol, 'cholesky') ??
      findMismatch(
        (c.query as number[][]).map((q) => quadForm(r.lambdaInv, q)),
        e.quad_forms,
        tol,
        'quad_forms',
      )
    );
  },
  sherman_morrison: (c, tol) => {
    const rs = c.rows as number[][];
    const d = rs[0]!.length;
    let inv: Float64Array = new Float64Array(d * d);
    for (let i = 0; i < d; i++) inv[i * d + i] = 1 / (c.gamma as number);
    const got = rs.map((u) => {
      inv = shermanMorrison(inv, u);
      return rows(inv, d);
    });
    return findMismatch(got, (c.expected as { inverses: number[][][] }).inverses, tol, 'inverses');
  },
  factor_estimators: (c, tol) => {
    const r = factorEstimate(c.phi as number[][], c.next_values as number[], {
      ...specOf(c),
      ridge: c.gamma as number,
      vMin: c.v_min as 'data' | number,
      ...(c.v_hi === null ? {} : { vHi: c.v_hi as number }),
      normalize: c.normalize as boolean,
    });
    return findMismatch(Array.from(r.nu), (c.expected as { nu: number[] }).nu, tol, 'nu');
  },
  robust_dp: (c, tol) => {
    const r = robustDp(modelFromJson(c.model as ModelJson), specOf(c));
    const e = c.expected as { V: number[][]; Q: number[][][]; greedy: number[][] };
    const greedy = r.policy.map((p) => Array.from(p));
    return (
      findMismatch(r.V, e.V, tol, 'V') ??
      findMismatch(r.Q, e.Q, tol, 'Q') ??
      findMismatch(greedy, e.greedy, { abs: 0, rel: 0 }, 'greedy')
    );
  },
  policy_eval: (c, tol) => {
    const mdp = modelFromJson(c.model as ModelJson);
    let V: number[][];
    if (c.shift !== undefined) {
      const { P, R } = toTabular(mdp);
      const trap = c.shift_to_state as number;
      const eps = c.eps as number;
      const Ps =
        c.shift === 'risky'
          ? shiftRisky(P, eps, { trap, action: c.shift_action as number })
          : shiftGlobal(P, eps, { trap });
      V = evaluatePolicy({ P: Ps, R }, c.policy as number[][]);
    } else V = evaluatePolicy(mdp, c.policy_stochastic as number[][][]);
    return findMismatch(V, (c.expected as { V: number[][] }).V, tol, 'V');
  },
  r2pvi_fit: (c, tol) => {
    const H = c.H as number;
    const d = c.d as number;
    const o = c.options as Record<string, unknown>;
    const opts: R2pviOptions = {
      ...specOf({ ...o, id: c.id }),
      beta: o.beta as number,
      ridge: o.gamma as number,
      bonus: o.bonus as R2pviOptions['bonus'],
      vMin: o.v_min as 'data' | number,
      clipLow: o.clip_low as boolean,
      normalize: o.normalize as boolean,
      ...(o.reward === 'known' ? { theta: c.theta as number[][] } : {}),
    };
    const model = fitR2pvi(datasetFromJson(c.dataset as Record<string, unknown>, H, d), opts);
    const e = c.expected as {
      w: number[][];
      nu: number[][];
      theta_hat: number[][];
      lambda_inv: number[][][];
      next_values: number[][];
      query_results: { h: number; q: number[]; v: number; greedy: number }[];
    };
    const hs = Array.from({ length: H }, (_, h) => h);
    const lambdaTol = { rel: tol.rel, abs: 1e-10 };
    const queries = (c.queries as { h: number; phi_all: number[][] }[]).map((q) => ({
      h: q.h,
      q: q.phi_all.map((f) => model.q(q.h, f)),
      v: model.value(q.h, q.phi_all),
      greedy: model.act(q.h, q.phi_all),
    }));
    for (let k = 0; k < queries.length; k++) {
      const g = queries[k]!;
      const x = e.query_results[k];
      if (!x) return `query_results: expected ${e.query_results.length} results, got ${queries.length}`;
      const m =
        findMismatch(g.q, x.q, tol, `query_results[${k}].q`) ??
        findMismatch(g.v, x.v, tol, `query_results[${k}].v`) ??
        (g.greedy === x.greedy ? null : `query_results[${k}].greedy: expected ${x.greedy}, got ${g.greedy}`);
      if (m) return m;
    }
    return (
      findMismatch(
        hs.map((h) => Array.from(model.weights(h))),
        e.w,
        tol,
        'w',
      ) ??
      findMismatch(
        hs.map((h) => Array.from(model.diagnostics(h).nu)),
        e.nu,
        tol,
        'nu',
      ) ??
      findMismatch(
        hs.map((h) => Array.from(model.diagnostics(h).thetaHat)),
        e.theta_hat,
        tol,
        'theta_hat',
      ) ??
      findMismatch(
        hs.map((h) => rows(model.lambdaInv(h), d)),
        e.lambda_inv,
        lambdaTol,
        'lambda_inv',
      ) ??
      findMismatch(
        hs.map((h) => Array.from(model.diagnostics(h).nextValues)),
        e.next_values,
        tol,
        'next_values',
      )
    );
  },
  drrpo_mirror_step: (c, tol) => {
    const pi = c.pi as number[];
    const log = (x: number[]) => x.map((v) => Math.log(v));
    const r = mirrorStep(log(pi), log(c.ref as number[]), c.q as number[], {
      eta: c.eta as number,
      beta: c.beta as number,
    });
    const e = c.expected as { log_pi_next: number[]; pi_next: number[] };
    return (
      findMismatch(Array.from(r), e.log_pi_next, tol, 'log_pi_next') ??
      findMismatch(
        Array.from(r, (x) => Math.exp(x)),
        e.pi_next,
        tol,
        'pi_next',
      )
    );
  },
  drrpo_soft_value: (c, tol) =>
    findMismatch(
      softValue(c.pi as number[], c.q as number[], c.ref as number[], c.beta as number),
      (c.expected as { value: number }).value,
      tol,
      'value',
    ),
  drrpo_regularized_dp: (c, tol) => {
    const mdp = modelFromJson(c.model as ModelJson);
    if (c.ref_policy !== 'uniform') return `ref_policy ${String(c.ref_policy)} is not supported`;
    const ref = uniformPolicy(mdp.H, mdp.S, mdp.A);
    const opts = { beta: c.beta as number, rho: c.rho as number };
    const r = regularizedRobustDp(mdp, ref, opts);
    const e = c.expected as { V_opt: number[][]; pi_opt: number[][][]; V_uniform_policy: number[][] };
    return (
      findMismatch(r.V, e.V_opt, tol, 'V_opt') ??
      findMismatch(r.policy, e.pi_opt, tol, 'pi_opt') ??
      findMismatch(regularizedRobustEvaluate(mdp, ref, ref, opts), e.V_uniform_policy, tol, 'V_uniform_policy')
    );
  },
};
