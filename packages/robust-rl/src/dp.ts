import { checkOptions, DroError, describeValue, type NominalSpec, worstCaseExpectation } from '@drojs/dro-core/host';
import { checkEstimatorOptions, ESTIMATOR_SCHEMA } from './estimators.js';
import { checkArray, checkFactorMdp, checkTabular, type FactorMdp, kernel, rewards, type TabularModel } from './mdp.js';

/** Divergences of robust-rl: `none` (nominal), `tv`, `kl`, `chi2` (Pearson) penalties, and the `tv-ball` constraint. */
export type Divergence = 'none' | 'tv' | 'kl' | 'chi2' | 'tv-ball';

/** The robust objective of an exact model: a penalty `lambda` (tv, kl, chi2) or a radius `rho` (tv-ball). */
export interface RobustSpec {
  divergence: Divergence;
  lambda?: number;
  rho?: number;
}

/** @internal Validates a robust spec (E_SPEC) and returns dro-core's nominal spec (null = plain expectation). */
export function nominalSpecOf(spec: RobustSpec, caller = 'robustDp'): NominalSpec | null {
  checkOptions(
    spec,
    { divergence: ESTIMATOR_SCHEMA.divergence, lambda: ESTIMATOR_SCHEMA.lambda, rho: ESTIMATOR_SCHEMA.rho },
    caller,
  );
  checkEstimatorOptions(spec);
  const lam = spec.lambda ?? Number.POSITIVE_INFINITY;
  switch (spec.divergence) {
    case 'none':
      return null;
    case 'tv':
      return lam === Number.POSITIVE_INFINITY ? null : { kind: 'tv-penalized', lambda: lam };
    case 'kl':
      return lam === Number.POSITIVE_INFINITY ? null : { kind: 'kl', lambda: lam };
    case 'chi2':
      // Pearson χ² with penalty λ is dro-core's half-χ² with penalty 2λ.
      return lam === Number.POSITIVE_INFINITY ? null : { kind: 'chi2', lambda: 2 * lam };
    case 'tv-ball':
      return { kind: 'tv', eps: spec.rho! };
  }
}

/** Per-factor inner values `ν_i = inf_μ {E_μ V + λ D(μ‖μ_{h,i})}` over all states. */
function innerValues(mdp: FactorMdp, h: number, vNext: ArrayLike<number>, nominal: NominalSpec | null): Float64Array {
  const nu = new Float64Array(mdp.d);
  for (let i = 0; i < mdp.d; i++) {
    const mu = mdp.mu[h]![i]!;
    if (nominal === null) {
      let s = 0;
      for (let k = 0; k < mu.length; k++) s += mu[k]! * vNext[k]!;
      nu[i] = s;
    } else nu[i] = worstCaseExpectation(vNext, mu, nominal).value;
  }
  return nu;
}

function qStep(mdp: FactorMdp, h: number, vNext: ArrayLike<number>, nominal: NominalSpec | null): number[][] {
  const nu = innerValues(mdp, h, vNext, nominal);
  const th = mdp.theta[h]!;
  return mdp.phi[h]!.map((row) =>
    row.map((f) => {
      let q = 0;
      for (let i = 0; i < mdp.d; i++) if (f[i] !== 0) q += f[i]! * (th[i]! + nu[i]!);
      return q;
    }),
  );
}

/** Lowest index among the maximal entries. */
export function argmaxLowest(q: ArrayLike<number>): number {
  let best = 0;
  for (let a = 1; a < q.length; a++) if (q[a]! > q[best]!) best = a;
  return best;
}

/**
 * Exact regularised-robust dynamic programming (robust-rl spec §2):
 * `Q_h(s,a) = r_h(s,a) + Σ_i φ_i(s,a)·inf_μ {E_μ V_{h+1} + λ D(μ‖μ_{h,i})}`, `V_h = max_a Q_h` (or the TV-ball
 * constraint form). Returns `V [H][S]`, `Q [H][S][A]` and the greedy policy (lowest index on ties).
 */
export function robustDp(mdp: FactorMdp, spec: RobustSpec): { V: number[][]; Q: number[][][]; policy: Int32Array[] } {
  checkFactorMdp(mdp);
  const nominal = nominalSpecOf(spec);
  const V: number[][] = new Array(mdp.H);
  const Q: number[][][] = new Array(mdp.H);
  const policy: Int32Array[] = new Array(mdp.H);
  let vNext = new Array<number>(mdp.S).fill(0);
  for (let h = mdp.H - 1; h >= 0; h--) {
    const q = qStep(mdp, h, vNext, nominal);
    Q[h] = q;
    policy[h] = Int32Array.from(q, (row) => argmaxLowest(row));
    V[h] = q.map((row, s) => row[policy[h]![s]!]!);
    vNext = V[h]!;
  }
  return { V, Q, policy };
}

/** A deterministic policy `[H][S]` of action indices or a stochastic one `[H][S][A]`. */
export type Policy = ArrayLike<number>[] | number[][][];

/** @internal Validates a deterministic `[H][S]` or stochastic `[H][S][A]` policy; true when stochastic. */
export function checkPolicy(policy: Policy, H: number, S: number, A: number): boolean {
  checkArray(policy, H, 'policy');
  const stochastic = Array.isArray(policy[0]?.[0]);
  for (let h = 0; h < H; h++) {
    checkArray(policy[h], S, `policy[${h}]`);
    for (let s = 0; s < S; s++) {
      const p = (policy[h] as ArrayLike<unknown>)[s];
      if (stochastic) {
        checkArray(p, A, `policy[${h}][${s}]`);
        const row = p as number[];
        const sum = row.reduce((x, y) => x + y, 0);
        if (row.some((x) => !(x >= 0)) || Math.abs(sum - 1) > 1e-9) {
          throw new DroError('E_SPEC', `policy[${h}][${s}] is not a distribution over actions`, {
            argument: 'policy',
          });
        }
      } else if (!Number.isInteger(p) || (p as number) < 0 || (p as number) >= A) {
        throw new DroError('E_SHAPE', `policy[${h}][${s}] is not an action index`, {
          argument: 'policy',
          received: describeValue(p),
        });
      }
    }
  }
  return stochastic;
}

function actionValue(q: number[], pi: number | number[]): number {
  if (typeof pi === 'number') return q[pi]!;
  let v = 0;
  for (let a = 0; a < q.length; a++) if (pi[a]! > 0) v += pi[a]! * q[a]!;
  return v;
}

/** Robust value `V [H][S]` of a fixed policy (deterministic or stochastic) under the objective `spec`. */
export function robustEvaluate(mdp: FactorMdp, policy: Policy, spec: RobustSpec): number[][] {
  checkFactorMdp(mdp);
  const nominal = nominalSpecOf(spec, 'robustEvaluate');
  checkPolicy(policy, mdp.H, mdp.S, mdp.A);
  const V: number[][] = new Array(mdp.H);
  let vNext = new Array<number>(mdp.S).fill(0);
  for (let h = mdp.H - 1; h >= 0; h--) {
    const q = qStep(mdp, h, vNext, nominal);
    V[h] = q.map((row, s) => actionValue(row, (policy[h] as ArrayLike<number | number[]>)[s]! as number | number[]));
    vNext = V[h]!;
  }
  return V;
}

/**
 * Plain (non-robust) value `V [H][S]` of a policy in a tabular model `{P, R}` or a factor MDP: the way every
 * policy is scored under shifted dynamics (exact, no Monte Carlo).
 */
export function evaluatePolicy(model: TabularModel | FactorMdp, policy: Policy): number[][] {
  let P: number[][][][];
  let R: number[][][];
  if ('mu' in model) {
    checkFactorMdp(model, 'model');
    P = Array.from({ length: model.H }, (_, h) => kernel(model, h));
    R = Array.from({ length: model.H }, (_, h) => rewards(model, h));
  } else {
    checkTabular(model?.P, model?.R);
    P = model.P;
    R = model.R;
  }
  const H = P.length;
  const S = P[0]!.length;
  const A = P[0]![0]!.length;
  checkPolicy(policy, H, S, A);
  const V: number[][] = new Array(H);
  let vNext = new Array<number>(S).fill(0);
  for (let h = H - 1; h >= 0; h--) {
    const q = P[h]!.map((rows, s) =>
      rows.map((row, a) => {
        let v = R[h]![s]![a]!;
        for (let s2 = 0; s2 < S; s2++) if (row[s2] !== 0) v += row[s2]! * vNext[s2]!;
        return v;
      }),
    );
    V[h] = q.map((row, s) => actionValue(row, (policy[h] as ArrayLike<number | number[]>)[s]! as number | number[]));
    vNext = V[h]!;
  }
  return V;
}
