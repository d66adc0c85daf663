import { createRng } from '@drojs/dro-core';
import { describe, expect, it } from 'vitest';
import { groupCounts, makeGroupedSplit, PIXELS, UPPER_BODY_CLASSES } from './spuriousData.js';

const n = 4000;
const images = new Float32Array(n * PIXELS).fill(0.5);
const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
const rows = Int32Array.from({ length: n }, (_, i) => i);

describe('makeGroupedSplit', () => {
  it('labels upper-body garments, draws the attribute with the given agreement, and stamps the patch', () => {
    const s = makeGroupedSplit(images, labels, rows, 0.95, createRng(1));
    let agree = 0;
    for (let i = 0; i < n; i++) {
      expect(s.y[i]).toBe(UPPER_BODY_CLASSES.includes(labels[i]!) ? 1 : 0);
      expect(s.g[i]).toBe(2 * s.y[i]! + s.a[i]!);
      if (s.a[i] === s.y[i]) agree++;
      // patch corner pixel (0, 0) and (3, 3) are 1 exactly when a = 1; (4, 4) is untouched
      expect(s.x[i * PIXELS]).toBe(s.a[i] === 1 ? 1 : 0.5);
      expect(s.x[i * PIXELS + 3 * 28 + 3]).toBe(s.a[i] === 1 ? 1 : 0.5);
      expect(s.x[i * PIXELS + 4 * 28 + 4]).toBe(0.5);
    }
    // binomial(4000, 0.95): sd ≈ 13.8
    expect(Math.abs(agree - 0.95 * n)).toBeLessThan(4 * Math.sqrt(n * 0.95 * 0.05));
    expect(groupCounts(s.g).reduce((a, b) => a + b, 0)).toBe(n);
    expect(images[0]).toBe(0.5); // source images untouched
  });

  it('is balanced at agreement 0.5 and deterministic by seed', () => {
    const a = makeGroupedSplit(images, labels, rows, 0.5, createRng(2));
    const b = makeGroupedSplit(images, labels, rows, 0.5, createRng(2));
    expect(Array.from(a.a)).toEqual(Array.from(b.a));
    const ones = a.a.reduce((x, y) => x + y, 0);
    expect(Math.abs(ones - n / 2)).toBeLessThan(4 * Math.sqrt(n / 4));
  });
});
