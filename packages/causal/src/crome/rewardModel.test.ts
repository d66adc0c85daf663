import { createRng } from '@drojs/dro-core';
import { checkStatefulContract, expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import type { PairKind, PreferencePair } from './pairs.js';
import { RewardModel } from './rewardModel.js';
import { linearReward, trainLinearReward } from './trainLinear.js';
import { parsePreferencePairs } from './validatePairs.js';

const KINDS: PairKind[] = ['original', 'causal', 'neutral'];

function pairs(label: string, n: number, d = 3): PreferencePair<number[]>[] {
  const rng = createRng(label);
  return Array.from({ length: n }, (_, i) => ({
    chosen: Array.from({ length: d }, () => rng.normal() + 0.5),
    rejected: Array.from({ length: d }, () => rng.normal()),
    kind: KINDS[i % 3] as PairKind,
  }));
}

checkStatefulContract({
  name: 'RewardModel',
  make: () => new RewardModel({ dim: 3, learningRate: 0.3, l2: 0.01, batchSize: 8, seed: 'rm-contract' }),
  step: (m, i) => ({ loss: m.update(pairs(`rm-step:${i}`, 20)), theta: m.theta }),
  fromState: RewardModel.fromState,
  badOptions: { key: 'learningRtae', make: () => new RewardModel({ dim: 3, learningRtae: 0.1 } as never) },
  badStep: (m) => {
    const p = pairs('rm-bad', 20);
    p[7] = { ...p[7]!, rejected: [0, Number.NaN, 0] };
    return m.update(p);
  },
  leakRepeats: 0,
});

describe('RewardModel', () => {
  it('full-batch fit equals trainLinearReward; scores are θᵀφ; state round trip scores bit-identically', () => {
    const p = pairs('rm-fit', 30);
    const m = new RewardModel({ dim: 3, learningRate: 0.5, l2: 1e-3 });
    const r = m.fit(p, { steps: 50 });
    const t = trainLinearReward(p, { steps: 50, learningRate: 0.5, l2: 1e-3 });
    expect(Array.from(m.theta)).toEqual(Array.from(t.model.theta));
    expect(r.lossRegularized).toBe(t.lossRegularized);
    const feats = [
      [1, 2, 3],
      [0, -1, 0.5],
    ];
    const s = m.score(feats);
    const th = m.theta;
    expect(s[0]).toBe((th[0] as number) * 1 + (th[1] as number) * 2 + (th[2] as number) * 3);
    const back = RewardModel.fromState(JSON.parse(JSON.stringify(m.getState())));
    expect(Array.from(back.score(feats))).toEqual(Array.from(s));
    expect(Array.from(linearReward(th).score(feats))).toEqual(Array.from(s));
    expect(m.summary()).toContain('RewardModel');
  });

  it('reports progress every 100 steps and stops on abort with E_ABORTED', () => {
    const p = pairs('rm-progress', 12);
    const seen: number[] = [];
    new RewardModel({ dim: 3 }).fit(p, { steps: 250, onProgress: (done) => seen.push(done) });
    expect(seen).toEqual([100, 200, 250]);
    const ac = new AbortController();
    const m = new RewardModel({ dim: 3 });
    expectDroError(
      () =>
        m.fit(p, {
          steps: 1000,
          onProgress: (done) => {
            if (done === 100) ac.abort();
          },
          signal: ac.signal,
        }),
      'E_ABORTED',
    );
    expect(m.numUpdates).toBe(100);
  });

  it('bad pairs → DroError naming the row, before any change', () => {
    const m = new RewardModel({ dim: 3 });
    const before = JSON.stringify(m.getState());
    const p = pairs('rm-badrows', 10);
    expectDroError(() => m.update([...p.slice(0, 4), { ...p[4]!, chosen: [1, 2] }]), 'E_SHAPE', 'pairs[4].chosen');
    expectDroError(
      () => m.update([...p.slice(0, 2), { ...p[2]!, kind: 'tie' as PairKind }]),
      'E_SPEC',
      'pairs[2].kind',
    );
    expectDroError(() => m.update([{ ...p[0]!, weight: -1 }]), 'E_SPEC', 'pairs[0].weight');
    expectDroError(() => m.update([{ ...p[0]!, target: 2 }]), 'E_SPEC', 'pairs[0].target');
    expectDroError(() => m.update([{ ...p[0]!, rejected: [0, 'x' as never, 0] }]), 'E_DTYPE', 'pairs[0].rejected[1]');
    expectDroError(() => m.update([]), 'E_EMPTY', 'pairs');
    expectDroError(() => m.score([[1, 2, Number.POSITIVE_INFINITY]]), 'E_NONFINITE', 'features[0][2]');
    expectDroError(() => new RewardModel({ dim: 0 }), 'E_SPEC', 'dim');
    expectDroError(() => RewardModel.fromState({ ...m.getState(), theta: [1, 2] }), 'E_STATE_VERSION', 'state.theta');
    expect(JSON.stringify(m.getState())).toBe(before);
  });

  it('pair files: JSON Lines errors name the line, arrays the row; bad JSON → E_IO', () => {
    const p = pairs('rm-file', 3);
    const lines = p.map((x) => JSON.stringify(x));
    expect(parsePreferencePairs(`${lines.join('\n')}\n`)).toHaveLength(3);
    expect(parsePreferencePairs(JSON.stringify(p))).toHaveLength(3);
    const badRow = [lines[0], '', lines[1], JSON.stringify({ ...p[2], rejected: [1, null, 0] })].join('\n');
    expectDroError(() => parsePreferencePairs(badRow), 'E_NONFINITE', 'line 4');
    expectDroError(() => parsePreferencePairs([lines[0], '{"chosen": [1,'].join('\n')), 'E_IO', 'line 2');
    expectDroError(
      () => parsePreferencePairs(JSON.stringify([p[0], { ...p[1], kind: 'x' }])),
      'E_SPEC',
      'pairs[1].kind',
    );
    expectDroError(() => parsePreferencePairs('[1, 2'), 'E_IO', 'text');
  });
});
