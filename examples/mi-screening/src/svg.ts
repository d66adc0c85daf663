/** A minimal SVG line chart (no dependencies): several series over a shared x axis, optional vertical marker. */
export interface Series {
  name: string;
  x: number[];
  y: number[];
  color?: string;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

export function lineChart(o: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  markerX?: number;
  markerLabel?: string;
  legend?: boolean;
}): string {
  const W = 720;
  const H = 420;
  const L = 70;
  const R = 20;
  const T = 40;
  const B = 50;
  const xs = o.series.flatMap((s) => s.x).filter(Number.isFinite);
  const ys = o.series.flatMap((s) => s.y).filter(Number.isFinite);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const sx = (x: number) => L + ((x - x0) / (x1 - x0 || 1)) * (W - L - R);
  const sy = (y: number) => H - B - ((y - y0) / (y1 - y0)) * (H - T - B);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(o.title)}</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="black"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="black"/>`,
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">${esc(o.yLabel)}</text>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const xv = x0 + ((x1 - x0) * k) / 4;
    const yv = y0 + ((y1 - y0) * k) / 4;
    parts.push(`<text x="${sx(xv)}" y="${H - B + 16}" text-anchor="middle">${xv.toPrecision(3)}</text>`);
    parts.push(`<text x="${L - 6}" y="${sy(yv) + 4}" text-anchor="end">${yv.toPrecision(3)}</text>`);
  }
  o.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const pts = s.x.map((x, k) => `${sx(x).toFixed(1)},${sy(s.y[k]!).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts}"/>`);
    if (o.legend) {
      parts.push(`<text x="${W - R - 150}" y="${T + 14 * (i + 1)}" fill="${color}">${esc(s.name)}</text>`);
    }
  });
  if (o.markerX !== undefined) {
    const x = sx(o.markerX);
    parts.push(`<line x1="${x}" y1="${T}" x2="${x}" y2="${H - B}" stroke="gray" stroke-dasharray="4 3"/>`);
    if (o.markerLabel) parts.push(`<text x="${x + 4}" y="${T + 12}" fill="gray">${esc(o.markerLabel)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
