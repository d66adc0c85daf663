import * as tf from '@tensorflow/tfjs-core';
import type { HostMatrix } from './hostMatrix.js';
import { augmentSupport, knnAugmented } from './knn.js';
import { similarityQ } from './similarity.js';

/** A support set on the host: exemplars h′, true labels (or UNLABELED/OOD_LABEL) and adaptor predictions. */
export interface HostSupport {
  exemplars: HostMatrix;
  labels: Int32Array;
  predicted: Int32Array;
}

/** Support exemplars on the backend, augmented for the neighbour matmul (see `augmentSupport`). */
export interface SupportTensors {
  augmented: tf.Tensor2D;
}

export function uploadSupport(s: HostSupport): SupportTensors {
  return tf.tidy(() => ({
    augmented: augmentSupport(tf.tensor2d(s.exemplars.data, [s.exemplars.rows, s.exemplars.cols])),
  }));
}

export function disposeSupport(t: SupportTensors | undefined): void {
  t?.augmented.dispose();
}

/** Squared L2 between query row i and support row j, recomputed on the host in float64 (spec §4.3). */
export function hostSquaredDistance(a: HostMatrix, i: number, b: HostMatrix, j: number): number {
  const m = a.cols;
  const ao = i * m;
  const bo = j * m;
  let s = 0;
  for (let t = 0; t < m; t++) {
    const diff = a.data[ao + t]! - b.data[bo + t]!;
    s += diff * diff;
  }
  return s;
}

/**
 * q (spec §4.4), the refined d₀ (§4.3) and the nearest support index of every query. With
 * `selfIndices`, query i is support member selfIndices[i] and is excluded from its own list.
 */
export async function neighbourStatistics(
  queries: HostMatrix,
  predictions: Int32Array,
  support: HostSupport,
  supportT: SupportTensors,
  k: number,
  opts: { selfIndices?: Int32Array; chunkSize?: number } = {},
): Promise<{ q: Float64Array; d0: Float64Array; nearest: Int32Array }> {
  const n = queries.rows;
  const q = new Float64Array(n);
  const d0 = new Float64Array(n);
  const nearest = new Int32Array(n);
  if (n === 0) return { q, d0, nearest };
  const qt = tf.tensor2d(queries.data, [n, queries.cols]);
  let res: Awaited<ReturnType<typeof knnAugmented>>;
  try {
    res = await knnAugmented(qt, supportT.augmented, k, opts);
  } finally {
    qt.dispose();
  }
  const kk = res.k;
  const nbTrue = new Int32Array(kk);
  const nbPred = new Int32Array(kk);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < kk; j++) {
      const s = res.indices[i * kk + j]!;
      nbTrue[j] = support.labels[s]!;
      nbPred[j] = support.predicted[s]!;
    }
    q[i] = similarityQ(nbTrue, nbPred, predictions[i]!);
    const first = res.indices[i * kk]!;
    nearest[i] = first;
    d0[i] = hostSquaredDistance(queries, i, support.exemplars, first);
  }
  return { q, d0, nearest };
}
