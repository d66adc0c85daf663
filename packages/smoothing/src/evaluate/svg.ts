import { checkOptions, DroError, describeValue, opt } from '@drojs/dro-core';

const SVG_SCHEMA = {
  title: opt.string(),
  width: opt.number({ min: 1 }),
  height: opt.number({ min: 1 }),
  maxRadius: opt.number({ min: 0, minExclusive: true }),
  xLabel: opt.string(),
  yLabel: opt.string(),
};

/** One curve of a certified-accuracy plot. */
export interface CurveSeries {
  label: string;
  radius: number[];
  accuracy: number[];
  /** Drawn dashed (legacy and comparison curves). */
  dashed?: boolean;
}

const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** At most 2 decimals, no trailing zeros, no "-0": deterministic output. */
function num(v: number): string {
  const s = (Math.round(v * 100) / 100).toFixed(2).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/**
 * Certified accuracy vs radius as a self-contained SVG document: one step-function `<path>` per series
 * (with `data-series` = its label), axes with ticks every 0.25 in radius and 0.1 in accuracy, a legend.
 * Deterministic: the same input gives byte-identical output.
 */
export function certifiedAccuracySvg(
  series: CurveSeries[],
  opts: { title?: string; width?: number; height?: number; maxRadius?: number; xLabel?: string; yLabel?: string } = {},
): string {
  checkOptions(opts, SVG_SCHEMA, 'certifiedAccuracySvg');
  if (!Array.isArray(series) || series.length === 0) {
    throw new DroError('E_EMPTY', 'series must be a non-empty array', {
      argument: 'series',
      received: describeValue(series),
    });
  }
  series.forEach((s, i) => {
    const ok = s && typeof s.label === 'string' && Array.isArray(s.radius) && Array.isArray(s.accuracy);
    if (!ok)
      throw new DroError('E_SPEC', `series[${i}] must have label, radius and accuracy`, { argument: `series[${i}]` });
    if (s.radius.length !== s.accuracy.length || s.radius.length === 0) {
      throw new DroError('E_SHAPE', `series[${i}] radius and accuracy differ in length or are empty`, {
        argument: `series[${i}]`,
        received: `${s.radius.length} radii, ${s.accuracy.length} accuracies`,
      });
    }
    for (const v of [...s.radius, ...s.accuracy]) {
      if (!Number.isFinite(v))
        throw new DroError('E_NONFINITE', `series[${i}] holds a non-finite value`, { argument: `series[${i}]` });
    }
  });
  const width = opts.width ?? 640;
  const height = opts.height ?? 400;
  let top = 0;
  for (const s of series) for (const r of s.radius) top = Math.max(top, r);
  const maxRadius = opts.maxRadius ?? Math.max(0.25, Math.ceil(top / 0.25) * 0.25);
  const ml = 60;
  const mr = 20;
  const mt = opts.title ? 40 : 20;
  const mb = 50;
  const pw = width - ml - mr;
  const ph = height - mt - mb;
  const X = (r: number) => ml + (Math.min(r, maxRadius) / maxRadius) * pw;
  const Y = (a: number) => mt + (1 - Math.max(0, Math.min(1, a))) * ph;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  if (opts.title)
    out.push(`<text x="${num(width / 2)}" y="24" text-anchor="middle" font-size="14">${esc(opts.title)}</text>`);
  // Grid and ticks.
  for (let j = 0; j <= 10; j++) {
    const y = Y(j / 10);
    out.push(`<line x1="${ml}" y1="${num(y)}" x2="${ml + pw}" y2="${num(y)}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${ml - 6}" y="${num(y + 4)}" text-anchor="end">${num(j / 10)}</text>`);
  }
  const nx = Math.round(maxRadius / 0.25);
  for (let j = 0; j <= nx; j++) {
    const x = X(j * 0.25);
    out.push(`<line x1="${num(x)}" y1="${mt}" x2="${num(x)}" y2="${mt + ph}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${num(x)}" y="${mt + ph + 16}" text-anchor="middle">${num(j * 0.25)}</text>`);
  }
  out.push(`<rect x="${ml}" y="${mt}" width="${pw}" height="${ph}" fill="none" stroke="#000000"/>`);
  out.push(
    `<text x="${num(ml + pw / 2)}" y="${height - 12}" text-anchor="middle">${esc(opts.xLabel ?? 'radius (L2, input units)')}</text>`,
  );
  out.push(
    `<text x="16" y="${num(mt + ph / 2)}" text-anchor="middle" transform="rotate(-90 16 ${num(mt + ph / 2)})">${esc(opts.yLabel ?? 'certified accuracy')}</text>`,
  );
  // Curves as step functions: value a_j holds on [r_j, r_{j+1}), then drops.
  series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length] as string;
    const pts: string[] = [`M${num(X(s.radius[0] as number))} ${num(Y(s.accuracy[0] as number))}`];
    for (let j = 1; j < s.radius.length; j++) {
      pts.push(`H${num(X(s.radius[j] as number))}`);
      pts.push(`V${num(Y(s.accuracy[j] as number))}`);
    }
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<path data-series="${esc(s.label)}" d="${pts.join(' ')}" fill="none" stroke="${colour}" stroke-width="1.5"${dash}/>`,
    );
  });
  // Legend (top right).
  // Right-aligned so that the longest label (about 6.5 px per character at 12 px) stays inside the plot.
  const longest = Math.max(...series.map((x) => x.label.length));
  const lx = Math.round(Math.max(ml + 10, ml + pw - 40 - 6.5 * longest));
  out.push(
    `<rect x="${lx - 6}" y="${mt + 2}" width="${ml + pw - lx}" height="${series.length * 16 + 6}" fill="#ffffff" fill-opacity="0.85" stroke="#cccccc"/>`,
  );
  series.forEach((s, i) => {
    const y = mt + 14 + i * 16;
    const colour = PALETTE[i % PALETTE.length] as string;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<line x1="${lx}" y1="${y - 4}" x2="${lx + 24}" y2="${y - 4}" stroke="${colour}" stroke-width="1.5"${dash}/>`,
    );
    out.push(`<text x="${lx + 30}" y="${y}">${esc(s.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
