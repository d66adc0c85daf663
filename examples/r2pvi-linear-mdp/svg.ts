/** One curve of a line chart. */
export interface Series {
  name: string;
  colour: string;
  x: number[];
  y: number[];
  dashed?: boolean;
}

/** A small line chart (no dependencies) with a legend, written as an SVG string. */
export function lineChartSvg(title: string, xLabel: string, yLabel: string, series: Series[]): string {
  const W = 560;
  const H = 400;
  const m = { l: 60, r: 170, t: 40, b: 50 };
  const xs = series.flatMap((s) => s.x);
  const ys = series.flatMap((s) => s.y);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const pad = (Math.max(...ys) - Math.min(...ys)) * 0.05 || 0.1;
  const y0 = Math.min(...ys) - pad;
  const y1 = Math.max(...ys) + pad;
  const px = (v: number) => m.l + ((v - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const py = (v: number) => H - m.b - ((v - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${(W - m.r + m.l) / 2}" y="22" text-anchor="middle" font-size="14">${title}</text>`,
    `<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="black"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const xv = x0 + ((x1 - x0) * i) / 4;
    const yv = y0 + ((y1 - y0) * i) / 4;
    parts.push(`<text x="${px(xv)}" y="${H - m.b + 16}" text-anchor="middle">${xv.toFixed(2)}</text>`);
    parts.push(`<text x="${m.l - 6}" y="${py(yv) + 4}" text-anchor="end">${yv.toFixed(2)}</text>`);
  }
  parts.push(`<text x="${(W - m.r + m.l) / 2}" y="${H - 12}" text-anchor="middle">${xLabel}</text>`);
  parts.push(`<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">${yLabel}</text>`);
  series.forEach((s, k) => {
    const pts = s.x.map((x, i) => `${px(x).toFixed(1)},${py(s.y[i]!).toFixed(1)}`).join(' ');
    const dash = s.dashed ? ' stroke-dasharray="5 4"' : '';
    parts.push(`<polyline points="${pts}" fill="none" stroke="${s.colour}" stroke-width="2"${dash}/>`);
    const ly = m.t + 10 + 18 * k;
    parts.push(
      `<line x1="${W - m.r + 10}" y1="${ly}" x2="${W - m.r + 30}" y2="${ly}" stroke="${s.colour}" stroke-width="2"${dash}/>`,
    );
    parts.push(`<text x="${W - m.r + 36}" y="${ly + 4}">${s.name}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
