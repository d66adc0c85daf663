import { createRng } from '@drojs/dro-core';
import { screenAsync } from '@drojs/sparse';
import { median, screeningDesign } from './designs.js';

export type Method = 'mi-kde' | 'pearson' | 'dcor';
export const METHODS: Method[] = ['mi-kde', 'pearson', 'dcor'];

/** Per method: share of replicates keeping all four signals, per-signal hit rates and median ranks. */
export interface ScreenRow {
  method: Method;
  allFour: number;
  hits: number[];
  medianRank: number[];
  seconds: number;
}

/**
 * §9.1: n = 200, p = 2000, y = 2cos(2x₁) + 1.5x₂² + x₃ − x₄ + ε; keep the top 50 by each method.
 * `binary` screens 1{y > median(y)} with `outcome: 'binary'`.
 */
export async function screeningStudy(o: {
  replicates: number;
  rho: number;
  binary?: boolean;
  n?: number;
  p?: number;
  keep?: number;
  seed: string;
}): Promise<ScreenRow[]> {
  const { n = 200, p = 2000, keep = 50 } = o;
  const ranks: Record<Method, number[][]> = { 'mi-kde': [], pearson: [], dcor: [] };
  const secs: Record<Method, number> = { 'mi-kde': 0, pearson: 0, dcor: 0 };
  for (let r = 0; r < o.replicates; r++) {
    const rng = createRng(`${o.seed}/${r}`);
    const { X, y } = screeningDesign(rng, n, p, o.rho);
    let yy = y;
    if (o.binary) {
      const m = median(y);
      yy = y.map((v) => (v > m ? 1 : 0));
    }
    for (const method of METHODS) {
      const t = performance.now();
      const res = await screenAsync(X, yy, { method, keep, outcome: o.binary ? 'binary' : 'continuous' });
      secs[method] += (performance.now() - t) / 1000;
      const rank = new Array<number>(p);
      res.order.forEach((j, k) => {
        rank[j] = k + 1;
      });
      ranks[method].push([0, 1, 2, 3].map((j) => rank[j]!));
    }
  }
  return METHODS.map((method) => {
    const rs = ranks[method];
    return {
      method,
      allFour: rs.filter((r) => r.every((v) => v <= keep)).length / rs.length,
      hits: [0, 1, 2, 3].map((j) => rs.filter((r) => r[j]! <= keep).length / rs.length),
      medianRank: [0, 1, 2, 3].map((j) => median(rs.map((r) => r[j]!))),
      seconds: secs[method] / o.replicates,
    };
  });
}

export function screeningTable(rows: ScreenRow[]): string {
  const name = { 'mi-kde': 'MI-KDE', pearson: '\\|Pearson\\|', dcor: 'dCor' };
  const lines = [
    '| method | all four kept | hit rate x1 (cos) / x2 (square) / x3 / x4 | median rank x1 / x2 / x3 / x4 | s per screen |',
    '|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${name[r.method]} | ${r.allFour.toFixed(2)} | ${r.hits.map((h) => h.toFixed(2)).join(' / ')} | ${r.medianRank.join(' / ')} | ${r.seconds.toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}
