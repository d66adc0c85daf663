import { injectLabelNoise } from '@drojs/datasets';
import { loadFashionMnist } from '@drojs/datasets/node';
import { createRng, type Rng } from '@drojs/dro-core';

/** A noise setting: `clean`, `uniform:<rate>` (reference definition) or `classdep:<rate>` (y → y+1 mod 10). */
export type NoiseSpec = string;

export interface Prepared {
  xTrain: Float32Array;
  yTrain: Int32Array;
  yClean: Int32Array;
  nTrain: number;
  xTest: Float32Array;
  yTest: Int32Array;
  nTest: number;
  /** Fraction of training labels actually changed. */
  actualNoise: number;
  source: string;
  pixelMean: number;
  pixelStd: number;
}

export const K = 10;
export const D = 784;

let cache: Awaited<ReturnType<typeof loadFashionMnist>> | null = null;

/** Loads Fashion-MNIST once (full data from shared/ or Debian when present, else the vendored subset). */
export async function loadData(dir?: string): Promise<Awaited<ReturnType<typeof loadFashionMnist>>> {
  cache ??= await loadFashionMnist(dir ? { dir } : {});
  return cache;
}

/** Applies a noise spec to labels with the given stream. */
export function applyNoise(labels: Int32Array, spec: NoiseSpec, rng: Rng): Int32Array {
  if (spec === 'clean') return labels.slice();
  const [kind, rateText] = spec.split(':');
  const rate = Number(rateText);
  // The reference's "uniform" noise is datasets' 'symmetric', its "class-dependent" noise 'pair-flip' (same draws
  // as ldr-loss's deprecated uniformLabelNoise / classDependentLabelNoise).
  if (kind === 'uniform') return injectLabelNoise(labels, { type: 'symmetric', rate, numClasses: K, rng }).labels;
  if (kind === 'classdep') return injectLabelNoise(labels, { type: 'pair-flip', rate, numClasses: K, rng }).labels;
  throw new Error(`unknown noise '${spec}' (clean | uniform:R | classdep:R)`);
}

/**
 * The protocol's data for one seed: pixels standardised with the scalar mean/std of ALL training images,
 * `nTrain` training images drawn without replacement (stream "subset"), noise on them only (stream "noise"),
 * the full clean test set (or its first `nTest`).
 */
export async function prepare(opts: {
  seed: number;
  nTrain: number;
  nTest?: number;
  noise: NoiseSpec;
  dir?: string;
}): Promise<Prepared> {
  const data = await loadData(opts.dir);
  const all = data.train.images;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < all.length; i++) {
    s += all[i]!;
    s2 += all[i]! * all[i]!;
  }
  const mean = s / all.length;
  const std = Math.sqrt(s2 / all.length - mean * mean);
  const root = createRng(opts.seed);
  const n = Math.min(opts.nTrain, data.train.n);
  const pick = root.fork('subset').choice(data.train.n, n);
  const xTrain = new Float32Array(n * D);
  const yClean = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const src = pick[i]!;
    for (let d = 0; d < D; d++) xTrain[i * D + d] = (all[src * D + d]! - mean) / std;
    yClean[i] = data.train.labels[src]!;
  }
  const yTrain = applyNoise(yClean, opts.noise, root.fork('noise'));
  let changed = 0;
  for (let i = 0; i < n; i++) if (yTrain[i] !== yClean[i]) changed++;
  const nTest = Math.min(opts.nTest ?? data.test.n, data.test.n);
  const xTest = new Float32Array(nTest * D);
  for (let i = 0; i < nTest * D; i++) xTest[i] = (data.test.images[i]! - mean) / std;
  return {
    xTrain,
    yTrain,
    yClean,
    nTrain: n,
    xTest,
    yTest: data.test.labels.slice(0, nTest),
    nTest,
    actualNoise: changed / n,
    source: data.source,
    pixelMean: mean,
    pixelStd: std,
  };
}
