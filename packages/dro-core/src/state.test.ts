import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { GroupDroWeights, groupMeans } from './group.js';
import { BestBy, RunningMean } from './metrics.js';
import { IndexedMovingLogMeanExp, MovingLogMeanExp } from './moving.js';
import { decodeF32, decodeF64, encodeF32, encodeF64 } from './state.js';
import { describeBackends, expectDroError } from './testing/index.js';

const roundTrip = <T>(s: T): T => JSON.parse(JSON.stringify(s));

describe('state round trips continue bit-exactly', () => {
  it('GroupDroWeights (both orders, with adjustments)', () => {
    for (const order of ['update-then-loss', 'loss-then-update'] as const) {
      const a = new GroupDroWeights({ nGroups: 3, etaQ: 0.3, order, adjustments: 1, groupSizes: [100, 50, 9] });
      a.stepHost([0.5, 1.2, 2]);
      const b = GroupDroWeights.fromState(roundTrip(a.getState()));
      for (const L of [
        [0.1, 0.2, 3],
        [1, 1, 1],
        [2.5, 0, 0.25],
      ]) {
        expect(b.stepHost(L)).toEqual(a.stepHost(L));
      }
      expect(Array.from(b.weights())).toEqual(Array.from(a.weights()));
    }
  });
  it('MovingLogMeanExp (cosine schedule) and IndexedMovingLogMeanExp (unvisited entries as null)', () => {
    const m = new MovingLogMeanExp({ lambda: 0.7, gamma: 0.2, schedule: { type: 'cosine', steps: 5 } });
    m.updateHost([0.5, 1, 2]);
    const m2 = MovingLogMeanExp.fromState(roundTrip(m.getState()));
    for (const l of [
      [1, 2, 3],
      [0, 0.5, 4],
      [2, 2, 2],
    ])
      expect(m2.updateHost(l)).toEqual(m.updateHost(l));
    const ix = new IndexedMovingLogMeanExp({ size: 4, tau: 0.5 });
    ix.updateHost([0, 2], [0.5, -0.25, 0, 1], 2);
    const s = roundTrip(ix.getState());
    expect(s.logU[1]).toBeNull();
    const ix2 = IndexedMovingLogMeanExp.fromState(s);
    expect(ix2.updateHost([2, 1], [1, 0, 0.25, 0.5], 2)).toEqual(ix.updateHost([2, 1], [1, 0, 0.25, 0.5], 2));
  });
  it('RunningMean and BestBy', () => {
    const r = new RunningMean().add(1).add(2);
    const r2 = RunningMean.fromState(roundTrip(r.getState()));
    expect(r2.add(6).value).toBe(r.add(6).value);
    expect(r.value).toBe(3);
    const b = new BestBy({ mode: 'max' });
    b.update(0.5, 1);
    const b2 = BestBy.fromState(roundTrip(b.getState()));
    expect(b2.update(0.4, 2)).toBe(false);
    expect(b2.update(0.6, 3)).toBe(true);
    expect(b2.step).toBe(3);
  });
  it('base64 codecs are bit-exact (NaN included)', () => {
    const v = Float64Array.from([Math.PI, Number.NaN, -0, 1e-300, Number.POSITIVE_INFINITY]);
    const d = decodeF64(roundTrip(encodeF64(v)));
    expect(Array.from(d).map(String)).toEqual(Array.from(v).map(String));
    expect(Object.is(d[2], -0)).toBe(true);
    const f = Float32Array.from([1.5, -2.25, 3e-8]);
    expect(Array.from(decodeF32(roundTrip(encodeF32(f, [3]))))).toEqual(Array.from(f));
  });
  it('foreign kinds and versions are rejected before anything is built', () => {
    const g = new GroupDroWeights({ nGroups: 2 }).getState();
    expectDroError(() => GroupDroWeights.fromState({ ...g, version: 99 } as never), 'E_STATE_VERSION', 'state.version');
    expectDroError(() => MovingLogMeanExp.fromState(g as never), 'E_STATE_VERSION', 'state.kind');
    expectDroError(() => IndexedMovingLogMeanExp.fromState(null as never), 'E_SPEC', 'state');
  });
});

describe('bad input leaves state untouched', () => {
  it('GroupDroWeights: wrong length, NaN; options out of range', () => {
    const g = new GroupDroWeights({ nGroups: 3, etaQ: 0.5 });
    g.stepHost([1, 2, 3]);
    const s = JSON.stringify(g.getState());
    expectDroError(() => g.stepHost([1, 2]), 'E_SHAPE', 'groupLosses');
    expectDroError(() => g.stepHost([1, Number.NaN, 2]), 'E_NONFINITE', 'groupLosses');
    // Finite but huge losses overflow the exponentiated-gradient step: refused, q stays usable.
    const big = new GroupDroWeights({ numGroups: 3, etaQ: 10 });
    big.updateHost([1, 2, 3]);
    const bigState = JSON.stringify(big.getState());
    expectDroError(() => big.updateHost([1e308, 1, 2]), 'E_NONFINITE', 'groupLosses');
    expect(JSON.stringify(big.getState())).toBe(bigState);
    expect(GroupDroWeights.fromState(JSON.parse(bigState)).updateHost([1, 2, 3]).loss).toBeGreaterThan(0);
    // A tampered checkpoint (weights summing to 445) is rejected instead of loading silently.
    const tampered = JSON.parse(bigState);
    tampered.logQ = tampered.logQ.map((v: number) => v + Math.log(445));
    expectDroError(() => GroupDroWeights.fromState(tampered), 'E_STATE_VERSION', 'logQ');
    expect(JSON.stringify(g.getState())).toBe(s);
    expectDroError(() => new GroupDroWeights({ nGroups: 0 }), 'E_SPEC', 'nGroups');
    expectDroError(() => new GroupDroWeights({ nGroups: 2, etaQ: -1 }), 'E_SPEC', 'etaQ');
    expectDroError(() => new GroupDroWeights({ nGroups: 2, adjustments: 1 }), 'E_SPEC', 'groupSizes');
  });
  it('moving estimators: bad γ, out-of-range and duplicate indices, NaN', () => {
    expectDroError(() => new MovingLogMeanExp({ lambda: 1, gamma: 0 }), 'E_SPEC', 'gamma');
    expectDroError(() => new MovingLogMeanExp({ lambda: 1, gamma: 1.5 }), 'E_SPEC', 'gamma');
    const ix = new IndexedMovingLogMeanExp({ size: 3, tau: 1 });
    ix.updateHost([0], [1, 2], 2);
    const s = JSON.stringify(ix.getState());
    expectDroError(() => ix.updateHost([3], [1, 2], 2), 'E_INDEX_RANGE', 'indices');
    expectDroError(() => ix.updateHost([1, 1], [1, 2, 3, 4], 2), 'E_INDEX_RANGE', 'indices');
    expectDroError(() => ix.updateHost([1], [1, Number.NaN], 2), 'E_NONFINITE', 'inner');
    expect(JSON.stringify(ix.getState())).toBe(s);
    const m = new MovingLogMeanExp({ lambda: 1 });
    m.updateHost([1, 2]);
    const ms = JSON.stringify(m.getState());
    expectDroError(() => m.updateHost([]), 'E_EMPTY', 'losses');
    expectDroError(() => m.updateHost([Number.POSITIVE_INFINITY]), 'E_NONFINITE', 'losses');
    expect(JSON.stringify(m.getState())).toBe(ms);
  });
});

describeBackends('groupMeans', ['cpu', 'wasm'], () => {
  it('is differentiable and gives mean 0, count 0 for absent groups; rejects bad ids', () => {
    const v = tf.tensor1d([1, 3, 0.5, 0.25]);
    const { means, counts } = groupMeans(v, [0, 0, 2, 2], 3);
    expect(Array.from(means.dataSync())).toEqual([2, 0, 0.375]);
    expect(Array.from(counts)).toEqual([2, 0, 2]);
    const g = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.mul(groupMeans(x as tf.Tensor1D, [0, 0, 2, 2], 3).means, tf.tensor1d([1, 10, 100]))),
    )(v);
    expect(Array.from(g.dataSync())).toEqual([0.5, 0.5, 50, 50]);
    expectDroError(() => groupMeans(v, [0, 0, 3, 2], 3), 'E_LABEL_RANGE', 'groupIds');
    expectDroError(() => groupMeans(v, [0, 0, 1.5, 2], 3), 'E_DTYPE', 'groupIds');
    expectDroError(() => groupMeans(v, [0, 0, 2], 3), 'E_SHAPE', 'groupIds');
    tf.dispose([v, means, g]);
  });
});
