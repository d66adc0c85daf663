import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRng } from '@drojs/dro-core';
import { fitPath, type PenaltyName, screen } from '@drojs/sparse';

/** Loads digits rows labelled 3 or 8 (vendored subset, or DIGITS_CSV). Label 8 → 1. */
export function loadDigits38(): { X: number[][]; y: number[]; source: string } {
  const path = process.env.DIGITS_CSV ?? new URL('../data/digits-3-8.csv.gz', import.meta.url).pathname;
  const raw = readFileSync(path);
  const text = path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  const X: number[][] = [];
  const y: number[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const v = line.split(',').map(Number);
    const label = v[64];
    if (label !== 3 && label !== 8) continue;
    X.push(v.slice(0, 64));
    y.push(label === 8 ? 1 : 0);
  }
  return { X, y, source: path };
}

export interface DigitsRow {
  label: string;
  pixels: number;
  accuracy: number;
}

/**
 * Real data: 3 vs 8 from scikit-learn's digits. A seeded 70/30 split; pixels constant on the training rows are
 * dropped (they would be E_RANK); screening keeps the top 20 pixels by MI (binary outcome) or |Pearson|, then a
 * logistic MCP or lasso path is fitted on them and λ chosen by EBIC (γe = 1). Also the unscreened fits.
 */
export function digitsStudy(seed: string): {
  rows: DigitsRow[];
  nTrain: number;
  nTest: number;
  pixels: number;
  overlap: number;
} {
  const { X, y } = loadDigits38();
  const n = X.length;
  const perm = createRng(seed).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const nTrain = Math.round(0.7 * n);
  const tr = Array.from(perm.subarray(0, nTrain));
  const te = Array.from(perm.subarray(nTrain));
  const usable: number[] = [];
  for (let j = 0; j < 64; j++) if (tr.some((i) => X[i]![j] !== X[tr[0]!]![j])) usable.push(j);
  const sub = (rows: number[], cols: number[]) => rows.map((i) => cols.map((j) => X[i]![j]!));
  const ytr = tr.map((i) => y[i]!);
  const yte = te.map((i) => y[i]!);
  const Xtr = sub(tr, usable);
  const rows: DigitsRow[] = [];
  const keeps: Record<string, number[]> = {};
  for (const method of ['mi-kde', 'pearson', 'none'] as const) {
    let cols = usable.map((_, k) => k);
    if (method !== 'none') {
      cols = Array.from(screen(Xtr, ytr, { method, outcome: 'binary', keep: 20 }).keep).sort((a, b) => a - b);
      keeps[method] = cols;
    }
    for (const penalty of ['mcp', 'lasso'] as PenaltyName[]) {
      const path = fitPath(
        Xtr.map((r) => cols.map((k) => r[k]!)),
        ytr,
        { family: 'binomial', penalty },
      );
      const { fit } = path.select();
      const eta = fit.predict(
        sub(
          te,
          cols.map((k) => usable[k]!),
        ),
      );
      let correct = 0;
      eta.forEach((e, i) => {
        if ((e > 0 ? 1 : 0) === yte[i]) correct++;
      });
      rows.push({
        label: `${method === 'none' ? `all ${usable.length} pixels` : `top 20 by ${method === 'mi-kde' ? 'MI-KDE' : '\\|Pearson\\|'}`}, logistic ${penalty.toUpperCase()} + EBIC`,
        pixels: fit.df,
        accuracy: correct / te.length,
      });
    }
  }
  const overlap = keeps['mi-kde']!.filter((k) => keeps.pearson!.includes(k)).length;
  return { rows, nTrain, nTest: te.length, pixels: usable.length, overlap };
}
