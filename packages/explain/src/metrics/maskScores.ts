import { type Classifier, checkOptions, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { numClassesOf } from '../baselines/score.js';
import { compositeCore } from '../composite.js';
import {
  argmaxRows,
  checkUnit,
  type Fill,
  fillInput,
  hostMaps,
  imageInput,
  type Labels,
  labelsInput,
  type MapInput,
  mapsMatchImages,
} from '../inputs.js';
import { checkCallable, runNet } from '../nets.js';

/** Per-image rows of {@link maskScores}. */
export interface MaskScoreRows {
  pFull: Float64Array;
  pSelected: Float64Array;
  pComplement: Float64Array;
  predFull: Int32Array;
  predSelected: Int32Array;
  predComplement: Int32Array;
  /** `pFull − pComplement`: high = the mask took the evidence (complete). */
  comprehensiveness: Float64Array;
  /** `pFull − pSelected`: low = the mask is enough (sufficient). */
  sufficiencyGap: Float64Array;
}

/** Means of {@link MaskScoreRows} and the three accuracies. */
export interface MaskScoreMeans {
  pFull: number;
  pSelected: number;
  pComplement: number;
  comprehensiveness: number;
  sufficiencyGap: number;
  accFull: number;
  accSelected: number;
  accComplement: number;
}

/** Softmax probabilities of `images` in chunks (host). @internal */
export function probabilitiesInChunks(model: Classifier, images: tf.Tensor4D, batchSize: number): Float32Array {
  const n = images.shape[0];
  const parts: Float32Array[] = [];
  for (let s = 0; s < n; s += batchSize) {
    const e = Math.min(n, s + batchSize);
    parts.push(
      tf.tidy(() =>
        tf.softmax(runNet(model, tf.slice(images, [s, 0, 0, 0], [e - s, -1, -1, -1]), false)).dataSync(),
      ) as Float32Array,
    );
  }
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const mean = (v: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s / v.length;
};

/**
 * Completeness and sufficiency of masks `[B, H, W]` in [0, 1] for a classifier (ERASER-style): the label's
 * probability on the full image, on the selection `m ⊙ x + (1 − m) ⊙ q` and on the complement, the argmax
 * predictions, `comprehensiveness = pFull − pComplement` and `sufficiencyGap = pFull − pSelected`.
 */
export function maskScores(
  model: Classifier,
  x: tf.Tensor4D,
  labels: Labels,
  mask: MapInput,
  o?: { fill?: Fill; batchSize?: number },
): { perSample: MaskScoreRows; means: MaskScoreMeans } {
  const caller = 'maskScores';
  const opts = checkOptions(o, { fill: opt.any(), batchSize: opt.integer({ min: 1 }) }, caller);
  checkCallable(model, 'model', caller);
  const bs = opts.batchSize ?? 256;
  let res: { perSample: MaskScoreRows; means: MaskScoreMeans } | null = null;
  tf.tidy(() => {
    const xt = imageInput(x, caller);
    const m = hostMaps(mask, 'mask', caller);
    mapsMatchImages(m, xt.shape, 'mask', caller);
    checkUnit(m, 'mask', caller);
    const k = numClassesOf(model, xt);
    const y = labelsInput(labels, caller, xt.shape[0], k);
    const q = fillInput(opts.fill ?? 0, xt.shape, caller);
    const mt = tf.tensor3d(Float32Array.from(m.data), [m.b, m.h, m.w]);
    const { selected, complement } = compositeCore(xt, mt, q);
    const b = xt.shape[0];
    const pf = probabilitiesInChunks(model, xt, bs);
    const ps = probabilitiesInChunks(model, selected, bs);
    const pc = probabilitiesInChunks(model, complement, bs);
    const at = (p: Float32Array) => Float64Array.from(y, (c, i) => p[i * k + c]!);
    const rows: MaskScoreRows = {
      pFull: at(pf),
      pSelected: at(ps),
      pComplement: at(pc),
      predFull: argmaxRows(pf, b, k),
      predSelected: argmaxRows(ps, b, k),
      predComplement: argmaxRows(pc, b, k),
      comprehensiveness: new Float64Array(b),
      sufficiencyGap: new Float64Array(b),
    };
    for (let i = 0; i < b; i++) {
      rows.comprehensiveness[i] = rows.pFull[i]! - rows.pComplement[i]!;
      rows.sufficiencyGap[i] = rows.pFull[i]! - rows.pSelected[i]!;
    }
    const acc = (p: Int32Array) => mean(Int32Array.from(p, (c, i) => (c === y[i] ? 1 : 0)));
    const means: MaskScoreMeans = {
      pFull: mean(rows.pFull),
      pSelected: mean(rows.pSelected),
      pComplement: mean(rows.pComplement),
      comprehensiveness: mean(rows.comprehensiveness),
      sufficiencyGap: mean(rows.sufficiencyGap),
      accFull: acc(rows.predFull),
      accSelected: acc(rows.predSelected),
      accComplement: acc(rows.predComplement),
    };
    res = { perSample: rows, means };
  });
  return res as unknown as { perSample: MaskScoreRows; means: MaskScoreMeans };
}
