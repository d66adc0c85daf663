import { type Classifier, checkOptions, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { outputRule, type ScoreOutput, scoresInChunks, targetsInput } from '../baselines/score.js';
import { type Fill, fillInput, hostMaps, imageInput, type Labels, type MapInput, mapsMatchImages } from '../inputs.js';
import { checkCallable } from '../nets.js';
import { rankValues, trapezoidAuc } from './ranking.js';

/** What {@link deletionInsertion} returns (host float64). */
export interface DeletionInsertionResult {
  /** `k_j / N`, j = 0…steps. */
  fractions: Float64Array;
  /** `k_j = ⌊j·N/steps⌋`. */
  pixels: Int32Array;
  /** Per image, the pixel ranking (value descending, ties by index). */
  order: Int32Array[];
  deletion: Float64Array[];
  insertion: Float64Array[];
  deletionAuc: Float64Array;
  insertionAuc: Float64Array;
  meanDeletionAuc: number;
  meanInsertionAuc: number;
}

const OPTIONS = {
  steps: opt.integer({ min: 1 }),
  fill: opt.any(),
  output: outputRule,
  batchSize: opt.integer({ min: 1 }),
};

/**
 * Deletion and insertion curves (Petsiuk et al. 2018): remove (deletion) or restore onto the fill (insertion)
 * the first `k_j` ranked pixels, all channels, and score the target (probability by default). Low deletion AUC
 * and high insertion AUC mean the ranking found the evidence the model uses.
 */
export function deletionInsertion(
  model: Classifier,
  x: tf.Tensor4D,
  targets: Labels,
  map: MapInput,
  o?: { steps?: number; fill?: Fill; output?: ScoreOutput; batchSize?: number },
): DeletionInsertionResult {
  const caller = 'deletionInsertion';
  const opts = checkOptions(o, OPTIONS, caller);
  checkCallable(model, 'model', caller);
  const steps = opts.steps ?? 20;
  const output = opts.output ?? 'probability';
  const bs = opts.batchSize ?? 256;
  let result: DeletionInsertionResult | null = null;
  tf.tidy(() => {
    const xt = imageInput(x, caller);
    const m = hostMaps(map, 'map', caller);
    mapsMatchImages(m, xt.shape, 'map', caller);
    const yv = targetsInput(model, xt, targets, caller);
    const [b, h, w, c] = xt.shape;
    const n = h * w;
    const xd = xt.dataSync();
    const qd = tf.broadcastTo(fillInput(opts.fill ?? 0, xt.shape, caller), xt.shape).dataSync();
    const pixels = Int32Array.from({ length: steps + 1 }, (_, j) => Math.floor((j * n) / steps));
    const fractions = Float64Array.from(pixels, (k) => k / n);
    const order: Int32Array[] = [];
    const deletion: Float64Array[] = [];
    const insertion: Float64Array[] = [];
    const per = steps + 1;
    const size = n * c;
    // Images are built on the host, (steps + 1) per input image and curve, and scored in chunks.
    const imgs = new Float32Array(2 * per * size);
    const ys = new Int32Array(2 * per);
    for (let i = 0; i < b; i++) {
      const ord = rankValues(m.data, i * n, n);
      order.push(ord);
      const base = i * size;
      for (let j = 0; j < per; j++) {
        const del = imgs.subarray(j * size, (j + 1) * size);
        const ins = imgs.subarray((per + j) * size, (per + j + 1) * size);
        del.set(xd.subarray(base, base + size));
        ins.set(qd.subarray(base, base + size));
        for (let t = 0; t < pixels[j]!; t++) {
          const off = ord[t]! * c;
          for (let ch = 0; ch < c; ch++) {
            del[off + ch] = qd[base + off + ch]!;
            ins[off + ch] = xd[base + off + ch]!;
          }
        }
      }
      ys.fill(yv[i]!);
      const batch = tf.tensor4d(imgs, [2 * per, h, w, c]);
      const s = scoresInChunks(model, batch, ys, output, bs);
      batch.dispose();
      deletion.push(s.slice(0, per));
      insertion.push(s.slice(per));
    }
    const deletionAuc = Float64Array.from(deletion, (d) => trapezoidAuc(fractions, d));
    const insertionAuc = Float64Array.from(insertion, (d) => trapezoidAuc(fractions, d));
    const avg = (v: Float64Array) => v.reduce((a, x) => a + x, 0) / v.length;
    result = {
      fractions,
      pixels,
      order,
      deletion,
      insertion,
      deletionAuc,
      insertionAuc,
      meanDeletionAuc: avg(deletionAuc),
      meanInsertionAuc: avg(insertionAuc),
    };
  });
  return result as unknown as DeletionInsertionResult;
}
