// Minimal SVG writers (no dependencies): a stacked-area chart of the sampling mix and a line chart.
const COLORS = [
  '#1b9e77',
  '#d95f02',
  '#7570b3',
  '#e7298a',
  '#66a61e',
  '#e6ab02',
  '#a6761d',
  '#666666',
  '#1f78b4',
  '#b2df8a',
];

export function stackedAreaSvg(title: string, rows: number[][], labels: string[], smooth = 5): string {
  const W = 640;
  const H = 300;
  const pad = { l: 50, r: 110, t: 30, b: 40 };
  const n = rows.length;
  const k = labels.length;
  // Shares per step, smoothed with a moving average so that the mix is readable.
  const shares = rows.map((r) => {
    const t = r.reduce((a, b) => a + b, 0) || 1;
    return r.map((x) => x / t);
  });
  const sm = shares.map((_, i) => {
    const lo = Math.max(0, i - smooth + 1);
    const acc = new Array<number>(k).fill(0);
    for (let j = lo; j <= i; j++) (shares[j] as number[]).forEach((x, c) => (acc[c]! += x));
    return acc.map((x) => x / (i - lo + 1));
  });
  const x = (i: number) => pad.l + ((W - pad.l - pad.r) * i) / Math.max(1, n - 1);
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v);
  let paths = '';
  for (let c = k - 1; c >= 0; c--) {
    const top: string[] = [];
    const bottom: string[] = [];
    sm.forEach((s, i) => {
      const below = s.slice(0, c).reduce((a, b) => a + b, 0);
      top.push(`${x(i).toFixed(1)},${y(below + (s[c] as number)).toFixed(1)}`);
      bottom.push(`${x(i).toFixed(1)},${y(below).toFixed(1)}`);
    });
    paths += `<polygon fill="${COLORS[c % COLORS.length]}" stroke="none" points="${top.join(' ')} ${bottom.reverse().join(' ')}"/>\n`;
  }
  const legend = labels
    .map(
      (l, c) =>
        `<rect x="${W - pad.r + 10}" y="${pad.t + c * 18}" width="12" height="12" fill="${COLORS[c % COLORS.length]}"/><text x="${W - pad.r + 28}" y="${pad.t + c * 18 + 10}" font-size="11">${l}</text>`,
    )
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<text x="${W / 2 - pad.r / 2}" y="18" text-anchor="middle" font-size="13">${title}</text>
${paths}<rect x="${pad.l}" y="${pad.t}" width="${W - pad.l - pad.r}" height="${H - pad.t - pad.b}" fill="none" stroke="#333"/>
<text x="${pad.l}" y="${H - 12}" font-size="11">step 0</text><text x="${W - pad.r}" y="${H - 12}" font-size="11" text-anchor="end">step ${n}</text>
<text x="12" y="${pad.t + 10}" font-size="11">100%</text><text x="12" y="${H - pad.b}" font-size="11">0%</text>
${legend}
</svg>\n`;
}

export function lineChartSvg(
  title: string,
  series: Array<{ name: string; points: Array<[number, number]> }>,
  xLabel: string,
  yLabel: string,
): string {
  const W = 640;
  const H = 320;
  const pad = { l: 55, r: 170, t: 30, b: 45 };
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const y0 = Math.min(...ys);
  const y1 = Math.max(...ys);
  const x = (v: number) => pad.l + ((W - pad.l - pad.r) * (v - x0)) / (x1 - x0 || 1);
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - (v - y0) / (y1 - y0 || 1));
  const lines = series
    .map(
      (s, c) =>
        `<polyline fill="none" stroke="${COLORS[c % COLORS.length]}" stroke-width="1.8" points="${s.points.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ')}"/>` +
        `<text x="${W - pad.r + 10}" y="${pad.t + c * 16 + 10}" font-size="11" fill="${COLORS[c % COLORS.length]}">${s.name}</text>`,
    )
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<text x="${(W - pad.r) / 2}" y="18" text-anchor="middle" font-size="13">${title}</text>
<rect x="${pad.l}" y="${pad.t}" width="${W - pad.l - pad.r}" height="${H - pad.t - pad.b}" fill="none" stroke="#333"/>
${lines}
<text x="${pad.l}" y="${H - 25}" font-size="11">${x0}</text><text x="${W - pad.r}" y="${H - 25}" font-size="11" text-anchor="end">${x1}</text>
<text x="${(W - pad.r) / 2}" y="${H - 8}" font-size="11" text-anchor="middle">${xLabel}</text>
<text x="8" y="${pad.t + 10}" font-size="11">${y1.toFixed(3)}</text><text x="8" y="${H - pad.b}" font-size="11">${y0.toFixed(3)}</text>
<text x="8" y="${H / 2}" font-size="11">${yLabel}</text>
</svg>\n`;
}
