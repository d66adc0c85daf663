import { checkOptions, DroError, describeValue, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkCount, checkOneOf } from '../checks.js';

/** `'compact'`: each side holds only its own coordinates; `'masked'`: input shape, other side set to 0. */
export type SplitLayout = 'compact' | 'masked';
/** A fixed partition of the input coordinates into a left and a right side (§3.2, §7.4). */
export type SplitSpec =
  | { kind: 'checkerboard'; height: number; width: number; channels: number; layout: SplitLayout }
  | { kind: 'mask'; inputShape: number[]; left: number[]; layout: SplitLayout };
export type Side = 'left' | 'right';

const LAYOUTS: readonly SplitLayout[] = ['compact', 'masked'];

/** h × w arrays of 0/1 with left = {(i, j) : i + j even} and right its complement. */
export function checkerboardMasks(h: number, w: number): { left: number[][]; right: number[][] } {
  checkCount(h, 'h');
  checkCount(w, 'w');
  const left: number[][] = [];
  const right: number[][] = [];
  for (let i = 0; i < h; i++) {
    const l: number[] = [];
    const r: number[] = [];
    for (let j = 0; j < w; j++) {
      const even = (i + j) % 2 === 0 ? 1 : 0;
      l.push(even);
      r.push(1 - even);
    }
    left.push(l);
    right.push(r);
  }
  return { left, right };
}

/** The checkerboard split of `[H, W, C]` images (default layout `'compact'`, which needs an even width). */
export function checkerboardSplit(
  height: number,
  width: number,
  opts: { channels?: number; layout?: SplitLayout } = {},
): SplitSpec {
  checkOptions(opts, { channels: opt.any(), layout: opt.any() }, 'checkerboardSplit');
  const spec: SplitSpec = {
    kind: 'checkerboard',
    height,
    width,
    channels: opts.channels ?? 1,
    layout: opts.layout ?? 'compact',
  };
  validateSplit(spec, 'split');
  return spec;
}

/**
 * A split from a 0/1 mask of the left side, per coordinate (length = prod(inputShape)) or per pixel
 * (length = prod(inputShape without its last axis), shared by channels); default layout `'masked'`.
 */
export function maskSplit(
  left: ArrayLike<number> | number[][],
  inputShape: number[],
  opts: { layout?: SplitLayout } = {},
): SplitSpec {
  checkOptions(opts, { layout: opt.any() }, 'maskSplit');
  const flat: number[] = [];
  const src = left as ArrayLike<unknown>;
  for (let i = 0; i < src.length; i++) {
    const row = src[i];
    if (Array.isArray(row)) for (const v of row) flat.push(v as number);
    else flat.push(row as number);
  }
  const spec: SplitSpec = { kind: 'mask', inputShape: [...inputShape], left: flat, layout: opts.layout ?? 'masked' };
  validateSplit(spec, 'split');
  return spec;
}

/** Throws DroError unless `spec` is a valid split. */
export function validateSplit(spec: unknown, argument = 'split'): asserts spec is SplitSpec {
  if (!spec || typeof spec !== 'object') {
    throw new DroError('E_SPEC', `${argument} must be a split spec`, { argument, received: describeValue(spec) });
  }
  const s = spec as SplitSpec;
  checkOneOf(s.kind, `${argument}.kind`, ['checkerboard', 'mask'] as const);
  checkOneOf(s.layout, `${argument}.layout`, LAYOUTS);
  if (s.kind === 'checkerboard') {
    checkCount(s.height, `${argument}.height`);
    checkCount(s.width, `${argument}.width`);
    checkCount(s.channels, `${argument}.channels`);
    if (s.height * s.width < 2) {
      throw new DroError('E_SPEC', `${argument} has an empty side`, { argument, expected: 'at least 2 pixels' });
    }
    if (s.layout === 'compact' && s.width % 2 !== 0) {
      throw new DroError('E_SHAPE', `${argument}.width must be even for a compact checkerboard`, {
        argument: `${argument}.width`,
        expected: "an even width (or layout 'masked')",
        received: String(s.width),
      });
    }
    return;
  }
  if (!Array.isArray(s.inputShape) || s.inputShape.length === 0) {
    throw new DroError('E_SPEC', `${argument}.inputShape must be a non-empty array`, {
      argument: `${argument}.inputShape`,
    });
  }
  s.inputShape.forEach((d, i) => {
    checkCount(d, `${argument}.inputShape[${i}]`);
  });
  const d = s.inputShape.reduce((a, b) => a * b, 1);
  const perPixel = s.inputShape.slice(0, -1).reduce((a, b) => a * b, 1);
  if (!Array.isArray(s.left) || (s.left.length !== d && !(s.inputShape.length > 1 && s.left.length === perPixel))) {
    throw new DroError('E_SHAPE', `${argument}.left has the wrong length`, {
      argument: `${argument}.left`,
      expected: `${d} (per coordinate)${s.inputShape.length > 1 ? ` or ${perPixel} (per pixel)` : ''}`,
      received: describeValue(s.left),
    });
  }
  let ones = 0;
  for (const v of s.left) {
    if (v !== 0 && v !== 1) {
      throw new DroError('E_SPEC', `${argument}.left must hold only 0 and 1`, {
        argument: `${argument}.left`,
        received: describeValue(v),
      });
    }
    ones += v;
  }
  if (ones === 0 || ones === s.left.length) {
    throw new DroError('E_SPEC', `${argument} has an empty ${ones === 0 ? 'left' : 'right'} side`, {
      argument: `${argument}.left`,
      expected: 'both sides non-empty',
    });
  }
}

/** Input shape of one example (no batch axis). */
export function splitInputShape(spec: SplitSpec): number[] {
  return spec.kind === 'checkerboard' ? [spec.height, spec.width, spec.channels] : [...spec.inputShape];
}

/** Per-coordinate 0/1 membership of the left side, row-major over the input shape. */
export function leftMembership(spec: SplitSpec): Uint8Array {
  const shape = splitInputShape(spec);
  const d = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(d);
  if (spec.kind === 'checkerboard') {
    const { height: h, width: w, channels: c } = spec;
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++) for (let k = 0; k < c; k++) out[(i * w + j) * c + k] = (i + j) % 2 === 0 ? 1 : 0;
    return out;
  }
  if (spec.left.length === d) {
    for (let i = 0; i < d; i++) out[i] = spec.left[i] as number;
    return out;
  }
  const c = shape[shape.length - 1] as number;
  for (let i = 0; i < d; i++) out[i] = spec.left[Math.floor(i / c)] as number;
  return out;
}

/** Flat coordinate indices of one side, in the order of its compact layout. */
export function sideIndices(spec: SplitSpec, side: Side): Int32Array {
  if (spec.kind === 'checkerboard') {
    const { height: h, width: w, channels: c } = spec;
    const half = w / 2;
    const out = new Int32Array(h * half * c);
    let t = 0;
    for (let i = 0; i < h; i++) {
      const phase = side === 'left' ? i % 2 : 1 - (i % 2);
      for (let j = 0; j < half; j++) for (let k = 0; k < c; k++) out[t++] = (i * w + 2 * j + phase) * c + k;
    }
    return out;
  }
  const m = leftMembership(spec);
  const want = side === 'left' ? 1 : 0;
  const idx: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i] === want) idx.push(i);
  return Int32Array.from(idx);
}

/** Shape of one side's sub-input for one example (no batch axis). */
export function subInputShape(spec: SplitSpec, side: Side): number[] {
  validateSplit(spec);
  checkOneOf(side, 'side', ['left', 'right'] as const);
  if (spec.layout === 'masked') return splitInputShape(spec);
  if (spec.kind === 'checkerboard') return [spec.height, spec.width / 2, spec.channels];
  return [sideIndices(spec, side).length];
}

/** Membership (0/1 float) of one side over the full input shape, for the masked layout. */
export function sideMask(spec: SplitSpec, side: Side): Float32Array {
  const m = leftMembership(spec);
  return Float32Array.from(m, (v) => (side === 'left' ? v : 1 - v));
}

/** Checks that `x` is `[B, ...inputShape]` (batched) or `inputShape` (one example). */
export function checkSplitInput(spec: SplitSpec, x: tf.Tensor, batched: boolean | 'either', argument = 'x'): boolean {
  const shape = splitInputShape(spec);
  const one = x.rank === shape.length && x.shape.every((d, i) => d === shape[i]);
  const many = x.rank === shape.length + 1 && x.shape.slice(1).every((d, i) => d === shape[i]);
  const ok = batched === 'either' ? one || many : batched ? many : one;
  if (!ok) {
    throw new DroError('E_SHAPE', `${argument} does not match the split`, {
      argument,
      expected: `${batched === true ? '[B, ' : '['}${shape.join(', ')}]${batched === 'either' ? ' with an optional batch axis' : ''}`,
      received: `[${x.shape.join(', ')}]`,
    });
  }
  return many;
}

/** @internal Split a batch `[B, ...inputShape]` without validation (inside a tidy). */
export function splitBatch(spec: SplitSpec, xb: tf.Tensor, side: Side): tf.Tensor {
  const shape = splitInputShape(spec);
  const b = xb.shape[0] as number;
  if (spec.layout === 'masked') return tf.mul(xb, tf.tensor(sideMask(spec, side), shape, 'float32'));
  const d = shape.reduce((a, c) => a * c, 1);
  const idx = tf.tensor1d(sideIndices(spec, side), 'int32');
  const flat = tf.gather(tf.reshape(xb, [b, d]), idx, 1);
  return tf.reshape(flat, [b, ...subInputShape(spec, side)]);
}

/**
 * Deterministic split of a batch `[B, ...inputShape]` (or one example) into the two sub-inputs, no
 * noise. The caller disposes both tensors.
 */
export function splitInputs(spec: SplitSpec, x: tf.Tensor): { left: tf.Tensor; right: tf.Tensor } {
  validateSplit(spec);
  if (!(x instanceof tf.Tensor))
    throw new DroError('E_DTYPE', 'x must be a tensor', { argument: 'x', received: describeValue(x) });
  if (x.dtype !== 'float32') throw new DroError('E_DTYPE', 'x must be float32', { argument: 'x', received: x.dtype });
  const batched = checkSplitInput(spec, x, 'either');
  return tf.tidy(() => {
    const xb = batched ? x : tf.expandDims(x, 0);
    const l = splitBatch(spec, xb, 'left');
    const r = splitBatch(spec, xb, 'right');
    return batched ? { left: l, right: r } : { left: tf.squeeze(l, [0]), right: tf.squeeze(r, [0]) };
  });
}
