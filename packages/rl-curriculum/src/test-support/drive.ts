// Deterministic synthetic driver for the checkpoint tests: the "world" is a pure function of (uid, step),
// outcomes come from an Rng seeded by the step, so two processes replaying the same decisions see the same data.
import { createRng } from '@drojs/dro-core/host';
import { OnlineDifficultyClassifier } from '../classifier.js';
import { DumpScheduler } from '../dump.js';
import { PromptGdroSampler } from '../promptGdro/sampler.js';
import type { GroupResult } from '../results.js';
import { RolloutGdroAllocator } from '../rolloutGdro/allocator.js';
import { ZeroVarianceAccumulator } from '../zeroVariance.js';

export const POOL = Array.from({ length: 240 }, (_, i) => `idx:${i}`);
const level = (uid: string): number => Number(uid.slice(4)) % 6;
const pOf = (uid: string, step: number): number =>
  1 / (1 + Math.exp(-(2 - level(uid) + 0.03 * step * (1 + 0.2 * level(uid)))));

export type Kind =
  | 'classifier'
  | 'pgdroResample'
  | 'pgdroReweight'
  | 'rgdroSqrt'
  | 'rgdroExp3p'
  | 'dump'
  | 'zeroVariance';
export const KINDS: Kind[] = [
  'classifier',
  'pgdroResample',
  'pgdroReweight',
  'rgdroSqrt',
  'rgdroExp3p',
  'dump',
  'zeroVariance',
];

type Ctrl =
  | OnlineDifficultyClassifier
  | PromptGdroSampler
  | RolloutGdroAllocator
  | DumpScheduler
  | ZeroVarianceAccumulator;

export function create(kind: Kind): Ctrl {
  const classifier = {
    edges: [0.1, 0.2, 0.4, 0.6, 0.8, 0.9],
    historyLen: 8,
    hysteresis: 0.03,
    indicator: 'anyOfN' as const,
  };
  switch (kind) {
    case 'classifier':
      return new OnlineDifficultyClassifier(classifier);
    case 'pgdroResample':
      return new PromptGdroSampler({ mode: 'resample', form: 'code', pool: POOL, seed: 5, classifier });
    case 'pgdroReweight':
      return new PromptGdroSampler({ mode: 'reweight', classifier });
    case 'rgdroSqrt':
      return new RolloutGdroAllocator({ mode: 'sqrt', classifier });
    case 'rgdroExp3p':
      return new RolloutGdroAllocator({ mode: 'exp3p', classifier });
    case 'dump':
      return new DumpScheduler({
        sources: ['l0', 'l1', 'l2', 'l3', 'l4', 'l5'],
        window: 40,
        pool: POOL.map((uid) => ({ uid, source: `l${level(uid)}` })),
        seed: 9,
      });
    case 'zeroVariance':
      return new ZeroVarianceAccumulator({ targetGroups: 12, maxRounds: 0 });
  }
}

export function restore(kind: Kind, state: unknown): Ctrl {
  const s = state as never;
  switch (kind) {
    case 'classifier':
      return OnlineDifficultyClassifier.fromState(s);
    case 'pgdroResample':
    case 'pgdroReweight':
      return PromptGdroSampler.fromState(s);
    case 'rgdroSqrt':
    case 'rgdroExp3p':
      return RolloutGdroAllocator.fromState(s);
    case 'dump':
      return DumpScheduler.fromState(s);
    case 'zeroVariance':
      return ZeroVarianceAccumulator.fromState(s);
  }
}

function batchOf(step: number, size: number): string[] {
  return Array.from(createRng(`batch:${step}`).choice(POOL.length, size), (i) => POOL[i] as string);
}

function resultsFor(uids: readonly string[], counts: readonly number[], step: number, dump = false): GroupResult[] {
  const rng = createRng(`outcomes:${step}`);
  return uids.map((uid, k) => {
    const p = pOf(uid, step);
    const rewards = Array.from({ length: counts[k] as number }, () => (rng.uniform() < p ? 1 : 0));
    return dump ? { uid, rewards, source: `l${level(uid)}` } : { uid, rewards };
  });
}

/** First half of a step: the decision (sample / weights / allocate). */
export function decide(kind: Kind, c: Ctrl, step: number): { out: unknown; uids: string[]; counts: number[] } {
  switch (kind) {
    case 'pgdroResample': {
      const r = (c as PromptGdroSampler).sample(16);
      return { out: r, uids: r.uids, counts: r.uids.map(() => 4) };
    }
    case 'pgdroReweight': {
      const uids = batchOf(step, 16);
      const counts = uids.map((_, i) => 2 + ((i + step) % 5));
      return { out: (c as PromptGdroSampler).weights(uids, { rolloutCounts: counts }), uids, counts };
    }
    case 'rgdroSqrt':
    case 'rgdroExp3p': {
      const uids = batchOf(step, 16);
      const r = (c as RolloutGdroAllocator).allocate(uids);
      return { out: r, uids, counts: r.counts };
    }
    case 'dump': {
      const r = (c as DumpScheduler).sample(16);
      return { out: r, uids: r.uids, counts: r.uids.map(() => 4) };
    }
    default: {
      const uids = batchOf(step, 16);
      return { out: null, uids, counts: uids.map(() => 4) };
    }
  }
}

/** Second half: report results. */
export function report(kind: Kind, c: Ctrl, step: number, d: { uids: string[]; counts: number[] }): unknown {
  const results = resultsFor(d.uids, d.counts, step, kind === 'dump');
  switch (kind) {
    case 'classifier': {
      const cl = c as OnlineDifficultyClassifier;
      const m = cl.update(results);
      return { m, labels: d.uids.map((u) => cl.peek(u)), acc: d.uids.map((u) => cl.accuracy(u)) };
    }
    case 'zeroVariance': {
      const z = c as ZeroVarianceAccumulator;
      const r = z.add(results);
      return { r, taken: r.done ? z.take().map((g) => g.uid) : null, gen: z.rolloutsGenerated, kept: z.rolloutsKept };
    }
    default:
      return (c as { update(r: GroupResult[]): unknown }).update(results);
  }
}

/** Runs steps [from, to) and returns every return value. */
export function run(kind: Kind, c: Ctrl, from: number, to: number): unknown[] {
  const outs: unknown[] = [];
  for (let t = from; t < to; t++) {
    const d = decide(kind, c, t);
    outs.push(d.out, report(kind, c, t, d));
  }
  return outs;
}
