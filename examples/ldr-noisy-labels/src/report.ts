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

/** A small SVG of test-accuracy curves, one panel per noise setting. */
export function curvesSvg(cells: Cell[], losses: string[], noises: string[]): string {
  const W = 320;
  const H = 220;
  const pad = 36;
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#7f7f7f'];
  const panels = noises.map((n, pi) => {
    const ox = pi * (W + 10);
    const parts: string[] = [`<text x="${ox + W / 2}" y="14" text-anchor="middle" font-size="12">${n}</text>`];
    parts.push(
      `<rect x="${ox + pad}" y="${pad - 16}" width="${W - pad - 8}" height="${H - pad - 4}" fill="none" stroke="#999"/>`,
    );
    losses.forEach((l, li) => {
      const c = cells.find((x) => x.loss === l && x.noise === n);
      const curve = c?.runs[0]?.curve;
      if (!curve || curve.length === 0) return;
      const pts = curve
        .map((a, i) => {
          const x = ox + pad + ((W - pad - 8) * (i + 1)) / curve.length;
          const y = pad - 16 + (H - pad - 4) * (1 - Math.max(0, (a - 0.5) / 0.5));
          return `${x.toFixed(1)},${y.toFixed(1)}`;
        })
        .join(' ');
      parts.push(`<polyline fill="none" stroke="${colors[li % colors.length]}" stroke-width="1.5" points="${pts}"/>`);
      if (pi === 0)
        parts.push(
          `<text x="${ox + pad + 4}" y="${pad + li * 12}" font-size="10" fill="${colors[li % colors.length]}">${l}</text>`,
        );
    });
    return parts.join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${noises.length * (W + 10)}" height="${H + 10}" font-family="sans-serif">${panels.join('')}<text x="4" y="${H + 6}" font-size="9">test accuracy 0.5–1.0 vs epoch (seed ${cells[0]?.runs[0]?.seed ?? 0})</text></svg>`;
}
