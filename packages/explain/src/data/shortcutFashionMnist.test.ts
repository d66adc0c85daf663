import { expectDroError } from '@drojs/dro-core/testing';
import { expect, it } from 'vitest';
import { SHORTCUT_SLOTS, shortcutFashionMnist } from './shortcutFashionMnist.js';

const n = 20;
const images = Uint8Array.from({ length: n * 784 }, (_, i) => ((i * 37) % 11 === 0 ? 200 : 0));
const labels = Array.from({ length: n }, (_, i) => i % 10);

it('aligned patches sit at the label slot, random ones anywhere, none nowhere; masks are consistent', () => {
  const a = shortcutFashionMnist(images, labels, { mode: 'aligned' });
  const r = shortcutFashionMnist(images, labels, { mode: 'random', seed: 'x' });
  const z = shortcutFashionMnist(images, labels, { mode: 'none' });
  for (let i = 0; i < n; i++) {
    expect(a.slot[i]).toBe(labels[i]);
    expect(z.slot[i]).toBe(-1);
    const [r0, c0] = SHORTCUT_SLOTS[a.slot[i]!]!;
    let count = 0;
    for (let p = 0; p < 784; p++) {
      const inPatch = a.patchMask[i * 784 + p] === 1;
      if (inPatch) {
        count++;
        expect(a.x[i * 784 + p]).toBe(1);
        const rr = Math.floor(p / 28);
        const cc = p % 28;
        expect(rr >= r0 && rr < r0 + 4 && cc >= c0 && cc < c0 + 4).toBe(true);
      }
      // The item lies in rows/columns 4…23, outside every slot.
      if (a.objectMask[i * 784 + p]) expect(inPatch).toBe(false);
      expect(z.patchMask[i * 784 + p]).toBe(0);
    }
    expect(count).toBe(16);
  }
  expect(new Set(r.slot).size).toBeGreaterThan(3);
  expect(Array.from(shortcutFashionMnist(images, labels, { mode: 'random', seed: 'x' }).slot)).toEqual(Array.from(r.slot));
});

it('rejects bad input', () => {
  expectDroError(() => shortcutFashionMnist(images, labels, { mode: 'diagonal' as never }), 'E_SPEC', 'mode');
  expectDroError(() => shortcutFashionMnist(images.subarray(1), labels, { mode: 'none' }), 'E_SHAPE', 'images');
  expectDroError(() => shortcutFashionMnist(images, labels.map(() => 10), { mode: 'none' }), 'E_LABEL_RANGE', 'labels');
});
