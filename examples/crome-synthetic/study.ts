// One seed of the synthetic reward-hacking study (spec crome.md §8): train every reward-model variant on the
// same data and score it on the same test pairs and Best-of-N candidates.
import {
  bestOfN,
  CROME_SYNTHETIC_W,
  cromeSynthetic,
  filterAugmentations,
  keepPairs,
  linearReward,
  type PreferencePair,
  pairAccuracy,
  type RewardModel,
  trainLinearReward,
} from '@drojs/causal';
import { createRng } from '@drojs/dro-core';

export const NS = [1, 4, 16, 64] as const;

export interface Metrics {
  inDist: number;
  anti: number;
  ratio: number;
  bon: number[];
  kept?: { causal: number; neutral: number };
}

export interface StudyOptions {
  seed: number;
  rho: number;
  lambdaTie?: number;
  variants: readonly string[];
}

const TRAIN = { steps: 3000, learningRate: 0.5, l2: 1e-3, lambdaCausal: 1 };

/** ‖θ_s‖/‖θ_c‖: the spurious (style) weight relative to the causal weight. */
function ratio(theta: Float64Array): number {
  const c = Math.hypot(theta[0]!, theta[1]!, theta[2]!);
  return Math.hypot(theta[3]!, theta[4]!) / c;
}

export function runSeed(o: StudyOptions): Record<string, Metrics> {
  const root = createRng(o.seed);
  const data = cromeSynthetic({ rng: root, pShortcut: o.rho });
  const testRng = root.fork('crome/test');
  const inDist = data.testPairs(5000, o.rho, testRng);
  const anti = data.testPairs(5000, 1 - o.rho, testRng);
  const cand = data.candidates(2000, 64, root.fork('crome/candidates'));
  const train = (pairs: PreferencePair<number[]>[]): RewardModel =>
    trainLinearReward(pairs, { ...TRAIN, lambdaTie: o.lambdaTie ?? 1 }).model;
  const evaluate = (m: RewardModel): Metrics => {
    const bon = bestOfN(
      cand.features.map((trial) => Array.from(m.score(trial))),
      cand.quality,
      [...NS],
    );
    return {
      inDist: pairAccuracy(m.deltas(inDist)),
      anti: pairAccuracy(m.deltas(anti)),
      ratio: ratio(m.theta),
      bon: NS.map((n) => bon[n]!.meanQuality),
    };
  };
  const out: Record<string, Metrics> = {};
  let bt: RewardModel | null = null;
  const baseModel = () => (bt ??= train(data.original));
  for (const v of o.variants) {
    if (v === 'BT') out[v] = evaluate(baseModel());
    else if (v === 'BT + causal') out[v] = evaluate(train([...data.original, ...data.causal]));
    else if (v === 'BT + neutral') out[v] = evaluate(train([...data.original, ...data.neutral]));
    else if (v === 'Crome') out[v] = evaluate(train([...data.original, ...data.causal, ...data.neutral]));
    else if (v.startsWith('Crome + filter')) {
      const aug = [...data.causal, ...data.neutral];
      const opts = v.includes('0.6') ? { maxCausalProb: 0.6, minNeutralGap: 0.1 } : {};
      const keep = filterAugmentations(
        baseModel().deltas(aug),
        aug.map((p) => p.kind),
        opts,
      );
      const kept = keepPairs(aug, keep);
      out[v] = {
        ...evaluate(train([...data.original, ...kept])),
        kept: {
          causal: kept.filter((p) => p.kind === 'causal').length,
          neutral: kept.filter((p) => p.kind === 'neutral').length,
        },
      };
    } else if (v === 'Oracle') out[v] = evaluate(linearReward([...CROME_SYNTHETIC_W, 0, 0]));
    else throw new Error(`unknown variant ${v}`);
  }
  return out;
}
