/** Evaluator of the `r2pvi_fit` cases: fit, then weights, diagnostics, Λ⁻¹ and queries. */
import { findMismatch } from '@drojs/dro-core/conformance';
import { fitR2pvi, type R2pviOptions } from '../r2pvi.js';
import { type CaseRunner, datasetFromJson, rows, specOf } from './shared.js';

export const r2pviFitCase: CaseRunner = (c, tol) => {
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
};
