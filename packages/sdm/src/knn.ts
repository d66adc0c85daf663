import { checkNumber, checkOptions, DroError, describeValue, opt } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';

/** Result of an exact k-nearest-neighbour search: row-major [Nq, k], nearest first. */
export interface KnnResult {
  /** Squared L2 distances (float32 arithmetic, clamped at 0). */
  distances: Float32Array;
  /** Support indices. */
  indices: Int32Array;
  /** Neighbours per query actually returned. */
  k: number;
}

export interface KnnOptions {
  /** Query rows per matmul block; default max(1, ⌊2²² / N_support⌋) (≈16 MiB of float32 distances). */
  chunkSize?: number;
  /** selfIndices[i] = support index of query i (removed from its list), or −1 for none. */
  selfIndices?: Int32Array;
}

const KNN_SCHEMA = { chunkSize: opt.any(), selfIndices: opt.any() };

/** Default chunk height of the blockwise distance matrix (spec §4.3). */
export function defaultKnnChunkSize(numSupport: number): number {
  return Math.max(1, Math.floor(2 ** 22 / Math.max(1, numSupport)));
}

/**
 * The support matrix augmented with a column −½‖b‖²: for a query a′ = [a, 1], a′·b′ᵀ = a·b − ½‖b‖², whose
 * row-wise top-k are the nearest neighbours (‖a‖² is constant per row). One matmul then yields the ranking
 * without elementwise passes over the N_q × N_s block. Computed once per support matrix and cached by callers.
 */
export function augmentSupport(support: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.concat([support, tf.mul(tf.sum(tf.square(support), 1, true), -0.5)], 1) as tf.Tensor2D);
}

/**
 * Exact top-k by squared L2 distance (spec §4.3), blockwise: ‖a‖² + ‖b‖² − 2·a·bᵀ per chunk of queries,
 * then `topk`. Rows are re-sorted on the host by (distance, support index) so ties go to the lower index
 * on every backend. With `selfIndices`, k + 1 neighbours are requested and the query's own entry is
 * removed wherever it appears (else the last one is dropped). The effective k is
 * min(k, N_s) without and min(k, N_s − 1) with self-exclusion.
 */
export async function knnSquaredL2(
  queries: tf.Tensor2D,
  support: tf.Tensor2D,
  k: number,
  opts: KnnOptions = {},
): Promise<KnnResult> {
  checkOptions(opts, KNN_SCHEMA, 'knnSquaredL2');
  for (const [x, name] of [
    [queries, 'queries'],
    [support, 'support'],
  ] as const) {
    // Not a tensor → E_DTYPE, as dro-core's toTensor (which would make one; here the caller's tensors are used).
    if (!(x instanceof tf.Tensor) || x.isDisposed) {
      throw new DroError('E_DTYPE', `knnSquaredL2: ${name} must be a tensor`, {
        argument: name,
        expected: 'a live tf.Tensor2D',
        received: x instanceof tf.Tensor ? 'a disposed tensor' : describeValue(x),
      });
    }
  }
  if (queries.rank !== 2 || support.rank !== 2) {
    throw new DroError('E_SHAPE', 'queries and support must be rank-2 tensors', {
      argument: queries.rank !== 2 ? 'queries' : 'support',
      expected: 'rank 2',
      received: `rank ${queries.rank !== 2 ? queries.rank : support.rank}`,
    });
  }
  if (queries.shape[1] !== support.shape[1]) {
    throw new DroError('E_SHAPE', 'queries and support must have the same width', {
      argument: 'queries',
      expected: `${support.shape[1]} columns`,
      received: `${queries.shape[1]}`,
    });
  }
  const augmented = augmentSupport(support);
  try {
    return await knnAugmented(queries, augmented, k, opts);
  } finally {
    augmented.dispose();
  }
}

/** {@link knnSquaredL2} against a support matrix prepared by {@link augmentSupport} (the estimator's cache). */
export async function knnAugmented(
  queries: tf.Tensor2D,
  augmented: tf.Tensor2D,
  k: number,
  opts: KnnOptions = {},
): Promise<KnnResult> {
  checkNumber(k, 'k', { min: 1, integer: true });
  const [nq] = queries.shape;
  const ns = augmented.shape[0];
  const self = opts.selfIndices;
  if (self !== undefined && self.length !== nq) {
    throw new DroError('E_SHAPE', 'opts.selfIndices must have one entry per query', {
      argument: 'opts.selfIndices',
      expected: `${nq}`,
      received: describeValue(self),
    });
  }
  const hasSelf = self !== undefined;
  const kEff = Math.min(k, hasSelf ? ns - 1 : ns);
  if (kEff < 1) {
    throw new DroError('E_EMPTY', 'not enough support points for a neighbour', {
      argument: 'support',
      expected: hasSelf ? 'at least 2 rows' : 'at least 1 row',
      received: `${ns}`,
    });
  }
  const kFetch = Math.min(ns, kEff + (hasSelf ? 1 : 0));
  const chunk =
    opts.chunkSize === undefined
      ? defaultKnnChunkSize(ns)
      : checkNumber(opts.chunkSize, 'opts.chunkSize', { min: 1, integer: true });
  const distances = new Float32Array(nq * kEff);
  const indices = new Int32Array(nq * kEff);
  const order = new Int32Array(kFetch);
  for (let start = 0; start < nq; start += chunk) {
    const rows = Math.min(chunk, nq - start);
    const [valT, idxT, normT] = tf.tidy(() => {
      const a = rows === nq ? queries : (tf.slice(queries, [start, 0], [rows, -1]) as tf.Tensor2D);
      const aAug = tf.concat([a, tf.ones([rows, 1])], 1);
      // a·b − ½‖b‖² is largest for the nearest b; dist = ‖a‖² − 2·(a·b − ½‖b‖²).
      const { values, indices: ind } = tf.topk(tf.matMul(aAug, augmented, false, true), kFetch, true);
      return [values, ind, tf.sum(tf.square(a), 1)];
    });
    const [vals, idx, aNorm] = await Promise.all([
      valT.data() as Promise<Float32Array>,
      idxT.data() as Promise<Int32Array>,
      normT.data() as Promise<Float32Array>,
    ]);
    tf.dispose([valT, idxT, normT]);
    for (let r = 0; r < rows; r++) {
      const base = r * kFetch;
      for (let j = 0; j < kFetch; j++) {
        // Rounded to float32 like the tensor arithmetic it stands for; clamped at 0 (spec §4.3).
        vals[base + j] = Math.max(Math.fround(aNorm[r]! - 2 * vals[base + j]!), 0);
        order[j] = j;
      }
      let needSort = false;
      for (let j = 1; j < kFetch && !needSort; j++) {
        const a = vals[base + j - 1]!;
        const b = vals[base + j]!;
        if (b < a || (b === a && idx[base + j]! < idx[base + j - 1]!)) needSort = true;
      }
      if (needSort) {
        order.sort((x, y) => vals[base + x]! - vals[base + y]! || idx[base + x]! - idx[base + y]!);
      }
      const q = start + r;
      let skip = -1;
      if (hasSelf) {
        // kFetch = kEff + 1 here; without the own entry in the list (or with own = −1) drop the last one.
        const own = self![q]!;
        skip = kFetch - 1;
        for (let j = 0; j < kFetch; j++) {
          if (idx[base + order[j]!] === own) {
            skip = j;
            break;
          }
        }
      }
      let o = q * kEff;
      for (let j = 0; j < kFetch && o < (q + 1) * kEff; j++) {
        if (j === skip) continue;
        distances[o] = vals[base + order[j]!]!;
        indices[o] = idx[base + order[j]!]!;
        o++;
      }
    }
  }
  return { distances, indices, k: kEff };
}
