// Explanation metrics of spec §10.3 for one ranking map (and, for COMET, its own binary mask).
import type { Classifier } from '@drojs/dro-core';
import { deletionInsertion, maskIoU, maskScores, pointingGame, rankPixels } from '@drojs/explain';
import * as tf from '@tensorflow/tfjs-core';

export interface ExplanationRow {
  area: number;
  iouObject: number;
  iouObjectTopK: number;
  patchCoverage: number;
  patchIouTop16: number;
  pointObject: number;
  pointPatch: number;
  massOnPatch: number;
  accComplement: number;
  accSelection: number;
  deletionAuc: number;
  insertionAuc: number;
}

export interface TestSet {
  x: tf.Tensor4D;
  labels: Int32Array;
  objectMask: Float32Array;
  patchMask: Float32Array;
  n: number;
}

const PIX = 28 * 28;

function toMaps(data: Float32Array | Float64Array, n: number): tf.Tensor3D {
  return tf.tensor3d(Float32Array.from(data), [n, 28, 28]);
}

/** Binary masks from a map: the top k_i pixels of image i. */
export function topKMasks(map: Float32Array, k: ArrayLike<number>, n: number): Float32Array {
  const out = new Float32Array(n * PIX);
  for (let i = 0; i < n; i++) {
    const order = rankPixels(map.subarray(i * PIX, (i + 1) * PIX));
    for (let j = 0; j < k[i]!; j++) out[i * PIX + order[j]!] = 1;
  }
  return out;
}

const sumsOf = (m: Float32Array, n: number) =>
  Int32Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let p = 0; p < PIX; p++) s += m[i * PIX + p]!;
    return s;
  });

/**
 * Metrics of one explanation on the aligned test set: `rank` is the ranking map (|·| is taken for the mass),
 * `binary` the binary mask (COMET's own, or top-|object| for the baselines), `equalArea` the binary mask with
 * COMET's per-image area used for the completeness columns.
 */
export function explanationRow(
  blackBox: Classifier,
  t: TestSet,
  rank: Float32Array,
  binary: Float32Array,
  equalArea: Float32Array,
): ExplanationRow {
  const n = t.n;
  const obj = toMaps(t.objectMask, n);
  const patch = toMaps(t.patchMask, n);
  const rankT = toMaps(rank, n);
  const binT = toMaps(binary, n);
  const eqT = toMaps(equalArea, n);
  try {
    const iouObject = maskIoU(binT, obj, { threshold: 0.5 }).mean;
    const iouObjectTopK = maskIoU(rankT, obj, { topK: 'match-gt' }).mean;
    const patchHit = maskIoU(binT, patch, { threshold: 0.5 }).intersection;
    const patchSizes = sumsOf(t.patchMask, n);
    let cov = 0;
    for (let i = 0; i < n; i++) cov += patchHit[i]! / patchSizes[i]!;
    const patchIouTop16 = maskIoU(rankT, patch, { topK: 16 }).mean;
    const pointObject = pointingGame(rankT, obj).mean ?? Number.NaN;
    const pointPatch = pointingGame(rankT, patch).mean ?? Number.NaN;
    let mass = 0;
    for (let i = 0; i < n; i++) {
      let a = 0;
      let b = 0;
      for (let p = 0; p < PIX; p++) {
        const v = Math.abs(rank[i * PIX + p]!);
        a += v * t.patchMask[i * PIX + p]!;
        b += v;
      }
      mass += b > 0 ? a / b : 0;
    }
    const scores = maskScores(blackBox, t.x, t.labels, eqT);
    const di = deletionInsertion(blackBox, t.x, t.labels, rankT, { steps: 16 });
    let area = 0;
    for (const v of binary) area += v;
    return {
      area: area / (n * PIX),
      iouObject,
      iouObjectTopK,
      patchCoverage: cov / n,
      patchIouTop16,
      pointObject,
      pointPatch,
      massOnPatch: mass / n,
      accComplement: scores.means.accComplement,
      accSelection: scores.means.accSelected,
      deletionAuc: di.meanDeletionAuc,
      insertionAuc: di.meanInsertionAuc,
    };
  } finally {
    for (const x of [obj, patch, rankT, binT, eqT]) x.dispose();
  }
}
