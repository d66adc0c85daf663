/** One line of a chart. */
export interface Series {
  name: string;
  values: number[];
  color: string;
  dashed?: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A dependency-free SVG line chart: x = 1..n (epochs), y in [yMin, yMax], a legend on the right.
 */
export function lineChartSvg(opts: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  yMin?: number;
  yMax?: number;
}): string {
  const W = 720;
  const H = 420;
  const m = { left: 60, right: 200, top: 40, bottom: 50 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const n = Math.max(...opts.series.map((s) => s.values.length), 2);
  const all = opts.series.flatMap((s) => s.values).filter(Number.isFinite);
  const yMin = opts.yMin ?? Math.floor(Math.min(...all) * 10) / 10;
  const yMax = opts.yMax ?? Math.ceil(Math.max(...all) * 10) / 10;
  const sx = (i: number) => m.left + (i / (n - 1)) * pw;
  const sy = (v: number) => m.top + (1 - (v - yMin) / (yMax - yMin || 1)) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.left}" y="24" font-size="15">${esc(opts.title)}</text>`,
  ];
  for (let t = 0; t <= 5; t++) {
    const v = yMin + ((yMax - yMin) * t) / 5;
    out.push(
      `<line x1="${m.left}" x2="${m.left + pw}" y1="${sy(v)}" y2="${sy(v)}" stroke="#ddd"/>`,
      `<text x="${m.left - 6}" y="${sy(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`,
    );
  }
  const xticks = Math.min(n, 10);
  for (let t = 0; t < xticks; t++) {
    const i = Math.round((t * (n - 1)) / Math.max(xticks - 1, 1));
    out.push(`<text x="${sx(i)}" y="${m.top + ph + 16}" text-anchor="middle">${i + 1}</text>`);
  }
  out.push(
    `<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
    `<text x="${m.left + pw / 2}" y="${H - 12}" text-anchor="middle">${esc(opts.xLabel)}</text>`,
    `<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(opts.yLabel)}</text>`,
  );
  opts.series.forEach((s, k) => {
    const pts = s.values.map((v, i) => `${sx(i).toFixed(1)},${sy(v).toFixed(1)}`).join(' ');
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    const ly = m.top + 10 + 20 * k;
    out.push(
      `<line x1="${m.left + pw + 12}" x2="${m.left + pw + 40}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${m.left + pw + 46}" y="${ly + 4}">${esc(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
