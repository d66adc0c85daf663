import { createRng, normalQuantile } from '@drojs/dro-core/host';
import { describe, expect, it } from 'vitest';
import { expectDroError, expectDroErrorAsync } from '../test/helpers.js';
import { distanceCorrelation, miKde, miToLinfoot, normalScores, pearsonAbs, pearsonToMi } from './scalarStats.js';
import { screen, screenAsync } from './screen.js';

function sample(seed: string, n: number, rho: number): { x: number[]; y: number[] } {
  const rng = createRng(seed);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    x.push(a);
    y.push(rho * a + Math.sqrt(1 - rho * rho) * rng.normal());
  }
  return { x, y };
}

describe('scalar statistics', () => {
  it('normal scores: average ranks for ties, symmetric', () => {
    const u = normalScores([3, 1, 2, 2, 5, 1]);
    expect(u[2]).toBe(0);
    expect(u[1]).toBe(u[5]);
    expect(u[0]).toBe(normalQuantile(5 / 7));
    expect(u[1]).toBe(normalQuantile(1.5 / 7));
    const v = normalScores([1, 2, 3, 4, 5]);
    expect(v[0]).toBeCloseTo(-v[4]!, 15);
  });

  it('MI is ≥ 0, symmetric, and exactly invariant to strictly increasing maps of x or y', () => {
    const { x, y } = sample('mi', 150, 0.6);
    const mi = miKde(x, y);
    expect(mi).toBeGreaterThan(0);
    expect(miKde(y, x)).toBeCloseTo(mi, 14);
    expect(
      miKde(
        x.map((v) => Math.exp(v)),
        y.map((v) => v ** 3),
      ),
    ).toBe(mi);
    const ind = sample('mi0', 150, 0);
    expect(miKde(ind.x, ind.y)).toBeGreaterThanOrEqual(0);
    expect(miKde(ind.x, ind.y)).toBeLessThan(mi);
  });

  it('MI approaches the smoothed Gaussian closed form −½ ln(1 − ρ²/(1+h²)²) at fixed h (n = 3000)', () => {
    const h = 0.3;
    for (const rho of [0.3, 0.8]) {
      const { x, y } = sample(`pop-${rho}`, 3000, rho);
      const closed = -0.5 * Math.log(1 - rho ** 2 / (1 + h * h) ** 2);
      expect(Math.abs(miKde(x, y, { bandwidth: h }) - closed)).toBeLessThan(0.02);
    }
  });

  it('binary-outcome MI: larger for a stronger class shift; invariant to the two label values', () => {
    const rng = createRng('bin');
    const cls = Array.from({ length: 200 }, (_, i) => i % 2);
    const weak = cls.map((c) => (c ? 0.25 : -0.25) + rng.normal());
    const strong = cls.map((c) => (c ? 1 : -1) + rng.normal());
    const a = miKde(weak, cls, { outcome: 'binary' });
    const b = miKde(strong, cls, { outcome: 'binary' });
    expect(b).toBeGreaterThan(a);
    expect(
      miKde(
        strong,
        cls.map((c) => (c ? 1 : -1)),
        { outcome: 'binary' },
      ),
    ).toBe(b);
  });

  it('dCor of an affine pair is 1; dCor and |Pearson| are invariant to affine maps; Pearson is two-pass', () => {
    const { x, y } = sample('dcor', 40, 0.5);
    expect(
      distanceCorrelation(
        x,
        x.map((v) => 3 - 2 * v),
      ),
    ).toBeCloseTo(1, 12);
    const d = distanceCorrelation(x, y);
    expect(
      distanceCorrelation(
        x.map((v) => 5 * v + 7),
        y.map((v) => -0.5 * v + 1),
      ),
    ).toBeCloseTo(d, 12);
    const r = pearsonAbs(x, y);
    expect(
      pearsonAbs(
        x.map((v) => 1e8 + v),
        y,
      ),
    ).toBeCloseTo(r, 7);
    expect(
      pearsonAbs(
        x.map((v) => -3 * v + 2),
        y,
      ),
    ).toBeCloseTo(r, 13);
  });

  it('pearsonToMi and miToLinfoot round trip; +∞ at |r| = 1', () => {
    for (const r of [0, 0.2, -0.7, 0.999]) expect(miToLinfoot(pearsonToMi(r))).toBeCloseTo(Math.abs(r), 12);
    expect(pearsonToMi(-1)).toBe(Number.POSITIVE_INFINITY);
    expectDroError(() => pearsonToMi(1.5), 'E_SPEC', 'r');
    expectDroError(() => miToLinfoot(-1), 'E_SPEC', 'mi');
  });
});

describe('screen', () => {
  function design(seed: string, n: number, p: number): { X: number[][]; y: number[] } {
    const rng = createRng(seed);
    const X = Array.from({ length: n }, () => Array.from({ length: p }, () => rng.normal()));
    const y = X.map((r) => 2 * Math.cos(2 * r[0]!) + 1.5 * r[1]! ** 2 + r[2]! - r[3]! + 0.5 * rng.normal());
    return { X, y };
  }

  it('MI ranks the non-monotone signals that |Pearson| misses', () => {
    const { X, y } = design('nl', 200, 40);
    const mi = screen(X, y, { keep: 4 });
    expect([...mi.keep].sort()).toEqual([0, 1, 2, 3]);
    const pr = screen(X, y, { method: 'pearson', keep: 4 });
    expect([...pr.keep]).not.toContain(0);
    const dc = screen(X, y, { method: 'dcor', keep: 10 });
    expect([...dc.keep]).toContain(1);
  });

  it('screen scores equal the scalar miKde exactly (table-gathered kernels), with ties, continuous and binary', () => {
    const rng = createRng('table');
    const X = Array.from({ length: 60 }, () => Array.from({ length: 6 }, () => Math.round(rng.normal() * 3) / 3));
    const y = X.map((r) => Math.cos(r[0]!) + 0.3 * rng.normal());
    const yb = y.map((v) => (v > 0.5 ? 1 : 0));
    const a = screen(X, y, { keep: 2 });
    const b = screen(X, yb, { keep: 2, outcome: 'binary' });
    for (let j = 0; j < 6; j++) {
      const col = X.map((r) => r[j]!);
      expect(a.scores[j]).toBe(miKde(col, y));
      expect(b.scores[j]).toBe(miKde(col, yb, { outcome: 'binary' }));
    }
  });

  it('order: scores descending, ties by the lower index; permuting columns permutes scores', () => {
    const { X, y } = design('perm', 60, 6);
    const Xd = X.map((r) => [...r, -r[2]!]);
    const r = screen(Xd, y, { method: 'pearson', keep: 7 });
    expect(r.scores[6]).toBe(r.scores[2]);
    expect(r.order.indexOf(2)).toBeLessThan(r.order.indexOf(6));
    const perm = [5, 3, 0, 1, 4, 2];
    const a = screen(X, y, { keep: 3 });
    const b = screen(
      X.map((row) => perm.map((j) => row[j]!)),
      y,
      { keep: 3 },
    );
    perm.forEach((j, k) => expect(b.scores[k]).toBe(a.scores[j]));
  });

  it('default keep is min(p, ⌊n/ln n⌋); binary outcomes accept any two labels', () => {
    const { X, y } = design('keep', 100, 40);
    expect(screen(X, y, { method: 'pearson' }).keep.length).toBe(Math.floor(100 / Math.log(100)));
    const lab = y.map((v) => (v > 1 ? 7 : -2));
    const a = screen(X, lab, { outcome: 'binary', keep: 5 });
    const b = screen(
      X,
      lab.map((v) => (v === 7 ? 1 : 0)),
      { outcome: 'binary', keep: 5 },
    );
    expect(Array.from(a.scores)).toEqual(Array.from(b.scores));
  });

  it('errors: n < 3, constant column, constant y, bad binary labels, keep, grid, bandwidth, unknown options', () => {
    const X = [
      [1, 2],
      [2, 2],
      [3, 2],
      [4, 2],
    ];
    const y = [1, 3, 2, 5];
    expectDroError(() => screen(X.slice(0, 2), y.slice(0, 2)), 'E_SPEC', 'X');
    expectDroError(() => screen(X, y), 'E_RANK', 'column 1');
    expect(screen(X, y, { onConstant: 'zero', method: 'pearson' }).scores[1]).toBe(0);
    const Xok = X.map((r, i) => [r[0]!, i % 2 === 0 ? i : -i]);
    expectDroError(() => screen(Xok, [2, 2, 2, 2]), 'E_RANK', 'y');
    expectDroError(() => screen(Xok, [0, 1, 2, 1], { outcome: 'binary' }), 'E_SPEC', 'y');
    expectDroError(() => screen(Xok, [0, 1, 1, 1], { outcome: 'binary' }), 'E_SPEC', 'y');
    expectDroError(() => screen(Xok, y, { keep: 3 }), 'E_SPEC', 'keep');
    expectDroError(() => screen(Xok, y, { keep: 0 }), 'E_SPEC', 'keep');
    expectDroError(() => screen(Xok, y, { grid: 4 }), 'E_SPEC', 'grid');
    expectDroError(() => screen(Xok, y, { bandwidth: 0 }), 'E_SPEC', 'bandwidth');
    expectDroError(() => screen(Xok, y, { methods: 'dcor' } as never), 'E_SPEC', 'methods');
    expectDroError(() => screen([[1, Number.NaN], ...Xok.slice(1)], y), 'E_NONFINITE', 'X');
    expectDroError(() => miKde([1, 2], [3, 4]), 'E_SPEC', 'x');
  });

  it('screenAsync equals screen, reports progress every 50 columns, aborts with E_ABORTED', async () => {
    const { X, y } = design('async', 30, 120);
    const seen: number[] = [];
    const a = await screenAsync(X, y, { method: 'pearson', onProgress: (d) => seen.push(d) });
    expect(Array.from(a.scores)).toEqual(Array.from(screen(X, y, { method: 'pearson' }).scores));
    expect(seen).toEqual([50, 100]);
    const ctl = new AbortController();
    await expectDroErrorAsync(screenAsync(X, y, { signal: ctl.signal, onProgress: () => ctl.abort() }), 'E_ABORTED');
  });
});
