import { DroError, describeValue } from '@drojs/dro-core/host';
import { type FactorMdp, tabularMdp } from './mdp.js';

/**
 * The tabular trap MDP of robust-rl spec §8.0: road states 0–4, absorbing zero-reward trap 5, actions
 * 0 ("safe", never reaches the trap) and 1 ("risky", about twice the reward, trap with probability 0.25),
 * H = 4, start state 0, the same kernel and rewards at every step (all probabilities multiples of 1/20).
 */
export function trapMdp(H = 4): FactorMdp {
  const safe = [
    [0.2, 0.2, 0.3, 0.1, 0.2, 0],
    [0.45, 0.15, 0.2, 0.15, 0.05, 0],
    [0.2, 0.15, 0.4, 0.1, 0.15, 0],
    [0.25, 0.15, 0.1, 0.25, 0.25, 0],
    [0.3, 0.25, 0.2, 0, 0.25, 0],
  ];
  const risky = [
    [0.2, 0.15, 0.2, 0.1, 0.1, 0.25],
    [0.25, 0.1, 0.2, 0.05, 0.15, 0.25],
    [0.3, 0.05, 0.15, 0.05, 0.2, 0.25],
    [0.15, 0.25, 0, 0.25, 0.1, 0.25],
    [0.05, 0.1, 0.25, 0.3, 0.05, 0.25],
  ];
  const rSafe = [0.425, 0.411, 0.436, 0.433, 0.415];
  const rRisky = [0.806, 0.852, 0.878, 0.813, 0.903];
  const trap = [0, 0, 0, 0, 0, 1];
  const P = Array.from({ length: H }, () => [...safe.map((row, s) => [row, risky[s]!]), [trap, trap]]);
  const R = Array.from({ length: H }, () => [...rSafe.map((r, s) => [r, rRisky[s]!]), [0, 0]]);
  return tabularMdp(P, R, 0);
}

/**
 * The simulated linear MDP of the R2PVI paper's code (robust-rl spec §8.C): states x1..x5 (0..4), 16 actions
 * `{−1, 1}⁴` in itertools.product order, d = 4, H = 3, δ = 0.3, ξ = 0.05·1, fail state x4 (index 3) and
 * absorbing x5 (index 4); the test perturbation q moves mass of factor 4 at h = 0 from x5 to the fail state.
 */
export function paperLinearMdp(q = 0): FactorMdp {
  if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
    throw new DroError('E_SPEC', 'q must lie in [0, 1]', { argument: 'q', received: describeValue(q) });
  }
  const H = 3;
  const S = 5;
  const A = 16;
  const delta = 0.3;
  const xi = 0.05;
  const ts = Array.from({ length: A }, (_, k) => {
    let t = 0;
    for (let j = 0; j < 4; j++) t += xi * ((k >> (3 - j)) & 1 ? 1 : -1);
    return t;
  });
  const phiStep = Array.from({ length: S }, (_, s) =>
    ts.map((t) => {
      if (s <= 2) {
        const f = [0, 0, 0, 0];
        f[s] = 1 - delta - t;
        f[3] = delta + t;
        return f;
      }
      return s === 3 ? [0, 0, 1, 0] : [0, 0, 0, 1];
    }),
  );
  const point = (s: number) => Array.from({ length: S }, (_, k) => (k === s ? 1 : 0));
  const mu = (h: number) => [
    [0, 0.999, 0, 0.001, 0],
    [0, 0, 0.999, 0.001, 0],
    point(3),
    h === 0 ? [0, 0, 0, q, 1 - q] : point(4),
  ];
  return {
    H,
    S,
    A,
    d: 4,
    phi: Array.from({ length: H }, () => phiStep),
    mu: Array.from({ length: H }, (_, h) => mu(h)),
    theta: [
      [0, 0, 0, 0],
      [0, 0, 0, 1],
      [0, 0, 0, 1],
    ],
    initState: 0,
  };
}
