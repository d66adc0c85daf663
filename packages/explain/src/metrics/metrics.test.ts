import { createRng } from '@drojs/dro-core';
import { expectDroError } from '@drojs/dro-core/testing';
import { expect, it } from 'vitest';
import { maskIoU } from './maskIoU.js';
import { pointingGame } from './pointingGame.js';
import { rankPixels, trapezoidAuc } from './ranking.js';

// Random maps with many ties (values on a coarse dyadic grid) and random 0/1 ground truths.
function randomCase(seed: string, b: number, h: number, w: number) {
  const rng = createRng(seed);
  const map = Array.from({ length: b }, () =>
    Array.from({ length: h }, () => Array.from({ length: w }, () => rng.int(5) / 4)),
  );
  const gt = Array.from({ length: b }, () =>
    Array.from({ length: h }, () => Array.from({ length: w }, () => (rng.uniform() < 0.3 ? 1 : 0))),
  );
  return { map, gt };
}

function bruteRank(flat: number[]): number[] {
  return flat
    .map((v, i) => ({ v, i }))
    .sort((a, b) => b.v - a.v || a.i - b.i)
    .map((e) => e.i);
}

it('IoU equals brute-force set computations in every mode', () => {
  for (let s = 0; s < 30; s++) {
    const { map, gt } = randomCase(`iou${s}`, 3, 4, 5);
    const t = [0.25, 0.5, 0.75][s % 3]!;
    const k = s % 21;
    const thr = maskIoU(map, gt, { threshold: t });
    const top = maskIoU(map, gt, { topK: k });
    const match = maskIoU(map, gt, { topK: 'match-gt' });
    const soft = maskIoU(map, gt, { soft: true });
    map.forEach((m, i) => {
      const flat = m.flat();
      const g = new Set(gt[i]!.flat().flatMap((v, p) => (v ? [p] : [])));
      const iou = (a: Set<number>) => {
        const inter = [...a].filter((p) => g.has(p)).length;
        const union = new Set([...a, ...g]).size;
        return union === 0 ? 1 : inter / union;
      };
      expect(thr.iou[i]).toBe(iou(new Set(flat.flatMap((v, p) => (v > t ? [p] : [])))));
      expect(top.iou[i]).toBe(iou(new Set(bruteRank(flat).slice(0, k))));
      expect(match.iou[i]).toBe(iou(new Set(bruteRank(flat).slice(0, g.size))));
      const gf = gt[i]!.flat();
      const num = flat.reduce((a, v, p) => a + Math.min(v, gf[p]!), 0);
      const den = flat.reduce((a, v, p) => a + Math.max(v, gf[p]!), 0);
      expect(soft.iou[i]).toBeCloseTo(den === 0 ? 1 : num / den, 12);
    });
  }
});

it('pointing equals a brute-force count with ties split and tolerance', () => {
  for (let s = 0; s < 30; s++) {
    const { map, gt } = randomCase(`pt${s}`, 3, 5, 4);
    for (const r of [0, 1, 1.5]) {
      const res = pointingGame(map, gt, { tolerance: r });
      map.forEach((m, i) => {
        const flat = m.flat();
        const mx = Math.max(...flat);
        const maxima = flat.flatMap((v, p) => (v === mx ? [p] : []));
        const gs = gt[i]!.flat().flatMap((v, p) => (v ? [p] : []));
        if (gs.length === 0) return expect(res.scores[i]).toBeNull();
        const near = (p: number) =>
          gs.some((q) => (Math.floor(p / 4) - Math.floor(q / 4)) ** 2 + ((p % 4) - (q % 4)) ** 2 <= r * r);
        expect(res.scores[i]).toBe(maxima.filter(near).length / maxima.length);
        expect(res.numMax[i]).toBe(maxima.length);
      });
    }
  }
});

it('a constant map scores |G|/N at pointing', () => {
  const map = [
    [
      [1, 1],
      [1, 1],
    ],
  ];
  expect(
    pointingGame(map, [
      [
        [1, 0],
        [0, 0],
      ],
    ]).scores[0],
  ).toBe(0.25);
});

it('permuting pixels permutes the ranking', () => {
  const rng = createRng('perm');
  const v = Array.from({ length: 24 }, () => rng.int(6));
  const perm = rng.shuffle(Array.from({ length: 24 }, (_, i) => i));
  const pv = perm.map((p) => v[p]!);
  const r = Array.from(rankPixels(v));
  const pr = Array.from(rankPixels(pv));
  // Values along the two rankings agree (ties may reorder indices, values may not).
  expect(pr.map((i) => pv[i])).toEqual(r.map((i) => v[i]));
  expect(r).toEqual(bruteRank(v));
});

it('trapezoidAuc is exact for piecewise-linear curves', () => {
  expect(trapezoidAuc([0, 0.5, 1], [0, 1, 0])).toBe(0.5);
  expect(trapezoidAuc([0, 0.25, 1], [1, 1, 1])).toBe(1);
  expectDroError(() => trapezoidAuc([0, 1], [1]), 'E_SHAPE', 'ys');
});

it('metric inputs are validated', () => {
  const m = [
    [
      [0.5, 0.25],
      [0, 1],
    ],
  ];
  const g = [
    [
      [1, 0],
      [0, 1],
    ],
  ];
  expectDroError(() => maskIoU(m, [[[1, 0, 0]]], { threshold: 0.5 }), 'E_SHAPE', 'gt');
  expectDroError(
    () =>
      maskIoU(
        m,
        [
          [
            [1, 0.5],
            [0, 1],
          ],
        ],
        { threshold: 0.5 },
      ),
    'E_SPEC',
    'gt',
  );
  expectDroError(() => maskIoU(m, g, {} as never), 'E_SPEC');
  expectDroError(() => maskIoU(m, g, { threshold: 0.5, topK: 1 } as never), 'E_SPEC');
  expectDroError(() => maskIoU(m, g, { topK: 5 }), 'E_SPEC', 'topK');
  expectDroError(
    () =>
      maskIoU(
        [
          [
            [2, 0],
            [0, 0],
          ],
        ],
        g,
        { soft: true },
      ),
    'E_SPEC',
    'map',
  );
  expectDroError(() => maskIoU([], g, { threshold: 0.5 }), 'E_EMPTY', 'map');
  expectDroError(
    () =>
      maskIoU(
        [
          [
            [Number.NaN, 0],
            [0, 0],
          ],
        ],
        g,
        { threshold: 0.5 },
      ),
    'E_NONFINITE',
    'map',
  );
  expectDroError(() => pointingGame(m, g, { tolerance: -1 }), 'E_SPEC', 'tolerance');
  expectDroError(() => pointingGame(m, g, { tolerence: 1 } as never), 'E_SPEC', 'tolerence');
});
