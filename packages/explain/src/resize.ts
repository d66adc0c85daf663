import { DroError, describeValue, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { logitsInput } from './inputs.js';

/** How mask logits are resized: bilinear with half-pixel centres, or nearest (`'nearest-exact'`). */
export type UpsampleMode = 'bilinear' | 'nearest';

/** Option rule shared by every function that takes `upsample`. */
export const upsampleRule = opt.oneOf(['bilinear', 'nearest'] as const);

function checkSize(n: unknown, argument: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new DroError('E_SPEC', `${argument} must be a positive integer`, {
      argument,
      expected: 'an integer ≥ 1',
      received: describeValue(n),
    });
  }
  return n;
}

function checkMode(mode: unknown): UpsampleMode {
  if (mode !== 'bilinear' && mode !== 'nearest') {
    throw new DroError('E_SPEC', `upsample must be 'bilinear' or 'nearest'`, {
      argument: 'upsample',
      expected: "'bilinear' | 'nearest'",
      received: describeValue(mode),
    });
  }
  return mode;
}

/**
 * The interpolation matrix `A ∈ R^{outSize × inSize}` (row-major, float64) that resizes one axis: bilinear with
 * half-pixel centres (PyTorch `align_corners=False`, TF `half_pixel_centers=True`) or nearest with
 * `⌊(i + ½)·n/N⌋`. Rows sum to 1; shrinking uses the same formula without anti-aliasing.
 */
export function resizeMatrix(inSize: number, outSize: number, mode: UpsampleMode = 'bilinear'): Float64Array {
  const n = checkSize(inSize, 'inSize');
  const big = checkSize(outSize, 'outSize');
  checkMode(mode);
  const a = new Float64Array(big * n);
  for (let i = 0; i < big; i++) {
    if (mode === 'nearest') {
      a[i * n + Math.min(Math.floor(((i + 0.5) * n) / big), n - 1)] = 1;
      continue;
    }
    const s = Math.max(((i + 0.5) * n) / big - 0.5, 0);
    const i0 = Math.min(Math.floor(s), n - 1);
    const i1 = Math.min(i0 + 1, n - 1);
    const lambda = i0 < n - 1 ? s - i0 : 0;
    a[i * n + i0] = a[i * n + i0]! + (1 - lambda);
    a[i * n + i1] = a[i * n + i1]! + lambda;
  }
  return a;
}

// Matrices are uploaded once per (backend, sizes, mode): the trainer calls this every step.
const cache = new Map<string, tf.Tensor2D>();

/** The interpolation matrix as a cached float32 tensor (owned by the cache; see {@link disposeCaches}). */
export function resizeMatrixTensor(inSize: number, outSize: number, mode: UpsampleMode): tf.Tensor2D {
  const key = `${tf.getBackend()}:${inSize}:${outSize}:${mode}`;
  let t = cache.get(key);
  if (t === undefined || t.isDisposed) {
    const a = resizeMatrix(inSize, outSize, mode);
    t = tf.keep(tf.tensor2d(Float32Array.from(a), [outSize, inSize]));
    cache.set(key, t);
  }
  return t;
}

/** Frees the cached interpolation matrices (they are rebuilt on demand). */
export function disposeCaches(): void {
  for (const t of cache.values()) t.dispose();
  cache.clear();
}

/** `U_b = A_H z_b A_Wᵀ` for a validated `[B, h, w]` tensor; differentiable through `matMul`. @internal */
export function upsampleCore(z: tf.Tensor3D, size: [number, number], mode: UpsampleMode): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, h, w] = z.shape;
    const [bigH, bigW] = size;
    const aH = resizeMatrixTensor(h, bigH, mode);
    const aW = resizeMatrixTensor(w, bigW, mode);
    // z·A_Wᵀ on rows, then A_H· on columns; tf.image.resizeBilinear is avoided on purpose (its gradient ignores
    // halfPixelCenters in tfjs 4.22).
    const y = tf.reshape(tf.matMul(tf.reshape(z, [b * h, w]), aW, false, true), [b, h, bigW]);
    const yt = tf.reshape(tf.transpose(y, [1, 0, 2]), [h, b * bigW]);
    return tf.transpose(tf.reshape(tf.matMul(aH, yt), [bigH, b, bigW]), [1, 0, 2]) as tf.Tensor3D;
  });
}

/** Checks `size = [H, W]` (positive integers). @internal */
export function checkSizePair(size: unknown, caller: string): [number, number] {
  if (!Array.isArray(size) || size.length !== 2) {
    throw new DroError('E_SPEC', `${caller}: size must be [H, W]`, {
      argument: 'size',
      expected: '[H, W]',
      received: describeValue(size),
    });
  }
  return [checkSize(size[0], 'size[0]'), checkSize(size[1], 'size[1]')];
}

/**
 * Upsamples mask logits `[B, h, w]` (or `[B, h, w, 1]`) to `[B, H, W]` by the interpolation matrices of
 * {@link resizeMatrix}. The caller owns the result.
 */
export function upsampleLogits(z: tf.Tensor, size: [number, number], mode: UpsampleMode = 'bilinear'): tf.Tensor3D {
  const sz = checkSizePair(size, 'upsampleLogits');
  checkMode(mode);
  return tf.tidy(() => upsampleCore(logitsInput(z, 'upsampleLogits', null), sz, mode));
}
