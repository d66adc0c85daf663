import { type Classifier, checkOptions, DroError, describeValue, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { type Fill, fillInput, imageInput, type Labels } from '../inputs.js';
import { checkCallable } from '../nets.js';
import { outputRule, type ScoreOutput, scoresInChunks, targetsInput } from './score.js';

const pair = (name: string) =>
  opt.custom('[number, number] of integers ≥ 1', (v, argument) => {
    if (!Array.isArray(v) || v.length !== 2 || !v.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new DroError('E_SPEC', `${argument} must be two integers ≥ 1`, {
        argument: argument || name,
        received: describeValue(v),
      });
    }
  });

const OPTIONS = {
  window: pair('window'),
  strides: pair('strides'),
  fill: opt.any(),
  output: outputRule,
  batchSize: opt.integer({ min: 1 }),
};

/** Window starts `0, s, 2s, …` plus `size − p` when missing, so that every pixel is covered. */
export function windowStarts(size: number, p: number, s: number): number[] {
  const starts: number[] = [];
  for (let r = 0; r + p <= size; r += s) starts.push(r);
  if (starts[starts.length - 1] !== size - p) starts.push(size - p);
  return starts;
}

/**
 * Occlusion (Zeiler & Fergus 2014): for each `p_h × p_w` window (default 4×4, strides 2) the drop
 * `F(x) − F(x with the window filled)`; the map is the mean drop over the windows covering each pixel. The caller
 * owns `map`.
 */
export function occlusion(
  model: Classifier,
  x: tf.Tensor4D,
  targets: Labels,
  o?: { window?: [number, number]; strides?: [number, number]; fill?: Fill; output?: ScoreOutput; batchSize?: number },
): { map: tf.Tensor3D; counts: Int32Array; rowStarts: number[]; colStarts: number[]; windowDeltas: Float64Array } {
  const caller = 'occlusion';
  const opts = checkOptions(o, OPTIONS, caller);
  checkCallable(model, 'model', caller);
  const [ph, pw] = opts.window ?? [4, 4];
  const [sh, sw] = opts.strides ?? [2, 2];
  const output = opts.output ?? 'logit';
  const bs = opts.batchSize ?? 256;
  let rest: { counts: Int32Array; rowStarts: number[]; colStarts: number[]; windowDeltas: Float64Array } | null = null;
  const map = tf.tidy(() => {
    const xt = imageInput(x, caller);
    const [b, h, w, c] = xt.shape;
    if (ph > h || pw > w) {
      throw new DroError('E_SPEC', `${caller}: window [${ph}, ${pw}] is larger than the image [${h}, ${w}]`, {
        argument: 'window',
        expected: `at most [${h}, ${w}]`,
        received: `[${ph}, ${pw}]`,
      });
    }
    const yv = targetsInput(model, xt, targets, caller);
    const q = tf.broadcastTo(fillInput(opts.fill ?? 0, xt.shape, caller), xt.shape);
    const rowStarts = windowStarts(h, ph, sh);
    const colStarts = windowStarts(w, pw, sw);
    const nr = rowStarts.length;
    const nc = colStarts.length;
    const fx = scoresInChunks(model, xt, yv, output, bs);
    const windowDeltas = new Float64Array(b * nr * nc);
    const counts = new Int32Array(h * w);
    const mapData = new Float64Array(b * h * w);
    const xd = xt.dataSync();
    const qd = q.dataSync();
    // One occluded batch per window, built on the host.
    const img = new Float32Array(xd.length);
    rowStarts.forEach((r0, ri) => {
      colStarts.forEach((c0, ci) => {
        img.set(xd);
        for (let i = 0; i < b; i++) {
          for (let r = r0; r < r0 + ph; r++) {
            for (let cc = c0; cc < c0 + pw; cc++) {
              const off = ((i * h + r) * w + cc) * c;
              for (let ch = 0; ch < c; ch++) img[off + ch] = qd[off + ch]!;
            }
          }
        }
        const occluded = tf.tensor4d(img, [b, h, w, c]);
        const fo = scoresInChunks(model, occluded, yv, output, bs);
        occluded.dispose();
        for (let i = 0; i < b; i++) {
          const d = fx[i]! - fo[i]!;
          windowDeltas[(i * nr + ri) * nc + ci] = d;
          for (let r = r0; r < r0 + ph; r++) for (let cc = c0; cc < c0 + pw; cc++) mapData[(i * h + r) * w + cc]! += d;
        }
        for (let r = r0; r < r0 + ph; r++) for (let cc = c0; cc < c0 + pw; cc++) counts[r * w + cc]! += 1;
      });
    });
    for (let i = 0; i < b; i++) for (let p = 0; p < h * w; p++) mapData[i * h * w + p]! /= counts[p]!;
    rest = { counts, rowStarts, colStarts, windowDeltas };
    return tf.tensor3d(Float32Array.from(mapData), [b, h, w]);
  });
  const r = rest as unknown as {
    counts: Int32Array;
    rowStarts: number[];
    colStarts: number[];
    windowDeltas: Float64Array;
  };
  return { map, ...r };
}
