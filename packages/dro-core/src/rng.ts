import { DroError, describeValue } from './errors.js';
import { checkState, stateKind } from './state.js';

/** Serialised state of an {@link Rng}. */
export interface RngState {
  kind: string;
  version: 1;
  algorithm: 'xoshiro128**';
  state: [number, number, number, number];
  spare: number | null;
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

function fmix32(z: number): number {
  z ^= z >>> 16;
  z = Math.imul(z, 0x85ebca6b);
  z ^= z >>> 13;
  z = Math.imul(z, 0xc2b2ae35);
  z ^= z >>> 16;
  return z >>> 0;
}

/** 32-bit FNV-1a of the UTF-8 bytes of `s`. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** splitmix32: returns the next output and the advanced counter. */
function splitmix32(x: number): [number, number] {
  const next = (x + 0x9e3779b9) >>> 0;
  return [fmix32(next), next];
}

function seedWords(seed: number | string): [number, number, number, number] {
  let x: number;
  if (typeof seed === 'string') x = fnv1a32(seed);
  else {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new DroError('E_SPEC', 'seed must be a non-negative safe integer or a string', {
        argument: 'seed',
        received: describeValue(seed),
      });
    }
    x = ((seed % 2 ** 32) ^ fmix32(Math.floor(seed / 2 ** 32) >>> 0)) >>> 0;
  }
  const out: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [v, nx] = splitmix32(x);
    out.push(v);
    x = nx;
  }
  return out as [number, number, number, number];
}

/** Set on globalThis by `@drojs/native` while its kernels are registered (same stream as {@link Rng.fillNormal}). */
const NATIVE_FILL = Symbol.for('@drojs/native/fillNormal');
type NativeFill = (state: Uint32Array, spare: Float64Array, out: Float32Array | Float64Array, scale: number) => void;

/**
 * Seedable generator (xoshiro128**, 32-bit arithmetic). Every random function of drojs draws from one of
 * these so results do not depend on the tfjs backend. State is a plain JSON object (see {@link RngState}).
 */
export class Rng {
  private s: Uint32Array;
  private spare: number | null = null;

  private constructor(words: ArrayLike<number>, spare: number | null) {
    this.s = Uint32Array.from(words);
    this.spare = spare;
  }

  /** @internal */
  static fromWords(words: ArrayLike<number>): Rng {
    return new Rng(words, null);
  }

  /** Next 32-bit unsigned integer. */
  u32(): number {
    const s = this.s;
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

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.u32() >>> 5;
    const b = this.u32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Unbiased integer in [0, n) (rejection sampling, no modulo bias); n ≤ 2^32. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) {
      throw new DroError('E_SPEC', 'n must be a whole number in [1, 2^32]', {
        argument: 'n',
        received: describeValue(n),
      });
    }
    if (n === 1) return 0;
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const r = this.u32();
      if (r < limit) return r % n;
    }
  }

  /** Standard normal by Box–Muller; the spare is cached and is part of the state. */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    const th = 2 * Math.PI * u2;
    this.spare = r * Math.sin(th);
    return r * Math.cos(th);
  }

  /**
   * Fills `out` with `scale · normal()` draws — exactly the stream of calling {@link normal} `out.length` times
   * (spare included), several times faster: the generator's words live in locals and Box–Muller runs inline.
   * Used by certification, where sampling noise dominates. With `@drojs/native` registered (initBackend on wasm)
   * fills of 16 or more values run in C — bit-identical: V8's fdlibm log/sin/cos are reproduced there.
   */
  fillNormal(out: Float32Array | Float64Array, scale = 1): void {
    const n = out.length;
    let i = 0;
    if (n === 0) return;
    const native = (globalThis as unknown as Record<symbol, NativeFill | undefined>)[NATIVE_FILL];
    if (native !== undefined && n >= 16) {
      // @drojs/native's fill (registered with its kernels): the same stream bit for bit, in C.
      const box = Float64Array.of(this.spare !== null ? 1 : 0, this.spare ?? 0);
      native(this.s, box, out, scale);
      this.spare = box[0] !== 0 ? box[1]! : null;
      return;
    }
    if (this.spare !== null) {
      out[i++] = scale * this.spare;
      this.spare = null;
    }
    const st = this.s;
    // The generator's words as int32 locals: xoshiro's shifts, xors and rotations give the same bit patterns
    // on int32 as on uint32, and int32 values stay V8 small integers (uint32 ones above 2³¹ become heap
    // doubles, which cost about half of this loop's time). Only the 27/26-bit parts feed the uniforms.
    let s0 = st[0]! | 0;
    let s1 = st[1]! | 0;
    let s2 = st[2]! | 0;
    let s3 = st[3]! | 0;
    const TWO_PI = 2 * Math.PI;
    let spare: number | null = null;
    while (i < n) {
      // Four xoshiro128** outputs → two 53-bit uniforms (same order as uniform() twice).
      let m = Math.imul(s1, 5);
      let w = Math.imul((m << 7) | (m >>> 25), 9);
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const a1 = w >>> 5;
      m = Math.imul(s1, 5);
      w = Math.imul((m << 7) | (m >>> 25), 9);
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const u1 = 1 - (a1 * 67108864 + (w >>> 6)) / 9007199254740992;
      m = Math.imul(s1, 5);
      w = Math.imul((m << 7) | (m >>> 25), 9);
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const a2 = w >>> 5;
      m = Math.imul(s1, 5);
      w = Math.imul((m << 7) | (m >>> 25), 9);
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const u2 = (a2 * 67108864 + (w >>> 6)) / 9007199254740992;
      const r = Math.sqrt(-2 * Math.log(u1));
      const th = TWO_PI * u2;
      out[i++] = scale * (r * Math.cos(th));
      const second = r * Math.sin(th);
      if (i < n) out[i++] = scale * second;
      else spare = second;
    }
    // Uint32Array stores keep the bit patterns (ToUint32).
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
    this.spare = spare;
  }

  /**
   * Fills `out` with `scale ·` standard normal draws by Marsaglia's polar method — a different stream from
   * {@link normal}/{@link fillNormal} (Box–Muller), named `'polar'` wherever a caller can choose it, and about
   * twice as fast: one `Math.log` and one `Math.sqrt` per pair instead of `log`, `sqrt`, `cos` and `sin`.
   * Each attempt takes two 53-bit uniforms u, v on (−1, 1) (four words, as two {@link uniform} calls: 2·U − 1),
   * rejects s = u² + v² ∉ (0, 1) (≈ 21 % of attempts) and yields u·f, v·f with f = √(−2 ln s / s). Pairs are
   * whole within one call: an odd length drops the pair's second value, and the Box–Muller spare is neither
   * used nor changed, so the result depends only on the generator state and `out.length`.
   */
  fillNormalPolar(out: Float32Array | Float64Array, scale = 1): void {
    const n = out.length;
    const st = this.s;
    // int32 locals, as in fillNormal.
    let s0 = st[0]! | 0;
    let s1 = st[1]! | 0;
    let s2 = st[2]! | 0;
    let s3 = st[3]! | 0;
    let i = 0;
    while (i < n) {
      let m = Math.imul(s1, 5);
      let w = Math.imul((m << 7) | (m >>> 25), 9);
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const a1 = w >>> 5;
      m = Math.imul(s1, 5);
      w = Math.imul((m << 7) | (m >>> 25), 9);
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const u = 2 * ((a1 * 67108864 + (w >>> 6)) / 9007199254740992) - 1;
      m = Math.imul(s1, 5);
      w = Math.imul((m << 7) | (m >>> 25), 9);
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const a2 = w >>> 5;
      m = Math.imul(s1, 5);
      w = Math.imul((m << 7) | (m >>> 25), 9);
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const v = 2 * ((a2 * 67108864 + (w >>> 6)) / 9007199254740992) - 1;
      const sq = u * u + v * v;
      if (sq >= 1 || sq === 0) continue;
      const f = scale * Math.sqrt((-2 * Math.log(sq)) / sq);
      out[i++] = u * f;
      if (i < n) out[i++] = v * f;
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /** k distinct indices from [0, n) (partial Fisher–Yates). */
  choice(n: number, k: number): Int32Array {
    if (!Number.isInteger(k) || k < 0 || k > n) {
      throw new DroError('E_SPEC', 'k must be a whole number in [0, n]', {
        argument: 'k',
        expected: `0 ≤ k ≤ ${n}`,
        received: describeValue(k),
      });
    }
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
    }
    return idx.slice(0, k);
  }

  /** An independent stream derived from the current state and `label`; does not advance this one. */
  fork(label: string): Rng {
    let x = fnv1a32(label);
    const c: number[] = [];
    for (let i = 0; i < 4; i++) {
      x = (x ^ this.s[i]!) >>> 0;
      const [v, nx] = splitmix32(x);
      c.push(v);
      x = nx;
    }
    if (!c.some((w) => w !== 0)) c[0] = 1;
    return new Rng(c, null);
  }

  /** A copy of this generator at its current position. */
  clone(): Rng {
    return new Rng(this.s, this.spare);
  }

  getState(): RngState {
    return {
      kind: stateKind('dro-core', 'Rng'),
      version: 1,
      algorithm: 'xoshiro128**',
      state: Array.from(this.s) as [number, number, number, number],
      spare: this.spare,
    };
  }

  /** Restores a state in place (validated first, so a bad state leaves this generator untouched). */
  setState(state: RngState): void {
    const r = Rng.fromState(state);
    this.s = r.s;
    this.spare = r.spare;
  }

  static fromState(state: RngState): Rng {
    checkState(state, stateKind('dro-core', 'Rng'), [1], ['rng']);
    const w = (state as Partial<RngState>).state;
    const ok =
      Array.isArray(w) &&
      w.length === 4 &&
      w.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32) &&
      w.some((v) => v !== 0) &&
      (state.spare === null || typeof state.spare === 'number');
    if (!ok)
      throw new DroError('E_STATE_VERSION', 'malformed rng state', {
        argument: 'state',
        expected: '4 uint32 words, not all zero',
      });
    return new Rng(w, state.spare);
  }
}

/** Creates a generator from a non-negative safe integer or a string. */
export function createRng(seed: number | string): Rng {
  return Rng.fromWords(seedWords(seed));
}

/** Accepts a seed or an Rng, returning an Rng (the same object when one is given). */
export function toRng(seedOrRng: number | string | Rng): Rng {
  return seedOrRng instanceof Rng ? seedOrRng : createRng(seedOrRng);
}
