import { expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx } from './idx.js';

/** A 2 × 2 × 3 image file written byte by byte, independent of encodeIdx. */
function handBuiltImages(): Uint8Array {
  return Uint8Array.from([
    0x00,
    0x00,
    0x08,
    0x03, // magic 0x00000803
    0x00,
    0x00,
    0x00,
    0x02, // N = 2
    0x00,
    0x00,
    0x00,
    0x02, // rows = 2
    0x00,
    0x00,
    0x00,
    0x03, // cols = 3
    0,
    1,
    2,
    3,
    4,
    5,
    250,
    251,
    252,
    253,
    254,
    255,
  ]);
}

describe('parseIdx', () => {
  it('reads the header and payload of a hand-built image file', () => {
    const idx = parseIdx(handBuiltImages());
    expect(idx.magic).toBe(0x803);
    expect(idx.dims).toEqual([2, 2, 3]);
    expect(Array.from(idx.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  });

  it('reads a label file with a dimension above 255 (big-endian)', () => {
    const n = 0x0102;
    const bytes = new Uint8Array(8 + n);
    bytes.set([0, 0, 8, 1, 0, 0, 1, 2]);
    for (let i = 0; i < n; i++) bytes[8 + i] = i % 10;
    const idx = parseIdx(bytes);
    expect(idx.magic).toBe(0x801);
    expect(idx.dims).toEqual([258]);
    expect(idx.data[257]).toBe(257 % 10);
  });

  it('works on a view with a byte offset', () => {
    const inner = handBuiltImages();
    const outer = new Uint8Array(inner.length + 5);
    outer.set(inner, 5);
    expect(parseIdx(outer.subarray(5)).dims).toEqual([2, 2, 3]);
  });

  it('round-trips through encodeIdx', () => {
    const data = Uint8Array.from({ length: 24 }, (_, i) => (i * 37) % 256);
    const idx = parseIdx(encodeIdx([2, 3, 4], data));
    expect(idx.magic).toBe(0x803);
    expect(idx.dims).toEqual([2, 3, 4]);
    expect(Array.from(idx.data)).toEqual(Array.from(data));
    expect(Array.from(encodeIdx([2, 2, 3], parseIdx(handBuiltImages()).data))).toEqual(Array.from(handBuiltImages()));
  });

  it('rejects bad input with DroError', () => {
    expectDroError(() => parseIdx(Uint8Array.from([0, 0, 8])), 'E_SPEC', 'bytes');
    expectDroError(() => parseIdx(Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 0])), 'E_SPEC', 'bytes');
    // float payload (type 0x0d) is not supported
    expectDroError(() => parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 0])), 'E_SPEC', 'bytes');
    expectDroError(() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 2])), 'E_SPEC', 'bytes');
    const truncated = handBuiltImages().subarray(0, 27);
    expectDroError(() => parseIdx(truncated), 'E_SHAPE', 'bytes');
    const extra = new Uint8Array(handBuiltImages().length + 1);
    extra.set(handBuiltImages());
    expectDroError(() => parseIdx(extra), 'E_SHAPE', 'bytes');
    expectDroError(() => parseIdx([0, 0, 8, 1] as unknown as Uint8Array), 'E_DTYPE', 'bytes');
    expectDroError(() => encodeIdx([2, 2], new Uint8Array(3)), 'E_SHAPE', 'data');
  });
});
