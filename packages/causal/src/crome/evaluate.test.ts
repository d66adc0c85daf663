import { createRng } from '@drojs/dro-core';
import { expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { bestOfN, pairAccuracy } from './evaluate.js';
import { filterAugmentations } from './filter.js';

describe('pairAccuracy', () => {
  it('counts ties (and −0) as halves; empty → E_EMPTY; NaN → E_NONFINITE', () => {
    expect(pairAccuracy([2, -1, 0, -0])).toBe(0.5);
    expect(pairAccuracy([1e-300])).toBe(1);
    expectDroError(() => pairAccuracy([]), 'E_EMPTY', 'delta');
    expectDroError(() => pairAccuracy([1, Number.NaN]), 'E_NONFINITE', 'delta[1]');
  });
});

describe('bestOfN', () => {
  it('with oracle scores is non-decreasing in N (nested prefixes)', () => {
    const rng = createRng('crome-bon');
    const Q = Array.from({ length: 50 }, () => Array.from({ length: 16 }, () => rng.normal()));
    const r = bestOfN(Q, Q, [1, 2, 3, 4, 8, 16]);
    const curve = [1, 2, 3, 4, 8, 16].map((n) => r[n]!.meanQuality);
    for (let k = 1; k < curve.length; k++) expect(curve[k]).toBeGreaterThanOrEqual(curve[k - 1] as number);
    expect(Array.from(r[1]!.chosen)).toEqual(new Array(50).fill(0));
  });

  it('picks the first maximum on ties (quantised scores)', () => {
    const r = bestOfN(
      [
        [1, 3, 3, 2],
        [0, 0, 0, 0],
      ],
      [
        [0, 10, 20, 30],
        [5, 6, 7, 8],
      ],
      [4],
    );
    expect(Array.from(r[4]!.chosen)).toEqual([1, 0]);
    expect(r[4]!.meanQuality).toBe(7.5);
  });

  it('rejects bad shapes, non-finite values and bad N, naming the row', () => {
    expectDroError(
      () =>
        bestOfN(
          [[1, 2], [1]],
          [
            [0, 0],
            [0, 0],
          ],
          [1],
        ),
      'E_SHAPE',
      'scores[1]',
    );
    expectDroError(
      () =>
        bestOfN(
          [[1, 2]],
          [
            [0, 0],
            [1, 1],
          ],
          [1],
        ),
      'E_SHAPE',
      'quality',
    );
    expectDroError(() => bestOfN([[1, Number.NaN]], [[0, 0]], [1]), 'E_NONFINITE', 'scores[0][1]');
    expectDroError(() => bestOfN([[1, 2]], [[0, 0]], [3]), 'E_SPEC', 'ns[0]');
    expectDroError(() => bestOfN([[1, 2]], [[0, 0]], [1.5]), 'E_SPEC', 'ns[0]');
  });
});

describe('filterAugmentations', () => {
  it('compares in Δ space with strict inequalities; original pairs always kept', () => {
    const lc = Math.log(0.95 / 0.05); // logit(0.95)
    const ln = Math.log(0.55 / 0.45); // logit(0.55)
    const keep = filterAugmentations(
      [100, lc - 1e-12, lc, ln + 1e-12, ln, -ln - 1e-12, 0],
      ['original', 'causal', 'causal', 'neutral', 'neutral', 'neutral', 'neutral'],
    );
    expect(keep).toEqual([true, true, false, true, false, true, false]);
    // logit(0.6) = 0.405…: a tight setting drops a causal pair the base model already prefers at Δ⁰ = 0.41.
    expect(filterAugmentations([0.4, 0.41], ['causal', 'causal'], { maxCausalProb: 0.6 })).toEqual([true, false]);
  });
  it('rejects thresholds outside their ranges and unknown options', () => {
    expectDroError(() => filterAugmentations([0], ['causal'], { maxCausalProb: 0.5 }), 'E_SPEC', 'maxCausalProb');
    expectDroError(() => filterAugmentations([0], ['causal'], { minNeutralGap: 0.5 }), 'E_SPEC', 'minNeutralGap');
    expectDroError(
      () => filterAugmentations([0], ['causal'], { maxCausalPorb: 0.9 } as never),
      'E_SPEC',
      'maxCausalPorb',
    );
  });
});
