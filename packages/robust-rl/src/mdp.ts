import { checkIndex, checkLength, checkOptions, DroError, describeValue, opt } from '@drojs/dro-core/host';

/**
 * An exact d-rectangular linear MDP ("factor MDP"): `P_h(s'|s,a) = Σ_i φ_i(s,a) μ_{h,i}(s')`,
 * `r_h(s,a) = φ(s,a)ᵀθ_h`, steps h = 0 … H−1 (0-based), `V_H ≡ 0`.
 */
export interface FactorMdp {
  H: number;
  S: number;
  A: number;
  d: number;
  /** `[H][S][A][d]`, each vector on the simplex. */
  phi: number[][][][];
  /** `[H][d][S]`, each factor a distribution over states. */
  mu: number[][][];
  /** `[H][d]` reward parameters (rewards in [0, 1]). */
  theta: number[][];
  initState: number;
}

/** A tabular model: kernels `P [H][S][A][S]` and rewards `R [H][S][A]`. */
export interface TabularModel {
  P: number[][][][];
  R: number[][][];
}

const SIMPLEX_TOL = 1e-9;

/** @internal Throws E_NONFINITE, or E_SPEC (off the simplex), unless `v` is a probability vector. */
export function checkSimplex(v: ArrayLike<number>, argument: string): void {
  let s = 0;
  for (let k = 0; k < v.length; k++) {
    const x = v[k]!;
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new DroError('E_NONFINITE', `${argument}[${k}] is not finite`, { argument, received: describeValue(x) });
    }
    if (x < 0) {
      throw new DroError('E_SPEC', `${argument}[${k}] is negative`, {
        argument,
        expected: 'a probability vector',
        received: describeValue(x),
      });
    }
    s += x;
  }
  if (Math.abs(s - 1) > SIMPLEX_TOL) {
    throw new DroError('E_SPEC', `${argument} does not sum to 1`, {
      argument,
      expected: 'a sum of 1 within 1e-9',
      received: `a sum of ${s}`,
    });
  }
}

/** @internal Throws E_SHAPE unless `x` is an array (or typed array) of length n (dro-core's `checkLength`). */
export function checkArray(x: unknown, n: number, argument: string): void {
  if (!x || typeof x !== 'object' || typeof (x as ArrayLike<unknown>).length !== 'number') {
    throw new DroError('E_SHAPE', `${argument} must be an array of length ${n}`, {
      argument,
      expected: `length ${n}`,
      received: describeValue(x),
    });
  }
  checkLength((x as ArrayLike<unknown>).length, n, argument, 'index of its dimension');
}

function checkDims(H: number, S: number, A: number): void {
  if (!Number.isInteger(H) || H < 1)
    throw new DroError('E_EMPTY', 'H must be ≥ 1', { argument: 'H', received: describeValue(H) });
  if (!Number.isInteger(S) || S < 1)
    throw new DroError('E_EMPTY', 'S must be ≥ 1', { argument: 'S', received: describeValue(S) });
  if (!Number.isInteger(A) || A < 1)
    throw new DroError('E_EMPTY', 'there must be at least one action', { argument: 'A', received: describeValue(A) });
}

/** Validates a factor MDP's shapes, simplices and rewards (E_SHAPE, E_SPEC off the simplex, E_NONFINITE, E_EMPTY). */
export function checkFactorMdp(mdp: FactorMdp, argument = 'mdp'): void {
  if (!mdp || typeof mdp !== 'object') throw new DroError('E_SHAPE', `${argument} must be a FactorMdp`, { argument });
  const { H, S, A, d } = mdp;
  checkDims(H, S, A);
  if (!Number.isInteger(d) || d < 1)
    throw new DroError('E_SHAPE', `${argument}.d must be ≥ 1`, { argument: `${argument}.d` });
  checkArray(mdp.phi, H, `${argument}.phi`);
  checkArray(mdp.mu, H, `${argument}.mu`);
  checkArray(mdp.theta, H, `${argument}.theta`);
  for (let h = 0; h < H; h++) {
    checkArray(mdp.phi[h], S, `${argument}.phi[${h}]`);
    for (let s = 0; s < S; s++) {
      checkArray(mdp.phi[h]![s], A, `${argument}.phi[${h}][${s}]`);
      for (let a = 0; a < A; a++) {
        const f = mdp.phi[h]![s]![a]!;
        checkArray(f, d, `${argument}.phi[${h}][${s}][${a}]`);
        checkSimplex(f, `${argument}.phi[${h}][${s}][${a}]`);
      }
    }
    checkArray(mdp.mu[h], d, `${argument}.mu[${h}]`);
    for (let i = 0; i < d; i++) {
      checkArray(mdp.mu[h]![i], S, `${argument}.mu[${h}][${i}]`);
      checkSimplex(mdp.mu[h]![i]!, `${argument}.mu[${h}][${i}]`);
    }
    checkArray(mdp.theta[h], d, `${argument}.theta[${h}]`);
    for (let i = 0; i < d; i++) {
      if (!Number.isFinite(mdp.theta[h]![i])) {
        throw new DroError('E_NONFINITE', `${argument}.theta[${h}][${i}] is not finite`, {
          argument: `${argument}.theta`,
        });
      }
    }
  }
  if (!Number.isInteger(mdp.initState) || mdp.initState < 0 || mdp.initState >= S) {
    throw new DroError('E_INDEX_RANGE', `${argument}.initState is not a state`, {
      argument: `${argument}.initState`,
      received: describeValue(mdp.initState),
    });
  }
}

/** Validates a tabular model `{P, R}` and returns its dimensions. */
export function checkTabular(P: number[][][][], R: number[][][] | undefined): { H: number; S: number; A: number } {
  if (!Array.isArray(P) || P.length === 0)
    throw new DroError('E_EMPTY', 'P must hold at least one step', { argument: 'P' });
  const H = P.length;
  const S = P[0]?.length ?? 0;
  const A = P[0]?.[0]?.length ?? 0;
  checkDims(H, S, A);
  for (let h = 0; h < H; h++) {
    checkArray(P[h], S, `P[${h}]`);
    for (let s = 0; s < S; s++) {
      checkArray(P[h]![s], A, `P[${h}][${s}]`);
      for (let a = 0; a < A; a++) {
        checkArray(P[h]![s]![a], S, `P[${h}][${s}][${a}]`);
        checkSimplex(P[h]![s]![a]!, `P[${h}][${s}][${a}]`);
      }
    }
  }
  if (R !== undefined) {
    checkArray(R, H, 'R');
    for (let h = 0; h < H; h++) {
      checkArray(R[h], S, `R[${h}]`);
      for (let s = 0; s < S; s++) {
        checkArray(R[h]![s], A, `R[${h}][${s}]`);
        for (let a = 0; a < A; a++) {
          if (!Number.isFinite(R[h]![s]![a])) {
            throw new DroError('E_NONFINITE', `R[${h}][${s}][${a}] is not finite`, { argument: 'R' });
          }
        }
      }
    }
  }
  return { H, S, A };
}

/**
 * The one-hot ("tabular-as-linear") factor form of a tabular MDP: `d = S·A`, `φ(s,a) = e_{s·A+a}`,
 * `μ_{h,(s,a)} = P_h(·|s,a)`, `θ_h = r_h` flattened.
 */
export function tabularMdp(P: number[][][][], R: number[][][], initState = 0): FactorMdp {
  const { H, S, A } = checkTabular(P, R);
  const d = S * A;
  const oneHot = (k: number) => Array.from({ length: d }, (_, i) => (i === k ? 1 : 0));
  const phiStep = Array.from({ length: S }, (_, s) => Array.from({ length: A }, (_, a) => oneHot(s * A + a)));
  const mdp: FactorMdp = {
    H,
    S,
    A,
    d,
    phi: Array.from({ length: H }, () => phiStep),
    mu: P.map((Ph) => Ph.flatMap((row) => row.map((p) => [...p]))),
    theta: R.map((Rh) => Rh.flatMap((row) => [...row])),
    initState,
  };
  checkFactorMdp(mdp);
  return mdp;
}

/** `P_h [S][A][S]` of a factor MDP. */
export function kernel(mdp: FactorMdp, h: number): number[][][] {
  const mu = mdp.mu[h]!;
  return mdp.phi[h]!.map((row) =>
    row.map((f) => {
      const p = new Array<number>(mdp.S).fill(0);
      for (let i = 0; i < mdp.d; i++) {
        if (f[i] === 0) continue;
        for (let s2 = 0; s2 < mdp.S; s2++) p[s2]! += f[i]! * mu[i]![s2]!;
      }
      return p;
    }),
  );
}

/** `R_h [S][A] = φ(s,a)ᵀθ_h`. */
export function rewards(mdp: FactorMdp, h: number): number[][] {
  const th = mdp.theta[h]!;
  return mdp.phi[h]!.map((row) => row.map((f) => f.reduce((acc, x, i) => acc + x * th[i]!, 0)));
}

/** The tabular model `{P, R}` of a factor MDP (all steps). */
export function toTabular(mdp: FactorMdp): TabularModel {
  return {
    P: Array.from({ length: mdp.H }, (_, h) => kernel(mdp, h)),
    R: Array.from({ length: mdp.H }, (_, h) => rewards(mdp, h)),
  };
}

function checkEps(eps: number): void {
  opt.number({ min: 0, max: 1 }).require().check(eps, 'eps');
}

/**
 * In-support shift: every row `P_h(·|s, action)` of a non-trap state becomes `(1 − ε)P + ε·δ_trap` (ε of the
 * risky action's mass moves to the trap). Returns a new array.
 */
export function shiftRisky(P: number[][][][], eps: number, opts: { trap: number; action: number }): number[][][][] {
  const { S, A } = checkTabular(P, undefined);
  checkEps(eps);
  checkOptions(opts, { trap: opt.integer().require(), action: opt.integer().require() }, 'shiftRisky');
  checkIndex(opts.trap, S, 'trap');
  checkIndex(opts.action, A, 'action');
  return P.map((Ph) =>
    Ph.map((rows, s) =>
      rows.map((row, a) =>
        s === opts.trap || a !== opts.action
          ? [...row]
          : row.map((p, s2) => (1 - eps) * p + (s2 === opts.trap ? eps : 0)),
      ),
    ),
  );
}

/** TV shift of size ε in every row: `(1 − ε)P + ε·δ_trap`. Returns a new array. */
export function shiftGlobal(P: number[][][][], eps: number, opts: { trap: number }): number[][][][] {
  const { S } = checkTabular(P, undefined);
  checkEps(eps);
  checkOptions(opts, { trap: opt.integer().require() }, 'shiftGlobal');
  checkIndex(opts.trap, S, 'trap');
  return P.map((Ph) =>
    Ph.map((rows) => rows.map((row) => row.map((p, s2) => (1 - eps) * p + (s2 === opts.trap ? eps : 0)))),
  );
}
