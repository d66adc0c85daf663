import { checkNumClasses, type LabelsInput, toLabels } from '@drojs/dro-core';

/**
 * One-hot encoding on the host: a row-major `Float32Array` of length `labels.length · numClasses`
 * (upload with `tf.tensor2d(out, [n, numClasses])`). Labels are read by dro-core's `toLabels` (a rank-1
 * tensor, `number[]` or a typed array; empty allowed).
 *
 * @param numClasses K ≥ 1 (a single class is allowed here: its one-hot column is all ones).
 * @throws DroError `E_SPEC` for a bad `numClasses`, `E_DTYPE` for labels that are not whole numbers,
 *   `E_LABEL_RANGE` for a label outside `[0, numClasses)`.
 */
export function toOneHot(labels: LabelsInput, numClasses: number): Float32Array {
  const K = checkNumClasses(numClasses, 'numClasses', 1);
  const y = toLabels(labels, 'labels', 'toOneHot', { numClasses: K, allowEmpty: true });
  const out = new Float32Array(y.length * K);
  for (let i = 0; i < y.length; i++) out[i * K + (y[i] as number)] = 1;
  return out;
}
