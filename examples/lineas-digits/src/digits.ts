import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** The sklearn digits table (1,797 rows): pixels / 16 in [0, 1] and labels. */
export interface Digits {
  x: Float32Array;
  labels: Int32Array;
  rows: number;
}

/** The copy vendored with @drojs/steer, so a fresh clone runs without ../shared. */
export const DIGITS_PATH = new URL('../../../packages/steer/data/digits.csv.gz', import.meta.url);

/** Reads `digits.csv.gz` (64 pixel values 0–16 and a label per line, no header); inputs are pixels / 16. */
export function loadDigits(path: URL | string = DIGITS_PATH): Digits {
  const lines = gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const x = new Float32Array(lines.length * 64);
  const labels = new Int32Array(lines.length);
  lines.forEach((line, i) => {
    const v = line.split(',').map(Number);
    if (v.length !== 65) throw new Error(`digits row ${i} has ${v.length} fields`);
    for (let j = 0; j < 64; j++) x[i * 64 + j] = v[j]! / 16;
    labels[i] = v[64]!;
  });
  return { x, labels, rows: lines.length };
}

/** The rows `idx` as a float32 [n, 64] array (for tf.tensor2d). */
export function rowsOf(d: Digits, idx: readonly number[]): Float32Array {
  const out = new Float32Array(idx.length * 64);
  idx.forEach((r, i) => out.set(d.x.subarray(r * 64, r * 64 + 64), i * 64));
  return out;
}
