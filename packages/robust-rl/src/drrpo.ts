import { checkOptions, DroError, opt, worstCaseExpectation } from '@drojs/dro-core/host';
import { checkArray, checkFactorMdp, checkSimplex, type FactorMdp } from './mdp.js';

/**
 * Soft value of a stochastic policy under reference regularisation:
 * `Σ_a π_a (q_a − β log(π_a / π_ref,a))` with `0·log 0 = 0` (DR-RPO, robust-rl spec §6.2).
 */
export function softValue(pi: ArrayLike<number>, q: ArrayLike<number>, ref: ArrayLike<number>, beta: number): number {
  let v = 0;
  for (let a = 0; a < q.length; a++) {
    const p = pi[a]!;
    if (p <= 0) continue;
    v += p * q[a]!;
    if (beta !== 0) v -= beta * p * Math.log(p / ref[a]!);
  }
  return v;
}

function logSumExp(x: Float64Array): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of x) if (v > m) m = v;
  if (m === Number.NEGATIVE_INFINITY) return m;
  let s = 0;
  for (const v of x) s += Math.exp(v - m);
  return m + Math.log(s);
}

/**
 * One KL-regularised mirror-descent step in closed form: the maximiser over the simplex of
 * `⟨p, q⟩ − β KL(p‖π_ref) − (1/η) KL(p‖π)` is
 * `log p = (log π + ηβ log π_ref + η q)/(1 + ηβ) − logsumexp(·)`, computed in the log domain with the max shift.
 * Returns log-probabilities.
 */
export function mirrorStep(
  logPi: ArrayLike<number>,
  logRef: ArrayLike<number>,
  q: ArrayLike<number>,
  opts: { eta: number; beta: number },
): Float64Array {
  const n = q.length;
  if (n === 0) throw new DroError('E_EMPTY', 'q is empty', { argument: 'q' });
  checkArray(logPi, n, 'logPi');
  checkArray(logRef, n, 'logRef');
  const { eta, beta } = checkOptions(
    opts,
    { eta: opt.number({ min: 0, minExclusive: true }).require(), beta: opt.number({ min: 0 }).require() },
    'mirrorStep',
  );
  const z = new Float64Array(n);
  for (let a = 0; a < n; a++) z[a] = (logPi[a]! + eta * beta * logRef[a]! + eta * q[a]!) / (1 + eta * beta);
  const lse = logSumExp(z);
  for (let a = 0; a < n; a++) z[a]! -= lse;
  return z;
}

function checkRegularization(opts: { beta: number; rho: number }, caller: string): void {
  checkOptions(
    opts,
    { beta: opt.number({ min: 0, minExclusive: true }).require(), rho: opt.number({ min: 0, max: 1 }).require() },
    caller,
  );
}

function checkStochastic(pi: number[][][], mdp: FactorMdp, argument: string): void {
  checkArray(pi, mdp.H, argument);
  for (let h = 0; h < mdp.H; h++) {
    checkArray(pi[h], mdp.S, `${argument}[${h}]`);
    for (let s = 0; s < mdp.S; s++) {
      checkArray(pi[h]![s], mdp.A, `${argument}[${h}][${s}]`);
      checkSimplex(pi[h]![s]!, `${argument}[${h}][${s}]`);
    }
  }
}

/** `Q_h = r_h + Σ_i φ_i ν_i(V_{h+1})` with the TV-ball worst case of radius ρ per factor. */
function robustQ(mdp: FactorMdp, h: number, vNext: number[], rho: number): number[][] {
  const nu = mdp.mu[h]!.map((mu) => worstCaseExpectation(vNext, mu, { kind: 'tv', eps: rho }).value);
  const th = mdp.theta[h]!;
  return mdp.phi[h]!.map((rows) =>
    rows.map((f) => {
      let q = 0;
      for (let i = 0; i < mdp.d; i++) if (f[i] !== 0) q += f[i]! * (th[i]! + nu[i]!);
      return q;
    }),
  );
}

/**
 * Exact regularised robust DP of DR-RPO (reconstructed objective, robust-rl spec §6.2): TV-ball radius ρ per
 * factor, reference policy `ref [H][S][A]`, β > 0: `V_h(s) = β log Σ_a π_ref(a|s) e^{Q_h(s,a)/β}`, optimal
 * policy `π*_h(a|s) ∝ π_ref(a|s) e^{Q_h(s,a)/β}`.
 */
export function regularizedRobustDp(
  mdp: FactorMdp,
  ref: number[][][],
  opts: { beta: number; rho: number },
): { V: number[][]; policy: number[][][] } {
  checkFactorMdp(mdp);
  checkRegularization(opts, 'regularizedRobustDp');
  checkStochastic(ref, mdp, 'ref');
  const V: number[][] = new Array(mdp.H);
  const policy: number[][][] = new Array(mdp.H);
  let vNext = new Array<number>(mdp.S).fill(0);
  for (let h = mdp.H - 1; h >= 0; h--) {
    const Q = robustQ(mdp, h, vNext, opts.rho);
    V[h] = new Array(mdp.S);
    policy[h] = Q.map((q, s) => {
      const r = ref[h]![s]!;
      const z = new Float64Array(mdp.A);
      for (let a = 0; a < mdp.A; a++) z[a] = r[a]! > 0 ? Math.log(r[a]!) + q[a]! / opts.beta : Number.NEGATIVE_INFINITY;
      const lse = logSumExp(z);
      V[h]![s] = opts.beta * lse;
      return Array.from(z, (x) => Math.exp(x - lse));
    });
    vNext = V[h]!;
  }
  return { V, policy };
}

/** Regularised robust value `V [H][S]` of a stochastic policy: log-sum-exp replaced by {@link softValue}. */
export function regularizedRobustEvaluate(
  mdp: FactorMdp,
  pi: number[][][],
  ref: number[][][],
  opts: { beta: number; rho: number },
): number[][] {
  checkFactorMdp(mdp);
  checkRegularization(opts, 'regularizedRobustEvaluate');
  checkStochastic(ref, mdp, 'ref');
  checkStochastic(pi, mdp, 'pi');
  const V: number[][] = new Array(mdp.H);
  let vNext = new Array<number>(mdp.S).fill(0);
  for (let h = mdp.H - 1; h >= 0; h--) {
    const Q = robustQ(mdp, h, vNext, opts.rho);
    V[h] = Q.map((q, s) => softValue(pi[h]![s]!, q, ref[h]![s]!, opts.beta));
    vNext = V[h]!;
  }
  return V;
}

/** The uniform reference policy `[H][S][A]`. */
export function uniformPolicy(H: number, S: number, A: number): number[][][] {
  return Array.from({ length: H }, () => Array.from({ length: S }, () => new Array<number>(A).fill(1 / A)));
}
