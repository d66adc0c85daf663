/** A line with markers in data coordinates. */
export interface XYSeries {
  name: string;
  points: { x: number; y: number }[];
  color: string;
  dashed?: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Dependency-free SVG chart with a log10 x axis (n) and a linear y axis (accuracy). */
export function logXChartSvg(opts: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: XYSeries[];
  xRange: [number, number];
  yRange: [number, number];
}): string {
  const W = 760;
  const H = 440;
  const m = { left: 60, right: 230, top: 40, bottom: 50 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const [lx0, lx1] = opts.xRange.map(Math.log10) as [number, number];
  const [y0, y1] = opts.yRange;
  const sx = (x: number) => m.left + ((Math.log10(x) - lx0) / (lx1 - lx0)) * pw;
  const sy = (y: number) => m.top + (1 - (y - y0) / (y1 - y0)) * ph;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.left}" y="24" font-size="15">${esc(opts.title)}</text>`,
  ];
  for (let t = 0; t <= 5; t++) {
    const v = y0 + ((y1 - y0) * t) / 5;
    out.push(
      `<line x1="${m.left}" x2="${m.left + pw}" y1="${sy(v)}" y2="${sy(v)}" stroke="#ddd"/>`,
      `<text x="${m.left - 6}" y="${sy(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`,
    );
  }
  for (let e = Math.ceil(lx0); e <= Math.floor(lx1); e++) {
    out.push(`<text x="${sx(10 ** e)}" y="${m.top + ph + 16}" text-anchor="middle">10^${e}</text>`);
  }
  out.push(
    `<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
    `<text x="${m.left + pw / 2}" y="${H - 12}" text-anchor="middle">${esc(opts.xLabel)}</text>`,
    `<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(opts.yLabel)}</text>`,
  );
  for (const [k, s] of opts.series.entries()) {
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    const pts = s.points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    for (const p of s.points)
      out.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3" fill="${s.color}"/>`);
    const ly = m.top + 10 + 20 * k;
    out.push(
      `<line x1="${m.left + pw + 12}" x2="${m.left + pw + 40}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${m.left + pw + 46}" y="${ly + 4}">${esc(s.name)}</text>`,
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
