/** One curve of a line plot. */
export interface Series {
  name: string;
  colour: string;
  dashed?: boolean;
  points: { x: number; y: number }[];
}

/**
 * A small line plot on [0, xMax] × [0, 1] with a legend at `legendTop` (a y value; the default 0.75 sits
 * between rising success and falling accuracy curves at low strength). No dependencies.
 */
export function linePlotSvg(
  title: string,
  xLabel: string,
  yLabel: string,
  series: Series[],
  xMax = 1,
  legendTop = 0.75,
): string {
  const W = 520;
  const H = 400;
  const m = { l: 60, r: 20, t: 40, b: 50 };
  const px = (v: number) => m.l + (v / xMax) * (W - m.l - m.r);
  const py = (v: number) => H - m.b - v * (H - m.t - m.b);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${title}</text>`,
    `<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="black"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = i / 4;
    parts.push(`<text x="${px(v * xMax)}" y="${H - m.b + 16}" text-anchor="middle">${(v * xMax).toFixed(2)}</text>`);
    parts.push(`<text x="${m.l - 6}" y="${py(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`);
    parts.push(`<line x1="${m.l}" y1="${py(v)}" x2="${W - m.r}" y2="${py(v)}" stroke="#eee"/>`);
  }
  parts.push(`<text x="${W / 2}" y="${H - 12}" text-anchor="middle">${xLabel}</text>`);
  parts.push(`<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">${yLabel}</text>`);
  series.forEach((s, k) => {
    const pts = s.points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
    const dash = s.dashed ? ' stroke-dasharray="5 4"' : '';
    parts.push(`<polyline points="${pts}" fill="none" stroke="${s.colour}" stroke-width="2"${dash}/>`);
    const y = py(legendTop) + 14 + 16 * k;
    parts.push(
      `<line x1="${m.l + 10}" y1="${y - 4}" x2="${m.l + 30}" y2="${y - 4}" stroke="${s.colour}" stroke-width="2"${dash}/>`,
    );
    parts.push(`<text x="${m.l + 36}" y="${y}" paint-order="stroke" stroke="white" stroke-width="3">${s.name}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
