import { checkNumber, DroError, type Rng, toRng } from '@drojs/dro-core';

function checkLabels(labels: ArrayLike<number>, K: number, fn: string): void {
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (!Number.isInteger(y) || y < 0 || y >= K) {
      throw new DroError('E_LABEL_RANGE', `${fn}: labels[${i}] = ${y} is outside [0, ${K})`, { argument: 'labels' });
    }
  }
}

/**
 * The reference's "uniform" noise: with probability `rate` the label is replaced by a class drawn uniformly
 * from all K (it may equal the true one, so the flip rate is rate·(K−1)/K). `hit` marks replaced rows.
 */
export function uniformLabelNoise(
  labels: ArrayLike<number>,
  numClasses: number,
  rate: number,
  rng: Rng | number,
): { labels: Int32Array; hit: Uint8Array } {
  const fn = 'uniformLabelNoise';
  const K = checkNumber(numClasses, 'numClasses', { min: 2, integer: true });
  const p = checkNumber(rate, 'rate', { min: 0, max: 1 });
  checkLabels(labels, K, fn);
  const r = toRng(rng);
  const out = Int32Array.from(labels);
  const hit = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) {
    if (r.uniform() < p) {
      out[i] = r.int(K);
      hit[i] = 1;
    }
  }
  return { labels: out, hit };
}

/** Class-dependent noise: with probability `rate`, y → map[y]; default map y → (y + 1) mod K. */
export function classDependentLabelNoise(
  labels: ArrayLike<number>,
  numClasses: number,
  rate: number,
  rng: Rng | number,
  map?: ArrayLike<number>,
): { labels: Int32Array; hit: Uint8Array } {
  const fn = 'classDependentLabelNoise';
  const K = checkNumber(numClasses, 'numClasses', { min: 2, integer: true });
  const p = checkNumber(rate, 'rate', { min: 0, max: 1 });
  checkLabels(labels, K, fn);
  const m = map ? Int32Array.from(map) : Int32Array.from({ length: K }, (_, k) => (k + 1) % K);
  if (m.length !== K) throw new DroError('E_SHAPE', `${fn}: map must have ${K} entries`, { argument: 'map' });
  checkLabels(m, K, `${fn} (map)`);
  const r = toRng(rng);
  const out = Int32Array.from(labels);
  const hit = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) {
    if (r.uniform() < p) {
      out[i] = m[out[i]!]!;
      hit[i] = 1;
    }
  }
  return { labels: out, hit };
}
