import { injectLabelNoise } from '@drojs/datasets';
import type { LabelsInput, Rng } from '@drojs/dro-core';

/** Result of the deprecated noise wrappers: the noisy labels and `hit` (1 where the noise draw fired). */
export interface LabelNoiseHits {
  labels: Int32Array;
  hit: Uint8Array;
}

/** A caller's dro-core `Rng` (advanced by the draws) or a numeric seed, as the old signature took them. */
function rngOptions(rng: Rng | number): { seed: number } | { rng: Rng } {
  return typeof rng === 'number' ? { seed: rng } : { rng };
}

/**
 * The reference's "uniform" noise: with probability `rate` the label is replaced by a class drawn uniformly
 * from all K (it may equal the true one, so the flip rate is rate·(K−1)/K). `hit` marks replaced rows.
 *
 * @deprecated Use `injectLabelNoise(labels, { type: 'symmetric', rate, numClasses, seed })` from
 *   `@drojs/datasets` (the repository's one label-noise API); this wrapper calls it and returns the same
 *   labels for the same seed.
 */
export function uniformLabelNoise(
  labels: LabelsInput,
  numClasses: number,
  rate: number,
  rng: Rng | number,
): LabelNoiseHits {
  const r = injectLabelNoise(labels, { type: 'symmetric', rate, numClasses, ...rngOptions(rng) });
  return { labels: r.labels, hit: r.hit };
}

/**
 * Class-dependent noise: with probability `rate`, y → map[y]; default map y → (y + 1) mod K.
 *
 * @deprecated Use `injectLabelNoise(labels, { type: 'pair-flip', rate, numClasses, map, seed })` from
 *   `@drojs/datasets`; this wrapper calls it and returns the same labels for the same seed.
 */
export function classDependentLabelNoise(
  labels: LabelsInput,
  numClasses: number,
  rate: number,
  rng: Rng | number,
  map?: ArrayLike<number>,
): LabelNoiseHits {
  const r = injectLabelNoise(labels, {
    type: 'pair-flip',
    rate,
    numClasses,
    ...(map === undefined ? {} : { map }),
    ...rngOptions(rng),
  });
  return { labels: r.labels, hit: r.hit };
}
