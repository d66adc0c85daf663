import { checkOptions, checkSeed, createRng, DroError, opt, type Rng } from '@drojs/dro-core/host';
import type { PreferencePair } from './pairs.js';

/** True causal weights of the synthetic study: quality `q(φ) = wᵀc` on the first three features. */
export const CROME_SYNTHETIC_W = [1, 0.7, 0.5] as const;

/** The "irrelevant prompt" causal vector of neutral pairs (cancels for a linear model). */
const C_IRRELEVANT = [-2, 0, 0] as const;

const quality = (phi: readonly number[]): number =>
  CROME_SYNTHETIC_W[0] * (phi[0] as number) +
  CROME_SYNTHETIC_W[1] * (phi[1] as number) +
  CROME_SYNTHETIC_W[2] * (phi[2] as number);

/** Options of {@link cromeSynthetic}: exactly one of `rng`/`seed`. */
export interface CromeSyntheticOptions {
  rng?: Rng;
  seed?: number | string;
  /** Probability that the chosen answer has the larger style (the shortcut); in [0, 1], default 0.9. */
  pShortcut?: number;
  nPairs?: number;
  nCausal?: number;
  nNeutral?: number;
}

/** The data sets of the synthetic reward-hacking study. */
export interface CromeSyntheticData {
  original: PreferencePair<number[]>[];
  causal: PreferencePair<number[]>[];
  neutral: PreferencePair<number[]>[];
  /** Fresh pairs of the original process with shortcut probability `pShortcut` (1 − ρ: anti-correlated). */
  testPairs(n: number, pShortcut: number, rng: Rng): PreferencePair<number[]>[];
  /** Best-of-N candidates: `c ~ N(0, I₃)`, style `s ~ N(0, 4·I₂)` (style is cheap to inflate). */
  candidates(trials: number, nMax: number, rng: Rng): { features: number[][][]; quality: number[][] };
  wTrue: number[];
}

function originalPair(rng: Rng, rho: number): PreferencePair<number[]> {
  const cA = [rng.normal(), rng.normal(), rng.normal()];
  const cB = [rng.normal(), rng.normal(), rng.normal()];
  const aWins = quality(cA) + rng.normal() > quality(cB) + rng.normal();
  const s0 = [rng.normal(), rng.normal()];
  const g = [Math.abs(rng.normal()) + 0.5, Math.abs(rng.normal()) + 0.5];
  const sign = rng.uniform() < rho ? 1 : -1; // +1: the chosen answer gets the larger style (the shortcut)
  const sChosen = s0.map((v, j) => v + (sign * (g[j] as number)) / 2);
  const sRejected = s0.map((v, j) => v - (sign * (g[j] as number)) / 2);
  const [cChosen, cRejected] = aWins ? [cA, cB] : [cB, cA];
  return { chosen: [...cChosen, ...sChosen], rejected: [...cRejected, ...sRejected], kind: 'original' };
}

/**
 * The synthetic setting of spec crome.md §8.1: answers `φ = [c; s]` (causal `c ∈ R³`, style `s ∈ R²`), true
 * quality `wᵀc`, `w = (1, 0.7, 0.5)`. In the original pairs the preferred answer also has the larger style with
 * probability `pShortcut`, so a plain Bradley–Terry model learns to reward style. Causal augmentations move one
 * causal attribute of one answer by ±U(0.3, 1) (better answer chosen); neutral augmentations keep both styles
 * and give both answers the same irrelevant-prompt causal vector (a tie). Forks `'crome/pairs'`,
 * `'crome/causal'`, `'crome/neutral'` of the given RNG (or of `createRng(seed)`).
 */
export function cromeSynthetic(o: CromeSyntheticOptions): CromeSyntheticData {
  const v = checkOptions(
    o,
    {
      rng: opt.object(),
      seed: opt.seed(),
      pShortcut: opt.number({ min: 0, max: 1 }),
      nPairs: opt.integer({ min: 1 }),
      nCausal: opt.integer({ min: 0 }),
      nNeutral: opt.integer({ min: 0 }),
    },
    'cromeSynthetic',
  );
  if ((v.rng === undefined) === (v.seed === undefined))
    throw new DroError('E_SPEC', 'cromeSynthetic: give exactly one of rng and seed', { argument: 'opts.rng' });
  const base = v.rng ?? createRng(checkSeed(v.seed, 'opts.seed'));
  const rho = v.pShortcut ?? 0.9;
  const rPairs = base.fork('crome/pairs');
  const original = Array.from({ length: v.nPairs ?? 2000 }, () => originalPair(rPairs, rho));
  const rCausal = base.fork('crome/causal');
  const causal = Array.from({ length: v.nCausal ?? 2000 }, (): PreferencePair<number[]> => {
    const p = original[rCausal.int(original.length)] as PreferencePair<number[]>;
    const answer = rCausal.uniform() < 0.5 ? p.chosen : p.rejected;
    const k = rCausal.int(3);
    const delta = 0.3 + 0.7 * rCausal.uniform();
    const sign = rCausal.uniform() < 0.5 ? 1 : -1;
    const moved = answer.slice();
    moved[k]! += sign * delta;
    const attribute = `c${k}`;
    return sign > 0
      ? { chosen: moved, rejected: answer.slice(), kind: 'causal', attribute }
      : { chosen: answer.slice(), rejected: moved, kind: 'causal', attribute };
  });
  const rNeutral = base.fork('crome/neutral');
  const neutral = Array.from({ length: v.nNeutral ?? 2000 }, (): PreferencePair<number[]> => {
    const p = original[rNeutral.int(original.length)] as PreferencePair<number[]>;
    return {
      chosen: [...C_IRRELEVANT, ...p.chosen.slice(3)],
      rejected: [...C_IRRELEVANT, ...p.rejected.slice(3)],
      kind: 'neutral',
    };
  });
  return {
    original,
    causal,
    neutral,
    testPairs: (n, pShortcut, rng) => Array.from({ length: n }, () => originalPair(rng, pShortcut)),
    candidates: (trials, nMax, rng) => {
      const features: number[][][] = [];
      const q: number[][] = [];
      for (let t = 0; t < trials; t++) {
        const row: number[][] = [];
        for (let j = 0; j < nMax; j++)
          row.push([rng.normal(), rng.normal(), rng.normal(), 2 * rng.normal(), 2 * rng.normal()]);
        features.push(row);
        q.push(row.map(quality));
      }
      return { features, quality: q };
    },
    wTrue: [...CROME_SYNTHETIC_W],
  };
}
