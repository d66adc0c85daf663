import { checkOptions, DroError, describeValue, opt, type Rng, toRng } from '@drojs/dro-core/host';
import { type LinearMdpDataset, type Transition, tabularDataset } from './dataset.js';
import { checkFactorMdp, checkTabular, type FactorMdp, kernel, rewards } from './mdp.js';

/** An index drawn from the probability vector `p` (one uniform; rounding falls to the last positive entry). @internal */
export function drawIndex(p: ArrayLike<number>, rng: Rng): number {
  const u = rng.uniform();
  let acc = 0;
  for (let k = 0; k < p.length; k++) {
    acc += p[k]!;
    if (u < acc) return k;
  }
  // Rounding left u above the last cumulative sum: the last state with positive mass.
  for (let k = p.length - 1; k >= 0; k--) if (p[k]! > 0) return k;
  return p.length - 1;
}

function checkCount(n: number, argument: string): void {
  opt.integer({ min: 1 }).require().check(n, argument);
}

/**
 * One-hot dataset with `perPair` sampled next states for every (h, s, a) of a tabular model (the data of
 * robust-rl spec §8.A–B). Seeded (`Rng`, number or string); draws in h, s, a order.
 */
export function sampleTabularDataset(
  P: number[][][][],
  R: number[][][],
  perPair: number,
  rng: Rng | number | string,
): LinearMdpDataset {
  const { H, S, A } = checkTabular(P, R);
  checkCount(perPair, 'perPair');
  const r = toRng(rng);
  const steps = Array.from({ length: H }, (_, h) => {
    const list: [number, number, number, number | null][] = [];
    for (let s = 0; s < S; s++) {
      for (let a = 0; a < A; a++) {
        for (let k = 0; k < perPair; k++)
          list.push([s, a, R[h]![s]![a]!, h < H - 1 ? drawIndex(P[h]![s]![a]!, r) : null]);
      }
    }
    return list;
  });
  return tabularDataset(S, A, H, steps);
}

/**
 * The exact-frequency one-hot dataset: `perPair` transitions per (h, s, a) with next states in exact proportion
 * `P·perPair` (every product must be a whole number within 1e-9, else E_SPEC).
 */
export function exactFrequencyDataset(P: number[][][][], R: number[][][], perPair: number): LinearMdpDataset {
  const { H, S, A } = checkTabular(P, R);
  checkCount(perPair, 'perPair');
  const steps = Array.from({ length: H }, (_, h) => {
    const list: [number, number, number, number | null][] = [];
    for (let s = 0; s < S; s++) {
      for (let a = 0; a < A; a++) {
        for (let s2 = 0; s2 < S; s2++) {
          const c = P[h]![s]![a]![s2]! * perPair;
          const n = Math.round(c);
          if (Math.abs(c - n) > 1e-9) {
            throw new DroError('E_SPEC', `P[${h}][${s}][${a}][${s2}]·perPair is not a whole number`, {
              argument: 'perPair',
              received: describeValue(perPair),
            });
          }
          for (let k = 0; k < n; k++) list.push([s, a, R[h]![s]![a]!, h < H - 1 ? s2 : null]);
        }
      }
    }
    return list;
  });
  return tabularDataset(S, A, H, steps);
}

/**
 * Trajectories of the uniformly random policy in a factor MDP from its initial state (robust-rl spec §8.C):
 * `numEpisodes` episodes of H transitions; rewards `φᵀθ_h`; next features of every action; next states in
 * `terminalStates` are marked terminal (their value is 0 by definition).
 */
export function sampleTrajectories(
  mdp: FactorMdp,
  numEpisodes: number,
  rng: Rng | number | string,
  opts: { terminalStates?: number[] } = {},
): LinearMdpDataset {
  checkFactorMdp(mdp);
  checkCount(numEpisodes, 'numEpisodes');
  checkOptions(opts, { terminalStates: opt.array() }, 'sampleTrajectories');
  const r = toRng(rng);
  const terminal = new Set(opts.terminalStates ?? []);
  const P = Array.from({ length: mdp.H }, (_, h) => kernel(mdp, h));
  const Rw = Array.from({ length: mdp.H }, (_, h) => rewards(mdp, h));
  const steps: Transition[][] = Array.from({ length: mdp.H }, () => []);
  for (let e = 0; e < numEpisodes; e++) {
    let s = mdp.initState;
    for (let h = 0; h < mdp.H; h++) {
      const a = r.int(mdp.A);
      const s2 = drawIndex(P[h]![s]![a]!, r);
      const tr: Transition = { phi: mdp.phi[h]![s]![a]!, reward: Rw[h]![s]![a]! };
      if (h < mdp.H - 1) {
        if (terminal.has(s2)) tr.nextTerminal = true;
        else tr.nextPhi = mdp.phi[h + 1]![s2]!;
      }
      steps[h]!.push(tr);
      s = s2;
    }
  }
  return { H: mdp.H, d: mdp.d, nActions: mdp.A, steps };
}
