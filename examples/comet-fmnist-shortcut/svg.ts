// A grouped bar chart (SVG, no dependency) of three explanation metrics per method, means over seeds.
import type { SeedResult } from './acceptance.js';
import type { ExplanationRow } from './metrics.js';

const METRICS: [keyof ExplanationRow, string, string][] = [
  ['iouObject', 'object IoU', '#2a9d8f'],
  ['accComplement', 'black box acc. on complement', '#e76f51'],
  ['pointPatch', 'pointing at the patch', '#264653'],
];

/** Bars of object IoU, complement accuracy and pointing-at-patch for every explanation. */
export function metricsSvg(results: SeedResult[]): string {
  const methods = Object.keys(results[0]!.explanations);
  const mean = (m: string, k: keyof ExplanationRow) =>
    results.reduce((a, r) => a + r.explanations[m]![k], 0) / results.length;
  const w = 120 * methods.length + 80;
  const h = 300;
  const base = 240;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="11">`,
    `<line x1="50" y1="${base}" x2="${w - 10}" y2="${base}" stroke="#333"/>`,
  ];
  for (const t of [0, 0.5, 1]) {
    const y = base - 200 * t;
    parts.push(`<text x="20" y="${y + 4}">${t}</text><line x1="45" y1="${y}" x2="50" y2="${y}" stroke="#333"/>`);
  }
  methods.forEach((m, i) => {
    const x0 = 60 + 120 * i;
    METRICS.forEach(([k, , color], j) => {
      const v = mean(m, k);
      parts.push(`<rect x="${x0 + 30 * j}" y="${base - 200 * v}" width="26" height="${200 * v}" fill="${color}"/>`);
    });
    parts.push(`<text x="${x0}" y="${base + 16}">${m}</text>`);
  });
  METRICS.forEach(([, label, color], j) => {
    parts.push(`<rect x="60" y="${262 + 12 * j - 9}" width="10" height="10" fill="${color}"/>`);
    parts.push(`<text x="75" y="${262 + 12 * j}">${label}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
