import { describe, expect, it } from 'vitest';
import { nativeBinding } from './loader.js';
import { binaryAbsentTest, nativeSetup } from './testKit.js';

const status = await nativeSetup();

/** The stream of dro-core's Rng.fillNormal, in JavaScript (xoshiro128** → two uniforms → Box–Muller). */
class Reference {
  s: Uint32Array;
  spare: number | null = null;
  constructor(seed: number) {
    this.s = Uint32Array.from([seed ^ 0x9e3779b9, 0x243f6a88, 0xb7e15162, seed + 1]);
  }
  private u32(): number {
    const s = this.s;
    const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }
  private uniform(): number {
    const a = this.u32() >>> 5;
    const b = this.u32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
  fill(out: Float32Array | Float64Array, scale: number): void {
    let i = 0;
    if (out.length === 0) return;
    if (this.spare !== null) {
      out[i++] = scale * this.spare;
      this.spare = null;
    }
    while (i < out.length) {
      const u1 = 1 - this.uniform();
      const u2 = this.uniform();
      const r = Math.sqrt(-2 * Math.log(u1));
      const th = 2 * Math.PI * u2;
      out[i++] = scale * (r * Math.cos(th));
      const second = r * Math.sin(th);
      if (i < out.length) out[i++] = scale * second;
      else this.spare = second;
    }
  }
}

if (!status.loaded) {
  describe('native Gaussian fill', () => binaryAbsentTest(status, 'noise.test.ts'));
} else {
  describe('native Gaussian fill (the Rng.fillNormal stream)', () => {
    const binding = nativeBinding()!;
    function native(seed: number) {
      const ref = new Reference(seed);
      const state = Uint32Array.from(ref.s);
      const spare = new Float64Array(2);
      return {
        fill: (out: Float32Array | Float64Array, scale: number) => binding.fillNormal(state, spare, out, scale),
        state,
        spare,
      };
    }

    it('is bit-identical to the JavaScript stream over 2,000,000 float64 values (V8 log/sin/cos reproduced)', () => {
      const ref = new Reference(7);
      const nat = native(7);
      const a = new Float64Array(2_000_000);
      const b = new Float64Array(2_000_000);
      ref.fill(a, 1);
      nat.fill(b, 1);
      let differ = 0;
      for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differ++;
      expect(differ).toBe(0);
      expect(Array.from(nat.state)).toEqual(Array.from(ref.s));
    });

    it('float32 output, a scale, odd lengths and the spare carried across calls match too', () => {
      const ref = new Reference(123);
      const nat = native(123);
      for (const n of [1, 7, 2, 0, 33, 1000, 5]) {
        const a = new Float32Array(n);
        const b = new Float32Array(n);
        ref.fill(a, 0.25);
        nat.fill(b, 0.25);
        expect(Array.from(b)).toEqual(Array.from(a));
        expect(nat.spare[0] !== 0).toBe(ref.spare !== null);
        if (ref.spare !== null) expect(nat.spare[1]).toBe(ref.spare);
      }
      const tailView = new Float64Array(10).subarray(3);
      const expected = new Float64Array(7);
      ref.fill(expected, 2);
      nat.fill(tailView, 2);
      expect(Array.from(tailView)).toEqual(Array.from(expected));
    });

    it('rejects other arguments with a TypeError instead of touching memory', () => {
      expect(() => binding.fillNormal(new Uint32Array(3), new Float64Array(2), new Float32Array(2), 1)).toThrow(
        TypeError,
      );
      expect(() =>
        binding.fillNormal(new Uint32Array(4), new Float64Array(2), new Int32Array(2) as unknown as Float32Array, 1),
      ).toThrow(TypeError);
    });
  });
}
