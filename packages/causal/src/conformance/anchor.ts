import { anchorRegression, ols, tsls } from '../index.js';
import { type Case, CLOSED, keyNum, mat, type Outcomes, vec } from './outcomes.js';

/** `anchor_*` cases: anchor regression over γ (centred and not), with its OLS and 2SLS limits. */
export function evaluateAnchor(name: string, c: Case, out: Outcomes): void {
  const I = c.inputs;
  const X = mat(I.X);
  const y = vec(I.y);
  const A = mat(I.A);
  for (const [k, e] of Object.entries(c.outputs)) {
    if (k === 'centered' || k === 'uncentered_no_intercept') {
      const m = out.map(e, name, k);
      if (!m) continue;
      for (const [kk, v] of Object.entries(m))
        out.check(
          name,
          `${k}[${kk}]`,
          v,
          () => {
            const f = anchorRegression({ X, y, anchors: A, gamma: keyNum(kk), intercept: k === 'centered' });
            return { coef: f.coef, intercept: f.intercept };
          },
          CLOSED,
        );
    } else if (k === 'ols_with_intercept') {
      out.check(name, k, e, () => ols({ X, y }).params, CLOSED);
    } else if (k === 'tsls_with_intercept_gamma_inf') {
      out.check(name, k, e, () => tsls({ y, endog: X, instruments: A.map((r) => r.slice(1)) }).params, CLOSED);
    } else out.fail(name, k, 'no evaluator for this output key');
  }
}
