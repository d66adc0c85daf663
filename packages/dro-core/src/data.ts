import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, DroError, describeValue } from './errors.js';
import { checkGroupIds } from './group.js';
import type { Rng } from './rng.js';

/**
 * One epoch of index batches over `[0, n)`; shuffled with `rng` unless `shuffle: false`. Indices are the unit
 * of iteration so per-index state (moving averages, ALDR's λ_i) works everywhere.
 */
export function* batches(
  n: number,
  opts: { batchSize: number; rng?: Rng; shuffle?: boolean; dropLast?: boolean },
): Generator<Int32Array> {
  checkNumber(n, 'n', { min: 0, integer: true });
  const batchSize = checkNumber(opts?.batchSize, 'opts.batchSize', { min: 1, integer: true });
  const shuffle = opts.shuffle ?? true;
  if (shuffle && !opts.rng)
    throw new DroError('E_SPEC', 'shuffling needs an rng', {
      argument: 'opts.rng',
      expected: 'an Rng (or shuffle: false)',
    });
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  if (shuffle) opts.rng!.shuffle(idx);
  for (let s = 0; s < n; s += batchSize) {
    if (opts.dropLast && s + batchSize > n) break;
    yield idx.slice(s, Math.min(n, s + batchSize));
  }
}

/**
 * Group-balanced sampling with replacement: each present group equally likely, uniform within the group
 * (per-sample probability ∝ 1/n_g). A separate, explicit knob — never implied by a loss.
 */
export function* groupBalancedBatches(
  groupIds: ArrayLike<number>,
  opts: { batchSize: number; rng: Rng; batchesPerEpoch?: number; nGroups?: number },
): Generator<Int32Array> {
  const n = groupIds.length;
  if (n === 0) throw new DroError('E_EMPTY', 'groupIds is empty', { argument: 'groupIds' });
  const batchSize = checkNumber(opts?.batchSize, 'opts.batchSize', { min: 1, integer: true });
  if (!opts.rng) throw new DroError('E_SPEC', 'an rng is required', { argument: 'opts.rng' });
  let maxG = 0;
  for (let i = 0; i < n; i++) maxG = Math.max(maxG, groupIds[i]!);
  const ids = checkGroupIds(groupIds, opts.nGroups ?? maxG + 1);
  const members = new Map<number, number[]>();
  ids.forEach((g, i) => {
    const m = members.get(g);
    if (m) m.push(i);
    else members.set(g, [i]);
  });
  const groups = [...members.keys()].sort((a, b) => a - b);
  const perEpoch = opts.batchesPerEpoch ?? Math.ceil(n / batchSize);
  checkNumber(perEpoch, 'opts.batchesPerEpoch', { min: 1, integer: true });
  for (let b = 0; b < perEpoch; b++) {
    const out = new Int32Array(batchSize);
    for (let j = 0; j < batchSize; j++) {
      const m = members.get(groups[opts.rng.int(groups.length)]!)!;
      out[j] = m[opts.rng.int(m.length)]!;
    }
    yield out;
  }
}

/**
 * Pairs the batches of two index streams (labeled/unlabeled). Each argument is a factory for one epoch so the
 * shorter stream restarts with a fresh shuffle in `'longest'` mode; `'shortest'` stops with the shorter one.
 */
export function* zipStreams<A, B>(
  makeA: () => Iterable<A>,
  makeB: () => Iterable<B>,
  opts: { until?: 'longest' | 'shortest' } = {},
): Generator<[A, B]> {
  const until = opts.until ?? 'longest';
  if (until !== 'longest' && until !== 'shortest') {
    throw new DroError('E_SPEC', 'until must be longest or shortest', {
      argument: 'opts.until',
      received: describeValue(until),
    });
  }
  let ia = makeA()[Symbol.iterator]();
  let ib = makeB()[Symbol.iterator]();
  let doneA = false;
  let doneB = false;
  for (;;) {
    let a = ia.next();
    let b = ib.next();
    if (a.done) doneA = true;
    if (b.done) doneB = true;
    if ((a.done && b.done) || (until === 'shortest' && (a.done || b.done))) return;
    if (a.done) {
      if (doneB) return;
      ia = makeA()[Symbol.iterator]();
      a = ia.next();
      if (a.done) return;
    }
    if (b.done) {
      if (doneA) return;
      ib = makeB()[Symbol.iterator]();
      b = ib.next();
      if (b.done) return;
    }
    yield [a.value as A, b.value as B];
  }
}

/**
 * Rows of `x` for a batch of indices (int32 indices made here, outside any taped function, because int
 * indices produced inside a tape break gather's gradient).
 */
export function gatherRows<T extends tf.Tensor>(x: T, idx: ArrayLike<number>): T {
  const n = x.shape[0] ?? 0;
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= n) {
      throw new DroError('E_INDEX_RANGE', `idx[${i}] is out of range`, {
        argument: 'idx',
        expected: `an integer in [0, ${n})`,
        received: describeValue(v),
      });
    }
  }
  return tf.tidy(() => tf.gather(x, tf.tensor1d(Int32Array.from(idx), 'int32'))) as T;
}
