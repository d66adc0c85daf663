import { createRng, type Rng } from '@drojs/dro-core';
import { expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { Eacs } from './eacs.js';
import { environmentSummary } from './summary.js';

type Shift = 'c1' | 'c2' | 'x';
/** Simulation A (spec §6.6): observed (c2, x), c1 unobserved parent, x its proxy. */
function simEnv(type: Shift, level: number, n: number, rng: Rng) {
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    let c1 = rng.normal();
    let c2 = rng.normal();
    if (type === 'c1') c1 += level;
    if (type === 'c2') c2 += level * rng.normal();
    const yi = c1 + c2 + rng.normal();
    let x = c1 - c2 + rng.normal();
    if (type === 'x') x += level * rng.normal();
    X.push([c2, x]);
    y.push(yi);
  }
  return { X, y, type, level };
}

const SUBSETS = [[], [0], [1], [0, 1]];
const linspace = (a: number, b: number, k: number) => Array.from({ length: k }, (_, i) => a + ((b - a) * i) / (k - 1));
const opts = {
  subsets: SUBSETS,
  summary: 'corr-sd' as const,
  standardizeSummaries: false,
  C: 1,
  classWeight: null,
  mode: 'hard' as const,
  seed: 1,
};
const mse = (y: number[], p: ArrayLike<number>) => y.reduce((s, v, i) => s + (v - p[i]!) ** 2, 0) / y.length;

describe('EACS simulation A (reduced: 10 repetitions, 30 training levels per type)', () => {
  it('selector accuracy ≥ 0.93; level 4 picks {c2} under noise on x and {c2, x} under a c1 mean shift', () => {
    let correct = 0;
    let total = 0;
    let xPick = 0;
    let c1Pick = 0;
    const reps = 10;
    for (let r = 0; r < reps; r++) {
      const rng = createRng(`simA${r}`);
      const train = (['c1', 'c2', 'x'] as Shift[]).flatMap((t) =>
        linspace(0, 4, 30).map((l) => simEnv(t, l, 100, rng)),
      );
      const e = new Eacs(opts).fit(train);
      for (const t of ['c1', 'c2', 'x'] as Shift[])
        for (const l of linspace(0, 4, 20)) {
          const env = simEnv(t, l, 100, rng);
          const sel = e.selectSubset(env.X).index;
          const errs = e.subsetModels.map((m) =>
            mse(
              env.y,
              env.X.map((row) => m.intercept + m.subset.reduce((s, j, q) => s + m.coef[q]! * row[j]!, 0)),
            ),
          );
          const best = errs.indexOf(Math.min(...errs));
          correct += sel === best ? 1 : 0;
          total++;
          if (l === 4 && t === 'x' && sel === 1) xPick++;
          if (l === 4 && t === 'c1' && sel === 3) c1Pick++;
        }
    }
    expect(correct / total).toBeGreaterThanOrEqual(0.93);
    expect(xPick / reps).toBeGreaterThanOrEqual(0.9);
    expect(c1Pick / reps).toBeGreaterThanOrEqual(0.9);
  });
});

describe('Eacs properties', () => {
  const rng = createRng('props');
  const train = (['c1', 'c2', 'x'] as Shift[]).flatMap((t) => [0, 1, 2, 3, 4].map((l) => simEnv(t, l, 40, rng)));
  const target = simEnv('x', 3.5, 40, rng);
  it('permuting training environments leaves the fit unchanged (hard/soft mode)', () => {
    const a = new Eacs(opts).fit(train);
    const perm = createRng(9).shuffle(train.slice());
    const b = new Eacs(opts).fit(perm);
    for (let k = 0; k < a.selector.W.length; k++)
      for (let j = 0; j < a.selector.W[k]!.length; j++)
        expect(Math.abs(a.selector.W[k]![j]! - b.selector.W[k]![j]!)).toBeLessThan(1e-6);
    const pa = a.selectSubset(target.X).probs;
    const pb = b.selectSubset(target.X).probs;
    pa.forEach((v, k) => expect(Math.abs(v - pb[k]!)).toBeLessThan(1e-6));
  });
  it('summaries: sds and (partial) correlations invariant to shifts; correlations also to positive scaling', () => {
    const X = target.X;
    const shifted = X.map((r) => [r[0]! + 5, r[1]! - 2]);
    const scaled = X.map((r) => [3 * r[0]!, 0.5 * r[1]!]);
    const base = environmentSummary(X, 'moments+pcorr');
    const sh = environmentSummary(shifted, 'moments+pcorr');
    for (let j = 2; j < base.length; j++) expect(sh[j]).toBeCloseTo(base[j]!, 12);
    const c0 = environmentSummary(X, 'corr-sd');
    const c1 = environmentSummary(scaled, 'corr-sd');
    expect(c1[0]).toBeCloseTo(c0[0]!, 12);
    expect(environmentSummary(scaled, 'moments+pcorr')[4]).toBeCloseTo(base[4]!, 12);
    // Degenerate environments: constant column and a single row.
    const constCol = X.map((r) => [2, r[1]!]);
    const s = environmentSummary(constCol, 'moments+pcorr');
    expect(s[2]).toBe(0);
    expect(s[4]).toBe(0);
    expect(environmentSummary([[1, 2]], 'corr-sd')).toEqual([0, 0, 0]);
  });
  it('constrained candidates never select a subset missing mustInclude', () => {
    const e = new Eacs({ ...opts, mustInclude: [0] }).fit(train);
    for (const l of [0, 2, 4])
      for (const t of ['c1', 'c2', 'x'] as Shift[]) expect(e.selectSubset(simEnv(t, l, 40, rng).X).subset).toContain(0);
    expect(e.trainLabels.every((k) => SUBSETS[k]!.includes(0))).toBe(true);
  });
  it('state round trip predicts bit-identically; cv mode chooses from the grid', () => {
    const e = new Eacs({ subsets: SUBSETS, summary: 'corr-sd', mode: 'cv', seed: 3 }).fit(train);
    const s = JSON.parse(JSON.stringify(e.getState()));
    const e2 = Eacs.fromState(s);
    expect(Array.from(e2.predict(target.X))).toEqual(Array.from(e.predict(target.X)));
    expect([0.1, 1, 10]).toContain(e.chosen!.C);
    expect(e.cvScores).toHaveLength(6);
  });
  it('fitAsync reports progress, and an abort rejects and leaves the object unchanged', async () => {
    const e = new Eacs({ subsets: SUBSETS, summary: 'corr-sd', mode: 'cv', seed: 3 });
    const ticks: number[] = [];
    await e.fitAsync(train, { onProgress: (d) => ticks.push(d) });
    expect(ticks.length).toBe(9);
    const before = JSON.stringify(e.getState());
    const ac = new AbortController();
    const p = e.fitAsync(train.slice(0, 10), { onProgress: (d) => d === 2 && ac.abort(), signal: ac.signal });
    await expect(p).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(JSON.stringify(e.getState())).toBe(before);
  });
  it('bad input', () => {
    const e = new Eacs(opts);
    expectDroError(() => e.fit([train[0]!, { X: [[1, 2, 3]], y: [1] }]), 'E_SHAPE', 'train[1].X');
    expectDroError(() => e.fit([train[0]!, { X: train[1]!.X }]), 'E_SPEC', 'train[1].y');
    expectDroError(() => new Eacs({ ...opts, C: 0 }), 'E_SPEC', 'C');
    expectDroError(() => new Eacs({ ...opts, subsets: [[0, 5]] }).fit(train), 'E_SPEC', 'subsets');
    expectDroError(() => new Eacs({ ...opts, subsets: 'all', maxSubsets: 2 }).fit(train), 'E_SPEC', 'maxSubsets');
  });
});

describe('Eacs with a plug-in selector', () => {
  it('uses the factory for every fit and refuses to write an unrestorable state', () => {
    const rng = createRng('plug');
    const train = (['c1', 'x'] as Shift[]).flatMap((t) => [0, 2, 4].map((l) => simEnv(t, l, 30, rng)));
    const Cs: number[] = [];
    // A trivial selector: always the most frequent training label.
    const factory = (C: number) => {
      Cs.push(C);
      let cls: number[] = [];
      return {
        fit(_F: number[][], labels: number[]) {
          const counts = new Map<number, number>();
          for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
          cls = [Array.from(counts).sort((a, b) => b[1] - a[1])[0]![0]];
        },
        predictProba: (F: number[][]) => F.map(() => [1]),
        get classes() {
          return cls;
        },
        getState: () => ({ cls }),
      };
    };
    const e = new Eacs({ subsets: SUBSETS, summary: 'corr-sd', mode: 'hard', C: 3, selector: factory, seed: 1 }).fit(
      train,
    );
    expect(Cs).toEqual([3]);
    const counts = new Map<number, number>();
    for (const l of e.trainLabels) counts.set(l, (counts.get(l) ?? 0) + 1);
    const top = Array.from(counts).sort((a, b) => b[1] - a[1])[0]![0];
    expect(e.selectSubset(train[0]!.X).index).toBe(top);
    expectDroError(() => e.getState(), 'E_SPEC', 'selector');
  });
});
