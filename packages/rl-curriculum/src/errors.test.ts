import { DroError } from '@drojs/dro-core/host';
import { describe, expect, it } from 'vitest';
import {
  DumpScheduler,
  drmScore,
  drpoKlPenalty,
  drpoWeights,
  grpoAdvantages,
  integerizeAllocation,
  OnlineDifficultyClassifier,
  PromptGdroAdversary,
  PromptGdroSampler,
  passAtK,
  proportionalExtraAllocation,
  RolloutArmBandit,
  RolloutGdroAllocator,
  rsdStep,
  sqrtLaw,
  ZeroVarianceAccumulator,
  zeroVarianceMask,
} from './index.js';

/** Asserts a DroError with `code` whose message names `argument`. */
function expectError(fn: () => unknown, code: string, argument: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, `expected ${code} naming ${argument}`).toBeInstanceOf(DroError);
  expect((err as DroError).code).toBe(code);
  expect((err as DroError).message).toContain(argument);
}

/** Same, and the object's full state (RNG included) is unchanged afterwards. */
function expectErrorNoChange(obj: { getState(): unknown }, fn: () => unknown, code: string, argument: string): void {
  const before = JSON.stringify(obj.getState());
  expectError(fn, code, argument);
  expect(JSON.stringify(obj.getState())).toBe(before);
}

describe('stateless functions reject bad input with the documented code', () => {
  it('grpoAdvantages / zeroVarianceMask', () => {
    expectError(() => grpoAdvantages([[1, Number.NaN]]), 'E_NONFINITE', 'groups[0][1]');
    expectError(() => grpoAdvantages([[1, null]]), 'E_NONFINITE', 'groups[0][1]');
    expectError(() => grpoAdvantages([[1, '2' as unknown as number]]), 'E_DTYPE', 'groups[0][1]');
    expectError(() => grpoAdvantages([[1]], { scale: 'row' as 'group' }), 'E_SPEC', 'options.scale');
    expectError(() => grpoAdvantages([[1]], { epsilon: 1 } as never), 'E_SPEC', "unknown option 'epsilon'");
    expectError(() => zeroVarianceMask([[1, Number.POSITIVE_INFINITY]]), 'E_NONFINITE', 'groups[0][1]');
  });

  it('passAtK', () => {
    expectError(() => passAtK(4, 5, 2), 'E_LABEL_RANGE', 'c');
    expectError(() => passAtK(4, 2, 5), 'E_SPEC', 'k');
    expectError(() => passAtK(4.5, 2, 1), 'E_DTYPE', 'n');
    expectError(() => passAtK(0, 0, 1), 'E_SPEC', 'n');
  });

  it('DRPO', () => {
    expectError(
      () => drpoWeights({ correct: [true, false], lengths: [10, 9000] }, { maxLength: 8192 }),
      'E_LABEL_RANGE',
      'question.lengths[1]',
    );
    expectError(
      () => drpoWeights({ correct: [true, false], lengths: [10, 9.5] }, { maxLength: 8192 }),
      'E_DTYPE',
      'question.lengths[1]',
    );
    expectError(
      () => drpoWeights({ correct: [true, false], lengths: [10] }, { maxLength: 8192 }),
      'E_SHAPE',
      'question.lengths',
    );
    expectError(
      () => drpoWeights({ correct: [true], lengths: [1] }, { maxLength: 10, lambda: 0 }),
      'E_SPEC',
      'options.lambda',
    );
    expectError(() => drpoWeights({ correct: [true], lengths: [1] }, { maxLength: 0 }), 'E_SPEC', 'options.maxLength');
    expectError(() => drpoKlPenalty(-1), 'E_LABEL_RANGE', 'kl');
  });

  it('RSD / DRM', () => {
    const t = new Map([[1, 0.5]]);
    expectError(() => rsdStep(new Map(), t, 0), 'E_EMPTY', 'teacherTop');
    expectError(() => rsdStep(new Map([[1, 1.5]]), t, 0), 'E_LABEL_RANGE', 'teacherTop');
    expectError(() => rsdStep(new Map([[-1, 0.5]]), t, 0), 'E_DTYPE', 'teacherTop');
    expectError(() => rsdStep(t, t, [0.1, 0.2]), 'E_SHAPE', 'draw');
    expectError(
      () => drmScore({ reasonLogp: [], answerLogp: [-1], relevance: 0, coherence: 0 }, [1, 1, 1]),
      'E_EMPTY',
      'x.reasonLogp',
    );
    expectError(
      () => drmScore({ reasonLogp: [-1], answerLogp: [-1], relevance: Number.NaN, coherence: 0 }, [1, 1, 1]),
      'E_NONFINITE',
      'x.relevance',
    );
  });

  it('allocation helpers', () => {
    expectError(() => integerizeAllocation([0, 0], [3], 100, 2, 12), 'E_SPEC', 'total');
    expectError(() => integerizeAllocation([0, 1], [3], 6, 2, 12), 'E_LABEL_RANGE', 'promptBins[1]');
    expectError(() => integerizeAllocation([0], [3], 3, 5, 4), 'E_SPEC', 'nMin');
    expectError(() => integerizeAllocation([0], [3], 3, 2.5, 4), 'E_DTYPE', 'nMin');
    expectError(() => proportionalExtraAllocation([1, -1], 6, 2, 4), 'E_LABEL_RANGE', 'weights[1]');
    expectError(() => sqrtLaw([1, 1], [0.1], { meanBudget: 4, nMin: 2, nMax: 12 }), 'E_SHAPE', 'v');
    expectError(() => sqrtLaw([1], [-0.1], { meanBudget: 4, nMin: 2, nMax: 12 }), 'E_LABEL_RANGE', 'v[0]');
    expectError(() => sqrtLaw([1], [0.1], { meanBudget: 20, nMin: 2, nMax: 12 }), 'E_SPEC', 'options.meanBudget');
  });
});

describe('constructors validate every option before creating anything', () => {
  it('classifier', () => {
    expectError(() => new OnlineDifficultyClassifier({ hysteresis: 0.5 }), 'E_SPEC', 'options.hysteresis');
    expectError(() => new OnlineDifficultyClassifier({ edges: [0.5, 0.2] }), 'E_SPEC', 'options.edges');
    expectError(() => new OnlineDifficultyClassifier({ edges: [0, 0.5] }), 'E_SPEC', 'options.edges[0]');
    expectError(() => new OnlineDifficultyClassifier({ bins: 3 } as never), 'E_SPEC', "unknown option 'bins'");
  });
  it('controllers', () => {
    expectError(() => new RolloutGdroAllocator({ nMin: 5, nMax: 3 }), 'E_SPEC', 'options.nMin');
    expectError(() => new RolloutGdroAllocator({ nMin: 2.5 }), 'E_DTYPE', 'options.nMin');
    expectError(() => new RolloutArmBandit({ nMin: 2, nMax: 4, meanBudget: 5 }), 'E_SPEC', 'options.meanBudget');
    expectError(() => new PromptGdroAdversary({ gamma: 2 }), 'E_SPEC', 'options.gamma');
    expectError(() => new PromptGdroAdversary({ emaBeta: 0 }), 'E_SPEC', 'options.emaBeta');
    expectError(() => new PromptGdroAdversary({ maxWeight: 0 }), 'E_SPEC', 'options.maxWeight');
    expectError(() => new PromptGdroSampler({ mode: 'resample' }), 'E_SPEC', 'options.pool');
    expectError(() => new PromptGdroSampler({ mode: 'resample', pool: ['a', 'a'] }), 'E_SPEC', 'options.pool[1]');
    expectError(() => new DumpScheduler({ sources: [] }), 'E_EMPTY', 'options.sources');
    expectError(() => new DumpScheduler({ sources: ['a'], tau: 0 }), 'E_SPEC', 'options.tau');
    expectError(() => new DumpScheduler({ sources: ['a'], window: 0 }), 'E_SPEC', 'options.window');
    expectError(() => new DumpScheduler({ sources: ['a'], c: -1 }), 'E_SPEC', 'options.c');
    expectError(() => new ZeroVarianceAccumulator({ targetGroups: 0 }), 'E_SPEC', 'options.targetGroups');
  });
});

describe('methods reject bad input before any state or RNG change', () => {
  const results = [{ uid: 'a', rewards: [1, 0, 1, 1] }];

  it('classifier', () => {
    const c = new OnlineDifficultyClassifier();
    c.update(results);
    expectErrorNoChange(c, () => c.observe('a', 1.5), 'E_LABEL_RANGE', 'value');
    expectErrorNoChange(
      c,
      () => c.update([{ uid: 'a', rewards: [1, Number.NaN] }]),
      'E_NONFINITE',
      'results[0].rewards[1]',
    );
    expectErrorNoChange(c, () => c.update([{ uid: 'a', rewards: [1], bin: '99' }]), 'E_LABEL_RANGE', 'results[0].bin');
    expectErrorNoChange(c, () => c.update([{ uid: '', rewards: [1] }]), 'E_LABEL_RANGE', 'results[0].uid');
  });

  it('Prompt-GDRO sampler (resample and reweight)', () => {
    const s = new PromptGdroSampler({ mode: 'resample', pool: ['a', 'b', 'c'], seed: 3 });
    s.sample(2);
    s.update(results);
    expectErrorNoChange(s, () => s.sample(0), 'E_SPEC', 'batchSize');
    expectErrorNoChange(s, () => s.sample(2.5), 'E_DTYPE', 'batchSize');
    expectErrorNoChange(s, () => s.weights(['a']), 'E_SPEC', 'weights');
    expectErrorNoChange(
      s,
      () => s.update([results[0] as never, { uid: 'b', rewards: [1, null as unknown as number] }]),
      'E_NONFINITE',
      'results[1].rewards[1]',
    );
    expectErrorNoChange(
      s,
      () => s.update([{ uid: 'b', rewards: [1, 0], correct: [true] }]),
      'E_SHAPE',
      'results[0].correct',
    );
    expectErrorNoChange(s, () => s.addToPool(['c']), 'E_SPEC', 'uids[0]');
    const w = new PromptGdroSampler({ mode: 'reweight' });
    w.weights(['a', 'b']);
    w.update(results);
    expectErrorNoChange(w, () => w.sample(2), 'E_SPEC', 'sample');
    expectErrorNoChange(w, () => w.weights(['a', 'b'], { rolloutCounts: [4] }), 'E_SHAPE', 'options.rolloutCounts');
    expectErrorNoChange(
      w,
      () => w.update([{ uid: 'a', rewards: [1e308, -1e308], loss: Number.POSITIVE_INFINITY }]),
      'E_NONFINITE',
      'results[0].loss',
    );
  });

  it('adversary', () => {
    const a = new PromptGdroAdversary();
    a.update(['0'], [0.5]);
    expectErrorNoChange(a, () => a.update(['0', '1'], [0.5]), 'E_SHAPE', 'losses');
    expectErrorNoChange(a, () => a.update(['0'], [Number.NaN]), 'E_NONFINITE', 'losses[0]');
  });

  it('Rollout-GDRO allocator and bandit', () => {
    const r = new RolloutGdroAllocator({ mode: 'exp3p' });
    const a = r.allocate(['a', 'b']);
    expectErrorNoChange(r, () => r.allocate([]), 'E_EMPTY', 'uids');
    expectErrorNoChange(r, () => r.allocate(['a', 'b'], { totalBudget: 3 }), 'E_SPEC', 'total');
    expectErrorNoChange(r, () => r.allocate(['a'], { totalBudget: 4.5 }), 'E_DTYPE', 'options.totalBudget');
    expectErrorNoChange(
      r,
      () => r.update([{ uid: 'a', rewards: [1, 0], advantages: [1] }]),
      'E_SHAPE',
      'results[0].advantages',
    );
    r.update([{ uid: 'a', rewards: Array(a.counts[0]).fill(1) }]);
    const b = new RolloutArmBandit({ nMin: 2, nMax: 4 });
    expectErrorNoChange(b, () => b.update({ x: 9 }, { x: 1 }, { x: 1 }), 'E_LABEL_RANGE', 'choice.x');
    expectErrorNoChange(b, () => b.choose({ x: -1 }, 4), 'E_LABEL_RANGE', 'binCounts.x');
  });

  it('DUMP', () => {
    const d = new DumpScheduler({ sources: ['a', 'b'], pool: [{ uid: 'p', source: 'a' }], seed: 1 });
    d.sample(3);
    d.update([{ uid: 'p', rewards: [1, 0] }]);
    expectErrorNoChange(
      d,
      () => d.update([{ uid: 'q', rewards: [1, 0], source: 'zzz' }]),
      'E_LABEL_RANGE',
      'results[0].source',
    );
    expectErrorNoChange(d, () => d.update([{ uid: 'q', rewards: [1, 0] }]), 'E_LABEL_RANGE', 'results[0].source');
    expectErrorNoChange(d, () => d.updateAdvantages({ c: [1] }), 'E_LABEL_RANGE', 'perSource.c');
    expectErrorNoChange(d, () => d.sample(-1), 'E_SPEC', 'batchSize');
    const noPool = new DumpScheduler({ sources: ['a'] });
    expectErrorNoChange(noPool, () => noPool.sample(2), 'E_SPEC', 'pool');
  });

  it('fromState rejects a wrong kind or version 2', () => {
    const s = new PromptGdroSampler({ mode: 'resample', pool: ['a'] });
    const st = s.getState();
    expectError(() => PromptGdroSampler.fromState({ ...st, version: 2 } as never), 'E_STATE_VERSION', 'state.version');
    expectError(() => DumpScheduler.fromState(st as never), 'E_STATE_VERSION', 'state.kind');
    expectError(
      () =>
        OnlineDifficultyClassifier.fromState({
          ...new OnlineDifficultyClassifier().getState(),
          uids: [['a', 1]],
        } as never),
      'E_SHAPE',
      'state.uids[0]',
    );
    expectError(
      () => RolloutGdroAllocator.fromState({ ...new RolloutGdroAllocator().getState(), v: [['0', -1]] } as never),
      'E_SPEC',
      'state.v[0][1]',
    );
  });

  it('ZeroVarianceAccumulator: refill beyond maxRounds is E_EMPTY and leaves state unchanged', () => {
    const z = new ZeroVarianceAccumulator({ targetGroups: 2, maxRounds: 2 });
    expect(
      z.add([
        { uid: 'a', rewards: [1, 0] },
        { uid: 'b', rewards: [1, 1] },
      ]),
    ).toEqual({ done: false, kept: 1, needed: 1 });
    expectErrorNoChange(z, () => z.add([{ uid: 'c', rewards: [0, 0] }]), 'E_EMPTY', 'groups');
    expect(
      z.add([
        { uid: 'd', rewards: [0, 1] },
        { uid: 'e', rewards: [1, 0] },
      ]),
    ).toEqual({ done: true, kept: 2, needed: 0 });
    expect(z.take().map((g) => g.uid)).toEqual(['a', 'd']);
    expect(z.rolloutsGenerated).toBe(8);
  });
});
