import { saveLineChart, verdict } from '@drojs/example-kit';
import type { RunResult } from './train.js';

export interface Cell {
  loss: string;
  noise: string;
  runs: RunResult[];
  actualNoise: number[];
}

const pct = (x: number) => (100 * x).toFixed(1);

/** Markdown table: rows = losses, columns = noise settings; cell = mean last-K / mean best (per-seed last-K). */
export function markdownTable(cells: Cell[], losses: string[], noises: string[], lastK: number): string {
  const head = `| loss | ${noises.join(' | ')} |\n| --- | ${noises.map(() => '---').join(' | ')} |`;
  const rows = losses.map((l) => {
    const cols = noises.map((n) => {
      const c = cells.find((x) => x.loss === l && x.noise === n);
      if (!c || c.runs.length === 0) return '–';
      const m = c.runs.reduce((a, r) => a + r.lastKMean, 0) / c.runs.length;
      const b = c.runs.reduce((a, r) => a + r.best, 0) / c.runs.length;
      const per = c.runs.length > 1 ? ` (${c.runs.map((r) => pct(r.lastKMean)).join(', ')})` : '';
      return `${pct(m)} / ${pct(b)}${per}`;
    });
    return `| ${l} | ${cols.join(' | ')} |`;
  });
  return `${head}\n${rows.join('\n')}\n\ncell: clean test accuracy (%), mean over the last ${lastK} epochs / best epoch, averaged over seeds (per-seed last-${lastK} in brackets)`;
}

/** Test-accuracy curves (first seed), one panel per noise setting; returns `out/<file>`. */
export function saveCurves(file: string, cells: Cell[], losses: string[], noises: string[]): Promise<string> {
  const series = noises.flatMap((n) =>
    losses.flatMap((l) => {
      const curve = cells.find((x) => x.loss === l && x.noise === n)?.runs[0]?.curve;
      if (!curve || curve.length === 0) return [];
      return [{ name: l, panel: n, x: curve.map((_, i) => i + 1), y: curve.map((a) => 100 * a) }];
    }),
  );
  return saveLineChart(file, {
    title: `Clean test accuracy during training on noisy labels (seed ${cells[0]?.runs[0]?.seed ?? 0})`,
    x: { label: 'epoch', unit: 'count' },
    y: { label: 'clean test accuracy', unit: '%' },
    series,
    width: 360,
    height: 240,
  });
}

const meanLastK = (c: Cell | undefined) =>
  c && c.runs.length > 0 ? c.runs.reduce((a, r) => a + r.lastKMean, 0) / c.runs.length : null;

/**
 * One verdict per noisy setting and robust loss (LDR:10, ALDR:10 against CE), plus the clean-label check in full
 * mode. Quick mode judges the direction (robust loss above CE); full mode the spec's R1 (≥ 8 points) and R2.
 */
export function writeVerdicts(
  cells: Cell[],
  o: { quick: boolean; lastK: number; plot: string; nTrain: number; epochs: number },
): void {
  const noises = [...new Set(cells.map((c) => c.noise))];
  const full = 'pnpm --filter ldr-noisy-labels full';
  for (const n of noises.filter((x) => x !== 'clean')) {
    const ce = meanLastK(cells.find((c) => c.loss === 'CE' && c.noise === n));
    for (const l of ['LDR:10', 'ALDR:10']) {
      const x = meanLastK(cells.find((c) => c.loss === l && c.noise === n));
      if (ce === null || x === null) continue;
      const gap = 100 * (x - ce);
      verdict({
        claim: `${l} keeps more clean test accuracy than cross-entropy under ${n} label noise`,
        measured: Number(gap.toFixed(2)),
        criterion: o.quick
          ? `${l} − CE, last-${o.lastK}-epoch test accuracy > 0 points (direction; ${o.nTrain} images, ${o.epochs} epochs)`
          : `${l} − CE, last-${o.lastK}-epoch test accuracy ≥ 8 points (spec §13.2 R1)`,
        status: o.quick ? gap > 0 : gap >= 8,
        plots: [o.plot],
        note: o.quick
          ? 'quick mode shows the direction only; the ≥ 8-point gap is judged by the full protocol'
          : undefined,
        fullCommand: o.quick ? full : undefined,
      });
    }
  }
  const ceClean = meanLastK(cells.find((c) => c.loss === 'CE' && c.noise === 'clean'));
  const ldrClean = meanLastK(cells.find((c) => c.loss === 'LDR:10' && c.noise === 'clean'));
  if (ceClean !== null && ldrClean !== null) {
    const d = 100 * (ldrClean - ceClean);
    verdict({
      claim: 'LDR:10 costs little accuracy on clean labels',
      measured: Number(d.toFixed(2)),
      criterion: '|LDR:10 − CE| on clean labels ≤ 2 points (spec §13.2 R2)',
      status: Math.abs(d) <= 2,
      plots: [o.plot],
    });
  }
}
