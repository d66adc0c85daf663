import { describe, expect, it } from 'vitest';
import {
  OnlineDifficultyClassifier,
  PromptGdroAdversary,
  PromptGdroSampler,
  paperPromptGdroMultiplier,
  passAtK,
  RolloutGdroAllocator,
} from './index.js';

describe('classifier', () => {
  it('default indicator is pass@8 (plug-in below 8 rollouts); unseen uids land in the hardest bin', () => {
    const c = new OnlineDifficultyClassifier();
    expect(c.classify('new')).toBe('0');
    expect(c.indicatorOf({ uid: 'a', rewards: [1, 0, 0, 0] })).toBeCloseTo(1 - 0.75 ** 8, 15);
    expect(c.indicatorOf({ uid: 'a', rewards: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0] })).toBe(passAtK(10, 1, 8));
    expect(c.indicatorOf({ uid: 'a', rewards: [] })).toBeNull();
  });

  it('hysteresis holds the bin near an edge and moves once past edge ± δ; peek does not commit', () => {
    const c = new OnlineDifficultyClassifier({ edges: [0.5], historyLen: 0, hysteresis: 0.1 });
    c.observe('u', 0);
    expect(c.classify('u')).toBe('0');
    c.observe('u', 1); // acc 0.5: raw bin 1, but 0.5 < 0.5 + δ
    expect(c.classify('u')).toBe('0');
    c.observe('u', 1); // acc 2/3 ≥ 0.6
    expect(c.peek('u')).toBe('1');
    expect(c.getState().uids[0]?.[4]).toBe(0);
    expect(c.classify('u')).toBe('1');
    expect(c.getState().uids[0]?.[4]).toBe(1);
  });
});

describe('Prompt-GDRO', () => {
  it('paper form: unnormalised min(exp(η·clip(S)), ω_max); code form with one class gives 1', () => {
    const a = new PromptGdroAdversary({ normalizeByShare: false });
    a.update(['0', '1'], [0.8, 0.2]);
    const w = a.sampleWeights(['0', '1', '2']);
    expect(w).toEqual([
      paperPromptGdroMultiplier(0.8, { eta: 0.65, clip: 3, maxWeight: 15 }),
      paperPromptGdroMultiplier(0.2, { eta: 0.65, clip: 3, maxWeight: 15 }),
      1,
    ]);
    const b = new PromptGdroAdversary({ form: 'code' });
    b.update(['0'], [0.9]);
    expect(b.sampleWeights(['0', '0'])).toEqual([1, 1]);
  });

  it('focus map ramps bin multipliers in after the warm-up (resample: a zeroed bin is never sampled)', () => {
    const pool = Array.from({ length: 20 }, (_, i) => `p${i}`);
    const s = new PromptGdroSampler({
      mode: 'resample',
      pool,
      seed: 1,
      classifier: { numBins: 2, historyLen: 0, hysteresis: 0 },
      focus: { multipliers: { '0': 0 }, warmupSteps: 1, rampSteps: 0 },
    });
    // Make half the pool easy (bin 1).
    s.update(pool.slice(0, 10).map((uid) => ({ uid, rewards: [1, 1] })));
    const r = s.sample(50);
    expect(r.bins.every((b) => b === '1')).toBe(true);
    expect(r.q).toEqual({ '0': 0, '1': 1 });
    const rw = new PromptGdroSampler({
      mode: 'reweight',
      form: 'code',
      focus: { multipliers: { '0': 2 }, warmupSteps: 0, rampSteps: 4 },
    });
    rw.update([{ uid: 'x', rewards: [0, 0] }]);
    rw.update([{ uid: 'x', rewards: [0, 0] }]);
    // step 2 of a 4-step ramp: factor 1 + 0.5·(2 − 1) = 1.5 on bin 0; single class → base weight 1.
    expect(rw.weights(['x']).weights).toEqual([1.5]);
  });

  it('resample draws prompts without repeats until a bin is exhausted and counts results outside the pool', () => {
    const s = new PromptGdroSampler({ mode: 'resample', pool: ['a', 'b', 'c'], seed: 4 });
    const r = s.sample(3);
    expect([...r.uids].sort()).toEqual(['a', 'b', 'c']);
    expect(s.sample(7).uids.length).toBe(7);
    expect(s.update([{ uid: 'zz', rewards: [1, 0] }]).metrics.outsidePool).toBe(1);
  });
});

describe('Rollout-GDRO', () => {
  it('sqrt mode gives more rollouts to the high-variance bin, uniform n̄ when all v are 0', () => {
    const a = new RolloutGdroAllocator({
      classifier: { numBins: 2, historyLen: 0, hysteresis: 0, indicator: 'anyOfN' },
    });
    const first = a.allocate(['e1', 'e2', 'h1', 'h2']);
    expect(first.counts).toEqual([4, 4, 4, 4]);
    // Without an echoed bin, results count for the label at the start of the call (all unseen → "0"):
    // bin 1 keeps vPrior and the allocation stays near uniform.
    const first2 = new RolloutGdroAllocator({
      classifier: { numBins: 2, historyLen: 0, hysteresis: 0, indicator: 'anyOfN' },
    });
    first2.update([{ uid: 'e1', rewards: [1, 0, 1, 0] }]);
    expect(first2.variances()).toEqual({ '0': 1 / 3 });
    // e*: mixed outcomes (variance 1/3) echoed as bin 1, h*: all wrong (variance 0) as bin 0.
    a.update([
      { uid: 'e1', rewards: [1, 0, 1, 0], bin: '1' },
      { uid: 'e2', rewards: [0, 1, 0, 1], bin: '1' },
      { uid: 'h1', rewards: [0, 0, 0, 0], bin: '0' },
      { uid: 'h2', rewards: [0, 0, 0, 0], bin: '0' },
    ]);
    const next = a.allocate(['e1', 'e2', 'h1', 'h2']);
    expect(next.bins).toEqual(['1', '1', '0', '0']);
    expect(next.counts).toEqual([6, 6, 2, 2]);
    expect(next.counts.reduce((x, y) => x + y)).toBe(16);
  });
});
