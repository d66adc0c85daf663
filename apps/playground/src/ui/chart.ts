/** A small dependency-free SVG line chart: axes with units, grid, legend, distinct colour + dash + marker per series. */

export interface Series {
  name: string;
  /** Okabe–Ito colours (distinguishable with the common colour-vision deficiencies). */
  color: string;
  dash: string;
  marker: 'circle' | 'square' | 'triangle' | 'none';
  points: { x: number; y: number }[];
  /** Draw as a step function (certified-accuracy curves). */
  step?: boolean;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  xDomain: [number, number];
  yDomain: [number, number];
  xTicks: number[];
  yTicks: number[];
  formatX: (v: number) => string;
  formatY: (v: number) => string;
  series: Series[];
  /** A horizontal reference line, e.g. chance accuracy. */
  reference?: { y: number; label: string };
}

const NS = 'http://www.w3.org/2000/svg';
const M = { left: 56, right: 16, top: 16, bottom: 48 };
/** The last spec drawn into each chart, redrawn when the chart's width changes (text stays at its real size). */
const drawn = new Map<SVGSVGElement, ChartSpec>();
let observer: ResizeObserver | undefined;

function widthOf(svg: SVGSVGElement): number {
  const w = svg.parentElement?.clientWidth ?? 640;
  return Math.round(Math.min(720, Math.max(300, w || 640)));
}

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function marker(kind: Series['marker'], x: number, y: number, color: string): SVGElement | undefined {
  if (kind === 'circle') return el('circle', { cx: x, cy: y, r: 4, fill: color });
  if (kind === 'square') return el('rect', { x: x - 4, y: y - 4, width: 8, height: 8, fill: color });
  if (kind === 'triangle')
    return el('path', { d: `M${x},${y - 5} L${x + 5},${y + 4} L${x - 5},${y + 4} Z`, fill: color });
  return undefined;
}

/** Draws `spec` into `svg` (replacing its content); the SVG scales with its container (viewBox). */
export function drawChart(svg: SVGSVGElement, spec: ChartSpec): void {
  if (!drawn.has(svg)) {
    observer ??= new ResizeObserver((entries) => {
      for (const e of entries) {
        const target = e.target as SVGSVGElement;
        const last = drawn.get(target);
        if (last && Math.abs(Number(target.dataset.width) - widthOf(target)) > 8) drawChart(target, last);
      }
    });
    observer.observe(svg);
  }
  drawn.set(svg, spec);
  // One SVG unit per CSS pixel at the chart's width (between a phone's and a laptop's), so labels stay legible.
  const W = widthOf(svg);
  const H = Math.round(Math.min(320, Math.max(240, W * 0.55)));
  svg.dataset.width = String(W);
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', spec.title);
  const [x0, x1] = spec.xDomain;
  const [y0, y1] = spec.yDomain;
  const px = (x: number) => M.left + ((x - x0) / (x1 - x0 || 1)) * (W - M.left - M.right);
  const py = (y: number) => H - M.bottom - ((y - y0) / (y1 - y0 || 1)) * (H - M.top - M.bottom);
  const g = el('g', { 'font-size': 12, fill: 'currentColor' });
  svg.append(g);
  for (const t of spec.yTicks) {
    g.append(el('line', { x1: M.left, x2: W - M.right, y1: py(t), y2: py(t), stroke: '#ccc', 'stroke-width': 1 }));
    g.append(el('text', { x: M.left - 6, y: py(t) + 4, 'text-anchor': 'end' }, spec.formatY(t)));
  }
  for (const t of spec.xTicks) {
    g.append(el('line', { x1: px(t), x2: px(t), y1: H - M.bottom, y2: H - M.bottom + 5, stroke: 'currentColor' }));
    g.append(el('text', { x: px(t), y: H - M.bottom + 18, 'text-anchor': 'middle' }, spec.formatX(t)));
  }
  g.append(el('line', { x1: M.left, x2: W - M.right, y1: H - M.bottom, y2: H - M.bottom, stroke: 'currentColor' }));
  g.append(el('line', { x1: M.left, x2: M.left, y1: M.top, y2: H - M.bottom, stroke: 'currentColor' }));
  g.append(el('text', { x: (M.left + W - M.right) / 2, y: H - 8, 'text-anchor': 'middle' }, spec.xLabel));
  g.append(
    el(
      'text',
      {
        x: 14,
        y: (M.top + H - M.bottom) / 2,
        'text-anchor': 'middle',
        transform: `rotate(-90 14 ${(M.top + H - M.bottom) / 2})`,
      },
      spec.yLabel,
    ),
  );
  if (spec.reference) {
    const y = py(spec.reference.y);
    g.append(el('line', { x1: M.left, x2: W - M.right, y1: y, y2: y, stroke: '#666', 'stroke-dasharray': '2 4' }));
    g.append(el('text', { x: W - M.right - 4, y: y - 4, 'text-anchor': 'end', fill: '#555' }, spec.reference.label));
  }
  for (const s of spec.series) {
    if (s.points.length === 0) continue;
    let d = '';
    s.points.forEach((p, i) => {
      if (i === 0) d += `M${px(p.x)},${py(p.y)}`;
      else if (s.step) d += ` H${px(p.x)} V${py(p.y)}`;
      else d += ` L${px(p.x)},${py(p.y)}`;
    });
    const path = el('path', { d, fill: 'none', stroke: s.color, 'stroke-width': 2.5, 'stroke-dasharray': s.dash });
    path.setAttribute('data-series', s.name);
    g.append(path);
    if (!s.step)
      for (const p of s.points) {
        const m = marker(s.marker, px(p.x), py(p.y), s.color);
        if (m) g.append(m);
      }
  }
}

/** A legend as HTML (wraps at narrow widths, readable by screen readers). */
export function drawLegend(container: HTMLElement, series: Pick<Series, 'name' | 'color' | 'dash' | 'marker'>[]): void {
  container.replaceChildren();
  for (const s of series) {
    const item = document.createElement('span');
    item.className = 'legend-item';
    const svg = document.createElementNS(NS, 'svg') as SVGSVGElement;
    svg.setAttribute('width', '36');
    svg.setAttribute('height', '12');
    svg.setAttribute('aria-hidden', 'true');
    svg.append(
      el('line', { x1: 0, x2: 36, y1: 6, y2: 6, stroke: s.color, 'stroke-width': 2.5, 'stroke-dasharray': s.dash }),
    );
    const m = marker(s.marker, 18, 6, s.color);
    if (m) svg.append(m);
    item.append(svg, document.createTextNode(` ${s.name}`));
    container.append(item);
  }
}
