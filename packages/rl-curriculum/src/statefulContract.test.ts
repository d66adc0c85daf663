import { checkStatefulContract } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import {
  createCurriculumService,
  curriculumServiceFromState,
  DumpScheduler,
  OnlineDifficultyClassifier,
  PromptGdroAdversary,
  PromptGdroSampler,
  RolloutArmBandit,
  RolloutGdroAllocator,
  ZeroVarianceAccumulator,
} from './index.js';
import { decide, report } from './test-support/drive.js';

// Every stateful class of the package through dro-core's one contract kit. All are host-only (no tensors),
// so the leak check is off (leakRepeats: 0). Steps reuse the deterministic world of test-support/drive.ts.
function stepOf<T>(kind: Parameters<typeof decide>[0]): (c: T, i: number) => unknown {
  return (c, i) => {
    const d = decide(kind, c as never, i);
    return { out: d.out, report: report(kind, c as never, i, d) };
  };
}

const classifierOptions = { edges: [0.2, 0.5, 0.8], historyLen: 6, indicator: 'anyOfN' as const };

checkStatefulContract({
  name: 'OnlineDifficultyClassifier',
  make: () => new OnlineDifficultyClassifier(classifierOptions),
  step: stepOf<OnlineDifficultyClassifier>('classifier'),
  fromState: OnlineDifficultyClassifier.fromState,
  badOptions: { key: 'histroyLen', make: () => new OnlineDifficultyClassifier({ histroyLen: 4 } as never) },
  badStep: (c) => c.update([{ uid: 'idx:1', rewards: [1, Number.NaN] }]),
  leakRepeats: 0,
});

checkStatefulContract({
  name: 'ZeroVarianceAccumulator',
  make: () => new ZeroVarianceAccumulator({ targetGroups: 40, maxRounds: 0 }),
  step: stepOf<ZeroVarianceAccumulator>('zeroVariance'),
  fromState: ZeroVarianceAccumulator.fromState,
  badOptions: { key: 'targetGroup', make: () => new ZeroVarianceAccumulator({ targetGroup: 4 } as never) },
  badStep: (z) => z.add([{ uid: 'idx:1', rewards: [0, Number.NaN] }]),
  leakRepeats: 0,
});

checkStatefulContract({
  name: 'RolloutGdroAllocator',
  make: () => new RolloutGdroAllocator({ mode: 'exp3p', classifier: classifierOptions }),
  step: stepOf<RolloutGdroAllocator>('rgdroExp3p'),
  fromState: RolloutGdroAllocator.fromState,
  badOptions: { key: 'nmin', make: () => new RolloutGdroAllocator({ nmin: 2 } as never) },
  badStep: (r) => r.allocate(['idx:1', 'idx:2'], { totalBudget: 3 }),
  leakRepeats: 0,
});

checkStatefulContract({
  name: 'RolloutArmBandit',
  make: () => new RolloutArmBandit({ nMin: 2, nMax: 6 }),
  step: (b, i) => {
    const counts = { '0': 3 + (i % 2), '1': 2 };
    const { choice } = b.choose(counts, 20);
    b.update(choice, { '0': 0.1 * i, '1': 0.5 - 0.05 * i }, counts);
    return { choice, scores: b.scores('0'), mu: b.mu };
  },
  fromState: RolloutArmBandit.fromState,
  badOptions: { key: 'nMax_', make: () => new RolloutArmBandit({ nMin: 2, nMax_: 4 } as never) },
  badStep: (b) => b.update({ '0': 99 }, { '0': 1 }, { '0': 1 }),
  leakRepeats: 0,
});

checkStatefulContract({
  name: 'PromptGdroAdversary',
  make: () => new PromptGdroAdversary(),
  step: (a, i) => {
    a.update(['0', '1', '2'], [0.2 + 0.1 * i, 0.9, 0.4 - 0.05 * i], [4, 2 + i, 3]);
    return a.q(['0', '1', '2']);
  },
  fromState: PromptGdroAdversary.fromState,
  badOptions: { key: 'gama', make: () => new PromptGdroAdversary({ gama: 0.1 } as never) },
  badStep: (a) => a.update(['0'], [Number.NaN]),
  leakRepeats: 0,
});

checkStatefulContract({
  name: 'PromptGdroSampler',
  make: () =>
    new PromptGdroSampler({
      mode: 'resample',
      form: 'code',
      pool: Array.from({ length: 240 }, (_, i) => `idx:${i}`),
      seed: 5,
      classifier: classifierOptions,
    }),
  step: stepOf<PromptGdroSampler>('pgdroResample'),
  fromState: PromptGdroSampler.fromState,
  badOptions: { key: 'mdoe', make: () => new PromptGdroSampler({ mdoe: 'resample' } as never) },
  badStep: (s) => s.sample(0),
  leakRepeats: 0,
});

checkStatefulContract({
  name: 'DumpScheduler',
  make: () =>
    new DumpScheduler({
      sources: ['l0', 'l1', 'l2', 'l3', 'l4', 'l5'],
      window: 40,
      pool: Array.from({ length: 240 }, (_, i) => ({ uid: `idx:${i}`, source: `l${i % 6}` })),
      seed: 'dump-9', // a string seed (dro-core's Seed) round-trips too
    }),
  step: stepOf<DumpScheduler>('dump'),
  fromState: DumpScheduler.fromState,
  badOptions: { key: 'windwo', make: () => new DumpScheduler({ sources: ['a'], windwo: 3 } as never) },
  badStep: (d) => d.update([{ uid: 'idx:0', rewards: [1, 0], source: 'nowhere' }]),
  leakRepeats: 0,
});

// The service snapshot: one step is a sample + update round trip through the protocol.
const pool = Array.from({ length: 60 }, (_, i) => `idx:${i}`);
checkStatefulContract({
  name: 'ServiceSnapshot',
  make: () => {
    const s = createCurriculumService();
    s.handle(
      JSON.stringify({
        id: 0,
        method: 'create',
        params: { controller: 'pg', kind: 'promptGdro', config: { mode: 'resample', pool, seed: 2 } },
      }),
    );
    return s;
  },
  step: (s, i) => {
    const sample = JSON.parse(
      s.handle(JSON.stringify({ id: i, method: 'sample', params: { controller: 'pg', batchSize: 4, step: i } })),
    ) as { result: { uids: string[] } };
    const results = sample.result.uids.map((uid, k) => ({ uid, rewards: [(i + k) % 2, 1, 0] }));
    const update = s.handle(
      JSON.stringify({ id: i, method: 'update', params: { controller: 'pg', results, step: i } }),
    );
    return [sample, JSON.parse(update)];
  },
  fromState: (st) => curriculumServiceFromState(st),
  badStep: (s) => s.restore({ kind: '@drojs/rl-curriculum/ServiceSnapshot', version: 1, controllers: [{}] } as never),
  leakRepeats: 0,
});

describe('states written before the platform (kind rl-curriculum/<Class>) still load', () => {
  it('every class and the service snapshot', () => {
    const legacy = <T extends { getState(): unknown }>(obj: T, from: (s: never) => T, old: string): void => {
      const s = JSON.parse(JSON.stringify(obj.getState())) as { kind: string };
      expect(s.kind).toBe(`@drojs/${old}`);
      expect(from({ ...s, kind: old } as never).getState()).toEqual(obj.getState());
    };
    legacy(
      new OnlineDifficultyClassifier(),
      OnlineDifficultyClassifier.fromState,
      'rl-curriculum/OnlineDifficultyClassifier',
    );
    legacy(
      new ZeroVarianceAccumulator({ targetGroups: 2 }),
      ZeroVarianceAccumulator.fromState,
      'rl-curriculum/ZeroVarianceAccumulator',
    );
    legacy(new RolloutGdroAllocator(), RolloutGdroAllocator.fromState, 'rl-curriculum/RolloutGdroAllocator');
    legacy(new RolloutArmBandit({ nMin: 2, nMax: 4 }), RolloutArmBandit.fromState, 'rl-curriculum/RolloutArmBandit');
    legacy(new PromptGdroAdversary(), PromptGdroAdversary.fromState, 'rl-curriculum/PromptGdroAdversary');
    legacy(new PromptGdroSampler({ mode: 'reweight' }), PromptGdroSampler.fromState, 'rl-curriculum/PromptGdroSampler');
    legacy(new DumpScheduler({ sources: ['a'] }), DumpScheduler.fromState, 'rl-curriculum/DumpScheduler');
    legacy(createCurriculumService(), curriculumServiceFromState, 'rl-curriculum/ServiceSnapshot');
  });
});
