/** Evaluators of the DR-RPO cases (mirror step, soft value, regularised robust DP). */
import { findMismatch } from '@drojs/dro-core/conformance';
import { mirrorStep, regularizedRobustDp, regularizedRobustEvaluate, softValue, uniformPolicy } from '../drrpo.js';
import { type CaseRunner, type ModelJson, modelFromJson } from './shared.js';

export const mirrorStepCase: CaseRunner = (c, tol) => {
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
};

export const softValueCase: CaseRunner = (c, tol) =>
  findMismatch(
    softValue(c.pi as number[], c.q as number[], c.ref as number[], c.beta as number),
    (c.expected as { value: number }).value,
    tol,
    'value',
  );

export const regularizedDpCase: CaseRunner = (c, tol) => {
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
};
