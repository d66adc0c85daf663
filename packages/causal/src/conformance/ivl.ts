import { ivlLimit, ivlProjected, ivlRegression, ncer, ols } from '../index.js';
import { type Case, CLOSED, EXACT, type Json, keyNum, mat, memo, type Outcomes, vec } from './outcomes.js';

/** `ivl_*` cases: IV-like regression over α (two solvers), its limits, ERM baselines and their NCER. */
export function evaluateIvl(name: string, c: Case, out: Outcomes): void {
  const I = c.inputs;
  const base = { GX: mat(I.GX), y: vec(I.y), G: mat(I.G), intercept: false };
  const f = vec(I.f_true ?? []);
  const ivlAt = (k: string, solver: 'stacked' | 'transform' = 'stacked') =>
    ivlRegression({ ...base, alpha: keyNum(k), solver }).coef;
  const lim = memo(() => ivlLimit(base).coef);
  const pi = memo(() => ivlProjected(base).coef);
  const erm = memo(() => ols({ X: mat(I.X), y: base.y, intercept: false }).params);
  const daErm = memo(() => ols({ X: base.GX, y: base.y, intercept: false }).params);
  // An expected {coef} object or a bare coefficient array.
  const shaped = (exp: Json, a: number[]) =>
    exp !== null && typeof exp === 'object' && !Array.isArray(exp) && 'coef' in exp ? { coef: a } : a;
  const fits: Record<string, () => number[]> = { ivl_limit_alpha_to_0plus: lim, ivl_pi: pi, erm, da_erm: daErm };
  const ncers: Record<string, () => number[]> = {
    ncer_ivl_limit: lim,
    ncer_ivl_pi: pi,
    ncer_erm: erm,
    ncer_da_erm: daErm,
  };
  for (const [k, e] of Object.entries(c.outputs)) {
    const fit = fits[k];
    const ncerOf = ncers[k];
    if (k === 'ivl' || k === 'ivl_via_transform' || k === 'ncer') {
      const m = out.map(e, name, k);
      if (!m) continue;
      for (const [kk, v] of Object.entries(m)) {
        const field = `${k}[${kk}]`;
        if (k === 'ncer') out.check(name, field, v, () => ncer(f, ivlAt(kk)), CLOSED);
        else out.check(name, field, v, () => shaped(v, ivlAt(kk, k === 'ivl' ? 'stacked' : 'transform')), CLOSED);
      }
    } else if (Object.hasOwn(fits, k) && fit) out.check(name, k, e, () => shaped(e, fit()), CLOSED);
    else if (Object.hasOwn(ncers, k) && ncerOf) out.check(name, k, e, () => ncer(f, ncerOf()), CLOSED);
    else if (k === 'equivalences')
      // Informative text: checked for presence and type only.
      out.check(name, k, typeof e === 'string' ? 'string' : typeof e, () => 'string', EXACT);
    else out.fail(name, k, 'no evaluator for this output key');
  }
}
