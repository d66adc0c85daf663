import { createRng } from '@drojs/dro-core';
import { expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { bestOfN, pairAccuracy } from './evaluate.js';
import { CROME_SYNTHETIC_W, cromeSynthetic } from './synthetic.js';
import { linearReward, trainLinearReward } from './trainLinear.js';

// The §8.4 acceptance of the synthetic study on one seed (the example runs seeds 101–102 and the full table).
describe('cromeSynthetic study (spec §8.4, seed 101)', () => {
  it('Crome removes the style shortcut that plain BT learns', () => {
    const root = createRng(101);
    const data = cromeSynthetic({ rng: root });
    const testRng = root.fork('crome/test');
    const inDist = data.testPairs(5000, 0.9, testRng);
    const anti = data.testPairs(5000, 0.1, testRng);
    const cand = data.candidates(2000, 64, root.fork('crome/candidates'));
    const train = { steps: 3000, learningRate: 0.5, l2: 1e-3 };
    const bt = trainLinearReward(data.original, train).model;
    const crome = trainLinearReward([...data.original, ...data.causal, ...data.neutral], train).model;
    const oracle = linearReward([...CROME_SYNTHETIC_W, 0, 0]);
    const ratio = (t: Float64Array) => Math.hypot(t[3]!, t[4]!) / Math.hypot(t[0]!, t[1]!, t[2]!);
    const bon64 = (m: typeof bt) =>
      bestOfN(
        cand.features.map((f) => Array.from(m.score(f))),
        cand.quality,
        [64],
      )[64]!.meanQuality;
    expect(pairAccuracy(crome.deltas(anti))).toBeGreaterThanOrEqual(pairAccuracy(bt.deltas(anti)) + 0.25);
    expect(ratio(crome.theta)).toBeLessThanOrEqual(0.15);
    expect(ratio(bt.theta)).toBeGreaterThanOrEqual(0.5);
    expect(bon64(crome)).toBeGreaterThanOrEqual(bon64(bt) + 0.9);
    expect(Math.abs(bon64(crome) - bon64(oracle))).toBeLessThanOrEqual(0.15);
    expect(pairAccuracy(bt.deltas(inDist))).toBeGreaterThanOrEqual(pairAccuracy(crome.deltas(inDist)));
  });

  it('generates the documented pair sets; neutral pairs share the causal part; exactly one of rng/seed', () => {
    const d = cromeSynthetic({ seed: 7, nPairs: 50, nCausal: 20, nNeutral: 10 });
    expect([d.original.length, d.causal.length, d.neutral.length]).toEqual([50, 20, 10]);
    for (const p of d.neutral) expect(p.chosen.slice(0, 3)).toEqual(p.rejected.slice(0, 3));
    for (const p of d.causal) {
      expect(p.chosen.slice(3)).toEqual(p.rejected.slice(3)); // style untouched
      const q = (f: number[]) => f[0]! + 0.7 * f[1]! + 0.5 * f[2]!;
      expect(q(p.chosen)).toBeGreaterThan(q(p.rejected));
    }
    expectDroError(() => cromeSynthetic({}), 'E_SPEC', 'rng');
    expectDroError(() => cromeSynthetic({ seed: 1, rng: createRng(1) }), 'E_SPEC', 'rng');
  });
});
