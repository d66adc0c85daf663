import { createRng } from '@drojs/dro-core/host';
import { describe, expect, it } from 'vitest';
import {
  compareLabels,
  DumpScheduler,
  dimensionRewardAdvantages,
  drmAdvantages,
  drpoBatchLoss,
  drpoWeights,
  grpoAdvantages,
  integerizeAllocation,
  normalizeThenSum,
  PromptGdroAdversary,
  passAtK,
  proportionalExtraAllocation,
  RolloutArmBandit,
  RolloutGdroAllocator,
  rsdStep,
  sqrtLaw,
  zeroVarianceMask,
} from './index.js';

describe('GRPO advantages', () => {
  it('population std with eps 0 on (1, 0, 0, 1) gives (1, −1, −1, 1); all-equal groups give exact zeros', () => {
    expect(grpoAdvantages([[1, 0, 0, 1]], { stdMode: 'population', eps: 0 })).toEqual([[1, -1, -1, 1]]);
    const z = grpoAdvantages([[0.3, 0.3, 0.3], [1, 1], [], [5]]);
    expect(z).toEqual([[0, 0, 0], [0, 0], [], [0]]);
    expect(Object.is(z[0]?.[0], 0)).toBe(true);
  });

  it('is invariant to shifting rewards and (for eps 0) to positive scaling; sums to zero per group', () => {
    const rng = createRng(1);
    for (let t = 0; t < 50; t++) {
      const g = Array.from({ length: 2 + rng.int(8) }, () => rng.uniform());
      const a = grpoAdvantages([g], { eps: 0 })[0] as number[];
      const b = grpoAdvantages([g.map((x) => 3 * x + 7)], { eps: 0 })[0] as number[];
      a.forEach((x, i) => expect(b[i]).toBeCloseTo(x, 9));
      expect(Math.abs(a.reduce((s, x) => s + x, 0))).toBeLessThan(1e-12);
    }
  });

  it('batch scaling uses one std for all groups; none centres only; clip applies last', () => {
    const groups = [
      [1, 0],
      [2, 0, 1],
    ];
    const all = [1, 0, 2, 0, 1];
    const m = all.reduce((a, b) => a + b) / all.length;
    const sd = Math.sqrt(all.reduce((a, b) => a + (b - m) ** 2, 0) / (all.length - 1));
    const a = grpoAdvantages(groups, { scale: 'batch', eps: 0 });
    expect(a[0]?.[0]).toBeCloseTo(0.5 / sd, 12);
    expect(grpoAdvantages(groups, { scale: 'none' })).toEqual([
      [0.5, -0.5],
      [1, -1, 0],
    ]);
    expect(grpoAdvantages([[10, 0]], { stdMode: 'population', eps: 0, clip: [-0.5, 0.5] })).toEqual([[0.5, -0.5]]);
  });

  it("null rewards under nullRewards: 'exclude' are left out with advantage 0", () => {
    const a = grpoAdvantages([[1, null, 0, 1]], { nullRewards: 'exclude' });
    const b = grpoAdvantages([[1, 0, 1]]);
    expect(a[0]?.[1]).toBe(0);
    expect([a[0]?.[0], a[0]?.[2], a[0]?.[3]]).toEqual(b[0]);
  });

  it('normalizeThenSum and drmAdvantages add per-stream advantages', () => {
    const r1 = [[1, 0, 0, 1]];
    const r2 = [[0.2, 0.5, 0.1, 0.4]];
    const s = normalizeThenSum([r1, r2], [1, 2]);
    const a1 = grpoAdvantages(r1)[0] as number[];
    const a2 = grpoAdvantages(r2)[0] as number[];
    s[0]?.forEach((x, i) => expect(x).toBe((a1[i] as number) + 2 * (a2[i] as number)));
    expect(dimensionRewardAdvantages(r1, r2)).toEqual(normalizeThenSum([r1, r2]));
    // The deprecated short name is the same function.
    expect(drmAdvantages).toBe(dimensionRewardAdvantages);
  });
});

describe('DAPO mask, pass@k', () => {
  it('keeps singletons and mixed groups, drops empty and all-equal ones; tol widens the equality', () => {
    expect(zeroVarianceMask([[1], [], [0.5, 0.5], [0.5, 0.50001]])).toEqual([true, false, false, true]);
    expect(zeroVarianceMask([[0.5, 0.50001]], { tol: 1e-3 })).toEqual([false]);
  });

  it('pass@k equals 1 − C(n−c,k)/C(n,k) and is monotone in c and k', () => {
    const C = (n: number, k: number): number => (k < 0 || k > n ? 0 : k === 0 ? 1 : (C(n - 1, k - 1) * n) / k);
    for (let n = 1; n <= 12; n++) {
      for (let k = 1; k <= n; k++) {
        for (let c = 0; c <= n; c++) {
          const v = passAtK(n, c, k);
          expect(v).toBeCloseTo(1 - C(n - c, k) / C(n, k), 12);
          if (c > 0) expect(v).toBeGreaterThanOrEqual(passAtK(n, c - 1, k));
          if (k > 1) expect(v).toBeGreaterThanOrEqual(passAtK(n, c, k - 1) - 1e-15);
        }
      }
    }
  });
});

describe('DRPO', () => {
  it('when valid, positive coefficients sum to 1 and negative ones to −1; shorter positives weigh more', () => {
    const rng = createRng(3);
    for (let t = 0; t < 100; t++) {
      const n = 2 + rng.int(10);
      const correct = Array.from({ length: n }, () => rng.uniform() < 0.5);
      const lengths = Array.from({ length: n }, () => rng.int(8192) + 1);
      const withS = rng.uniform() < 0.5;
      const seqLogprob = withS ? Array.from({ length: n }, () => -rng.uniform()) : null;
      const r = drpoWeights({ correct, lengths, seqLogprob }, { maxLength: 8192 });
      const pos = r.coef.filter((_, i) => correct[i]);
      const neg = r.coef.filter((_, i) => !correct[i]);
      expect(r.valid).toBe(pos.length > 0 && neg.length > 0);
      if (r.valid) {
        expect(pos.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        expect(neg.reduce((a, b) => a + b, 0)).toBeCloseTo(-1, 12);
        expect(pos.every((x) => x > 0)).toBe(true);
        expect(r.loss !== undefined).toBe(withS);
      } else expect(r.coef.every((x) => x === 0)).toBe(true);
    }
    const r = drpoWeights({ correct: [true, true, false], lengths: [100, 4000, 50] }, { maxLength: 8192 });
    expect(r.coef[0]).toBeGreaterThan(r.coef[1] as number);
  });

  it('zero-length rollouts are excluded; λ → ∞ gives uniform positives (DisCO); batch loss counts invalid questions as 0', () => {
    const r = drpoWeights({ correct: [true, false, true], lengths: [0, 10, 20] }, { maxLength: 100 });
    expect(r.excluded).toEqual([0]);
    expect(r.coef).toEqual([0, -1, 1]);
    const u = drpoWeights({ correct: [true, true, false], lengths: [10, 90, 5] }, { maxLength: 100, lambda: 1e12 });
    expect(u.coef[0]).toBeCloseTo(0.5, 9);
    const s = [-0.1, -0.2, -0.3];
    const a = drpoWeights({ correct: [true, false, false], lengths: [5, 5, 5], seqLogprob: s }, { maxLength: 10 });
    const lme = 10 * Math.log((Math.exp(-0.02) + Math.exp(-0.03)) / 2);
    expect(a.loss).toBeCloseTo(-(-0.1 - lme), 12);
    const inv = drpoWeights({ correct: [true], lengths: [5] }, { maxLength: 10 });
    expect(drpoBatchLoss([a, inv])).toBeCloseTo((a.loss as number) / 2, 15);
  });
});

describe('RSD', () => {
  it('accepts the first teacher candidate the student finds likely enough, else falls back to the student', () => {
    const teacher = new Map([
      [1, 0.6],
      [2, 0.4],
    ]);
    expect(rsdStep(teacher, new Map([[1, 0.5]]), [0.1, 0, 0, 0, 0, 0])).toEqual({
      token: 1,
      fallback: false,
      trials: 1,
    });
    expect(rsdStep(teacher, new Map([[3, 0.9]]), [0.1, 0.2, 0.3, 0.4, 0.5, 0.99])).toEqual({
      token: 3,
      fallback: true,
      trials: 5,
    });
    const r1 = rsdStep(teacher, new Map([[2, 0.9]]), 42);
    const r2 = rsdStep(teacher, new Map([[2, 0.9]]), createRng(42));
    expect(r1).toEqual(r2);
  });
});

describe('allocation', () => {
  it('square-root law without binding bounds: shares (.5, .5), v (1, 4), n̄ 3 → (2, 4)', () => {
    const r = sqrtLaw([0.5, 0.5], [1, 4], { meanBudget: 3, nMin: 1e-9, nMax: 100 });
    expect(r.n[0]).toBeCloseTo(2, 9);
    expect(r.n[1]).toBeCloseTo(4, 9);
    expect(r.unconstrained?.[0]).toBeCloseTo(2, 12);
    expect(r.mu).toBeCloseTo(0.25, 9);
  });

  it('exact budgets: 500 random cases of sqrtLaw + integerizeAllocation and of the allocator', () => {
    const rng = createRng(7);
    for (let t = 0; t < 500; t++) {
      const B = 1 + rng.int(5);
      const P = 1 + rng.int(39);
      const nMax = 2 + rng.int(11);
      const nBar = 2 + rng.int(nMax - 1);
      const v = Array.from({ length: B }, () => (rng.uniform() < 0.3 ? 0 : rng.uniform() * 0.25));
      const bins = Array.from({ length: P }, () => rng.int(B));
      const shares = v.map((_, b) => bins.filter((x) => x === b).length);
      if (shares.every((s) => s === 0)) continue;
      const law = sqrtLaw(shares, v, { meanBudget: nBar, nMin: 2, nMax });
      const n = integerizeAllocation(bins, law.n, P * nBar, 2, nMax);
      expect(n.reduce((a, b) => a + b, 0)).toBe(P * nBar);
      expect(n.every((x) => x >= 2 && x <= nMax && Number.isInteger(x))).toBe(true);
    }
    const alloc = new RolloutGdroAllocator({ nMin: 2, nMax: 12, meanBudget: 4 });
    for (let t = 0; t < 100; t++) {
      const P = 1 + rng.int(39);
      const uids = Array.from({ length: P }, (_, i) => `u${rng.int(60)}-${i}`);
      const total = 2 * P + rng.int(10 * P + 1);
      const a = alloc.allocate(uids, { totalBudget: total });
      expect(a.counts.reduce((x, y) => x + y, 0)).toBe(total);
      expect(a.counts.every((x) => x >= 2 && x <= 12)).toBe(true);
      alloc.update(
        uids.map((uid, k) => ({
          uid,
          rewards: Array.from({ length: a.counts[k] as number }, () => (rng.uniform() < 0.4 ? 1 : 0)),
        })),
      );
    }
  });

  it('DP reachability: 50 random bin-count maps with n̄ 4 and arms 2..12 hit the total exactly', () => {
    const rng = createRng(11);
    for (let t = 0; t < 50; t++) {
      const b = new RolloutArmBandit({ nMin: 2, nMax: 12, meanBudget: 4 });
      const counts: Record<string, number> = {};
      let P = 0;
      for (let k = 0; k < 1 + rng.int(6); k++) {
        const c = 1 + rng.int(20);
        counts[String(rng.int(10))] = c;
      }
      for (const c of Object.values(counts)) P += c;
      for (const bin of Object.keys(counts))
        b.update({ [bin]: 2 + rng.int(11) }, { [bin]: rng.uniform() }, { [bin]: 1 });
      const r = b.choose(counts, 4 * P);
      expect(r.chosenSum).toBe(4 * P);
    }
  });

  it('proportional extra allocation meets the total within the caps', () => {
    const rng = createRng(5);
    for (let t = 0; t < 200; t++) {
      const P = 1 + rng.int(20);
      const w = Array.from({ length: P }, () => (rng.uniform() < 0.2 ? 0 : rng.uniform()));
      const total = 2 * P + rng.int(10 * P + 1);
      const n = proportionalExtraAllocation(w, total, 2, 12);
      expect(n.reduce((a, b) => a + b, 0)).toBe(total);
      expect(n.every((x) => x >= 2 && x <= 12)).toBe(true);
    }
  });
});

describe('softmax stability and labels', () => {
  it('scores of ±1e300 give finite probabilities summing to 1', () => {
    const a = new PromptGdroAdversary({ form: 'code', normalizeByShare: false, emaBeta: 1 });
    a.update(['0', '1', '2'], [1e300, -1e300, 0]);
    const q = Object.values(a.q(['0', '1', '2']));
    expect(q.every(Number.isFinite)).toBe(true);
    expect(q.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    const b = new RolloutArmBandit({ nMin: 2, nMax: 4, variant: 'code', eta: 1 });
    b.update({ x: 3 }, { x: 1e300 }, { x: 1 });
    const p = b.probs('x');
    expect(p.every(Number.isFinite)).toBe(true);
    expect(p.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    const d = new DumpScheduler({ sources: ['a', 'b'], tau: 1e-300 });
    d.updateAdvantages({ a: [1], b: [0] });
    const w = Object.values(d.weights());
    expect(w.every(Number.isFinite)).toBe(true);
    expect(w.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
  });

  it('compareLabels: numbers numerically, then other labels by code unit', () => {
    expect(['excl', '10', '2', 'a', '0', 'B'].sort(compareLabels)).toEqual(['0', '2', '10', 'B', 'a', 'excl']);
  });
});
