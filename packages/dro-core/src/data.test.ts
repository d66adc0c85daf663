import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { batches, gatherRows, groupBalancedBatches, zipStreams } from './data.js';
import { accuracy, cvarOf, groupStats, weightDiagnostics, worstGroup } from './metrics.js';
import { createRng } from './rng.js';
import { describeBackends, expectDroError } from './testing/index.js';

describe('batching', () => {
  it('batches cover every index once per epoch, seeded', () => {
    const all = [...batches(10, { batchSize: 3, rng: createRng(1) })];
    expect(all.map((b) => b.length)).toEqual([3, 3, 3, 1]);
    expect(all.flatMap((b) => Array.from(b)).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    const again = [...batches(10, { batchSize: 3, rng: createRng(1) })];
    expect(again.map((b) => Array.from(b))).toEqual(all.map((b) => Array.from(b)));
    expect([...batches(10, { batchSize: 3, shuffle: false, dropLast: true })].length).toBe(3);
    expectDroError(() => [...batches(10, { batchSize: 3 })], 'E_SPEC', 'rng');
  });
  it('group-balanced sampling draws each present group about equally', () => {
    const groups = [...Array(900).fill(0), ...Array(90).fill(1), ...Array(10).fill(3)];
    const counts = [0, 0, 0, 0];
    for (const b of groupBalancedBatches(groups, { batchSize: 100, rng: createRng(2), batchesPerEpoch: 60 })) {
      for (const i of b) counts[groups[i]!]!++;
    }
    expect(counts[2]).toBe(0);
    for (const g of [0, 1, 3]) expect(Math.abs(counts[g]! / 6000 - 1 / 3)).toBeLessThan(0.03);
  });
  it('zipStreams restarts the shorter stream in longest mode and stops in shortest mode', () => {
    const a = () => [1, 2, 3];
    const b = () => ['x'];
    expect([...zipStreams(a, b)]).toEqual([
      [1, 'x'],
      [2, 'x'],
      [3, 'x'],
    ]);
    expect([...zipStreams(a, b, { until: 'shortest' })]).toEqual([[1, 'x']]);
  });
});

describeBackends('gatherRows and metrics', ['cpu', 'wasm'], () => {
  it('gatherRows picks rows and keeps gradients; rejects out-of-range indices', () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(gatherRows(x, [2, 0]).arraySync()).toEqual([
      [5, 6],
      [1, 2],
    ]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(gatherRows(t, [1, 1])))(x);
    expect(g.arraySync()).toEqual([
      [0, 0],
      [2, 2],
      [0, 0],
    ]);
    expectDroError(() => gatherRows(x, [3]), 'E_INDEX_RANGE', 'idx');
    tf.dispose([x, g]);
  });
  it('accuracy, group stats, worst group, weight diagnostics, CVaR of values', () => {
    const logits = tf.tensor2d([
      [2, 1],
      [0, 3],
      [1, 0],
      [0, 1],
    ]);
    expect(accuracy(logits, [0, 1, 1, 1])).toBe(0.75);
    expectDroError(() => accuracy(logits, [0, 1, 2, 1]), 'E_LABEL_RANGE', 'labels');
    const st = groupStats([1, 0, 0, 1], [0, 0, 1, 2], 4);
    expect(st.map((s) => s.count)).toEqual([2, 1, 1, 0]);
    expect(worstGroup(st)).toEqual({ group: 1, value: 0 });
    const d = weightDiagnostics([0.5, 0.5, 0, 0]);
    expect(d.ess).toBe(2);
    expect(d.essFrac).toBe(0.5);
    expect(d.tv).toBeCloseTo(0.5, 12);
    expect(cvarOf([1, 2, 3, 4], 0.5)).toBe(3.5);
    logits.dispose();
  });
});
