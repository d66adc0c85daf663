import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DroError } from '@drojs/dro-core/host';

/** The sklearn digits table: 64 pixel values (0–16) and a label per row. */
export interface DigitsData {
  pixels: Float64Array;
  labels: Int32Array;
  rows: number;
}

/** Reads `digits.csv.gz` (no header; 64 pixels then the label per line). Unreadable → `E_IO`. */
export function loadDigits(path: string | URL): DigitsData {
  let text: string;
  try {
    text = gunzipSync(readFileSync(path)).toString('utf8');
  } catch (e) {
    throw new DroError('E_IO', `cannot read the digits data at ${String(path)}`, {
      argument: 'path',
      cause: e,
    });
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const pixels = new Float64Array(lines.length * 64);
  const labels = new Int32Array(lines.length);
  lines.forEach((line, i) => {
    const v = line.split(',').map(Number);
    if (v.length !== 65 || v.some((x) => !Number.isFinite(x))) {
      throw new DroError('E_IO', `malformed digits row ${i}`, { argument: 'path' });
    }
    pixels.set(v.slice(0, 64), i * 64);
    labels[i] = v[64]!;
  });
  return { pixels, labels, rows: lines.length };
}
