/** Evaluators of the `robust_dp` and `policy_eval` cases (exact models). */
import { findMismatch } from '@drojs/dro-core/conformance';
import { evaluatePolicy, robustDp } from '../dp.js';
import { shiftGlobal, shiftRisky, toTabular } from '../mdp.js';
import { type CaseRunner, type ModelJson, modelFromJson, specOf } from './shared.js';

export const robustDpCase: CaseRunner = (c, tol) => {
  const r = robustDp(modelFromJson(c.model as ModelJson), specOf(c));
  const e = c.expected as { V: number[][]; Q: number[][][]; greedy: number[][] };
  const greedy = r.policy.map((p) => Array.from(p));
  return (
    findMismatch(r.V, e.V, tol, 'V') ??
    findMismatch(r.Q, e.Q, tol, 'Q') ??
    findMismatch(greedy, e.greedy, { abs: 0, rel: 0 }, 'greedy')
  );
};

export const policyEvalCase: CaseRunner = (c, tol) => {
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
};
