// Plots for the examples, drawn by Vega-Lite (compiled to a Vega spec) and rendered to SVG by Vega's headless
// View in Node: no DOM, no canvas, no browser. The helpers below fix what issue 13 asks of every plot rather than
// leave it to each example: axis titles always carry a unit, axes have ticks and grid lines, the legend sits
// outside the plotting area (it can never cover data), and series differ by colour AND dash AND point shape so
// overlapping curves stay apart even in grey print or for colour-blind readers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { outDir } from './verdict.js';

/** One axis: what it shows and in which unit (use e.g. "%", "s", "count", "fraction", "nats"). */
export interface Axis {
  /** What the axis shows, e.g. "test accuracy". */
  label: string;
  /** The unit, e.g. "%" — required so no plot goes out without one; "1" or "ratio" for pure numbers. */
  unit: string;
  /** `log` for quantities spanning decades (sample sizes, iteration counts). Default `linear`. */
  scale?: 'linear' | 'log';
  /** Fixed axis range; default: the data's range (including 0 only where `zero` is set). */
  domain?: [number, number];
  /** Include 0 in the automatic range (default false: the data decide). */
  zero?: boolean;
}

/** One curve of a line or scatter chart. `x` and `y` have equal length; non-finite points are dropped. */
export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Keeps lines apart when several series share a `name` (one legend entry for a group of lines). */
  id?: string;
  /** Panel this series belongs to (charts with several panels side by side, e.g. one per noise level). */
  panel?: string;
  /** Lower/upper band drawn as a shaded area behind the curve (e.g. a confidence band). */
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
}

/** Options common to all charts. */
export interface ChartBase {
  title: string;
  /** Size of the plotting area of one panel, in px (defaults 420 × 260). */
  width?: number;
  height?: number;
}

/** A line chart (or a scatter with `style: 'points'`). */
export interface LineChart extends ChartBase {
  x: Axis;
  y: Axis;
  series: Series[];
  /** `lines` (default: lines with point markers), `points` (markers only), `steps` (step lines). */
  style?: 'lines' | 'points' | 'steps';
  /** Horizontal reference lines (e.g. chance level, a target), labelled in the legend. */
  rules?: { name: string; y: number }[];
  /** Vertical reference lines (e.g. the λ a criterion chose), labelled in the legend. */
  xRules?: { name: string; x: number }[];
}

/** One bar of a grouped bar chart. */
export interface Bar {
  /** Position on the x axis (e.g. the method). */
  category: string;
  /** Bars within one category differ by group (e.g. the test set); colour and pattern come from it. */
  group: string;
  value: number;
  /** Optional error bar, as an absolute lower/upper value. */
  lower?: number;
  upper?: number;
}

/** A grouped bar chart. */
export interface BarChart extends ChartBase {
  x: { label: string };
  y: Axis;
  bars: Bar[];
}

/** A stacked area chart: the series add up (e.g. the share of each task in a curriculum). */
export interface AreaChart extends ChartBase {
  x: Axis;
  y: Axis;
  series: Series[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f'];
const DASHES = [
  [1, 0],
  [6, 3],
  [2, 2],
  [8, 3, 2, 3],
  [4, 4],
  [1, 3],
  [10, 2],
  [3, 5, 1, 5],
  [12, 4],
];
const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down', 'circle', 'square', 'cross'];

/** "label (unit)", or just the label for an empty unit. */
export function axisTitle(a: { label: string; unit?: string }): string {
  return a.unit ? `${a.label} (${a.unit})` : a.label;
}

function checkAxis(a: Axis, which: string, title: string): void {
  if (!a.label) throw new Error(`plot "${title}": ${which} axis needs a label`);
  if (typeof a.unit !== 'string' || a.unit.length === 0) throw new Error(`plot "${title}": ${which} axis needs a unit`);
}

function scaleOf(a: Axis): Record<string, unknown> {
  const s: Record<string, unknown> = { type: a.scale ?? 'linear', nice: true };
  // A log scale has no zero; Vega-Lite warns if asked.
  if (a.scale !== 'log') s.zero = a.zero ?? false;
  if (a.domain) s.domain = a.domain;
  return s;
}

function axisOf(a: Axis): Record<string, unknown> {
  return {
    title: axisTitle(a),
    grid: true,
    ticks: true,
    tickCount: 6,
    labelFlush: false,
    // Vega's default linear tick format (d3's precision from the tick step) reads best; log axes get SI suffixes.
    ...(a.scale === 'log' ? { format: '~s' } : {}),
  };
}

/** Legend columns under the plot: four short labels a row, fewer long ones, so the legend stays about plot-wide. */
function legendColumns(labels: string[]): number {
  const longest = Math.max(...labels.map((l) => l.length));
  return Math.max(1, Math.min(labels.length, longest > 40 ? 1 : longest > 20 ? 2 : 4));
}

/** The series scale shared by colour, dash and shape, so each name gets the same triple everywhere. */
function seriesScales(names: string[], strokeSymbols = false): Record<string, Record<string, unknown>> {
  const n = names.length;
  // Filled marker symbols where curves carry markers; otherwise a short dashed stroke that matches the curve.
  const symbols = strokeSymbols
    ? { symbolType: 'stroke', symbolStrokeWidth: 2.5, symbolSize: 400 }
    : { symbolSize: 120, symbolStrokeWidth: 0 };
  const legend = {
    title: null,
    orient: 'bottom',
    direction: 'horizontal',
    columns: legendColumns(names),
    labelLimit: 400,
    ...symbols,
  };
  return {
    color: {
      field: 'series',
      type: 'nominal',
      sort: names,
      scale: { domain: names, range: COLORS.slice(0, n).concat(COLORS).slice(0, n) },
      legend,
    },
    strokeDash: {
      field: 'series',
      type: 'nominal',
      sort: names,
      scale: { domain: names, range: names.map((_, i) => DASHES[i % DASHES.length]) },
      legend,
    },
    shape: {
      field: 'series',
      type: 'nominal',
      sort: names,
      scale: { domain: names, range: names.map((_, i) => SHAPES[i % SHAPES.length]) },
      legend,
    },
  };
}

function seriesRows(series: Series[], title: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const s of series) {
    if (s.x.length !== s.y.length)
      throw new Error(`plot "${title}": series ${s.name} has ${s.x.length} x and ${s.y.length} y`);
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i]!;
      const y = s.y[i]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      const row: Record<string, unknown> = { series: s.name, line: s.id ?? s.name, x, y, panel: s.panel ?? '' };
      if (s.lower && s.upper) {
        row.lo = s.lower[i];
        row.hi = s.upper[i];
      }
      rows.push(row);
    }
  }
  if (rows.length === 0) throw new Error(`plot "${title}": no finite points`);
  return rows;
}

function frame(base: ChartBase): { width: number; height: number } {
  return { width: base.width ?? 420, height: base.height ?? 260 };
}

function facetOrLayer(
  base: ChartBase,
  layers: Record<string, unknown>[],
  data: unknown[],
  faceted: boolean,
): TopLevelSpec {
  const config = {
    font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif',
    axis: { labelFontSize: 11, titleFontSize: 12, tickSize: 5 },
    legend: { labelFontSize: 11 },
    title: { fontSize: 14, anchor: 'start' },
    view: { stroke: '#888' },
  };
  const { width, height } = frame(base);
  if (faceted) {
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: base.title,
      data: { values: data },
      facet: { column: { field: 'panel', type: 'nominal', title: null, sort: null, header: { labelFontSize: 12 } } },
      spec: { width, height, layer: layers },
      resolve: { axis: { x: 'independent', y: 'independent' } },
      config,
    } as unknown as TopLevelSpec;
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: base.title,
    width,
    height,
    data: { values: data },
    layer: layers,
    config,
  } as unknown as TopLevelSpec;
}

/** Builds the Vega-Lite spec of a line chart (exported so tests can inspect it). */
export function lineChartSpec(c: LineChart): TopLevelSpec {
  checkAxis(c.x, 'x', c.title);
  checkAxis(c.y, 'y', c.title);
  const rows = seriesRows(c.series, c.title);
  const names = [
    ...new Set([...c.series.map((s) => s.name), ...[...(c.rules ?? []), ...(c.xRules ?? [])].map((r) => r.name)]),
  ];
  const style = c.style ?? 'lines';
  const dense = style !== 'points' && Math.max(...c.series.map((s) => s.x.length)) > 30;
  const sc = seriesScales(names, dense);
  const x = { field: 'x', type: 'quantitative', scale: scaleOf(c.x), axis: axisOf(c.x) };
  const y = { field: 'y', type: 'quantitative', scale: scaleOf(c.y), axis: axisOf(c.y) };
  const layers: Record<string, unknown>[] = [];
  const mark =
    style === 'points'
      ? { type: 'point', filled: true, size: 45, opacity: 0.8 }
      : {
          type: 'line',
          strokeWidth: 2,
          interpolate: style === 'steps' ? 'step-after' : 'linear',
          // Markers make curves tell apart where they cross; on long series they would merge into a thick band,
          // so those are told apart by colour and dash alone (the legend then shows the dash).
          point: dense ? false : { filled: true, size: 36 },
        };
  layers.push({
    transform: [{ filter: 'datum.series != null && datum.x != null' }],
    mark,
    encoding:
      style === 'points'
        ? { x, y, color: sc.color, shape: sc.shape }
        : dense
          ? { x, y, color: sc.color, strokeDash: sc.strokeDash, detail: { field: 'line', type: 'nominal' } }
          : {
              x,
              y,
              color: sc.color,
              strokeDash: sc.strokeDash,
              shape: sc.shape,
              detail: { field: 'line', type: 'nominal' },
            },
  });
  if (c.series.some((s) => s.lower && s.upper)) {
    // Drawn after the curves (a 15 % tint over them changes little) so the legend takes its symbols from the
    // curves, not from the faint band.
    layers.push({
      transform: [{ filter: 'isValid(datum.lo)' }],
      mark: { type: 'area', opacity: 0.15 },
      encoding: {
        x,
        y: { field: 'lo', type: 'quantitative', scale: scaleOf(c.y) },
        y2: { field: 'hi' },
        color: sc.color,
      },
    });
  }
  const data: unknown[] = rows;
  // A reference line belongs in every panel, so it is repeated once per panel.
  const panels = [...new Set(c.series.map((s) => s.panel ?? ''))];
  // Horizontal rules (at y) and vertical ones (at x) differ only in the axis they sit on.
  const ruleAxes = [
    { axis: 'y', field: 'ruleY', scale: scaleOf(c.y), at: (c.rules ?? []).map((r) => ({ name: r.name, v: r.y })) },
    { axis: 'x', field: 'ruleX', scale: scaleOf(c.x), at: (c.xRules ?? []).map((r) => ({ name: r.name, v: r.x })) },
  ];
  for (const { axis, field, scale, at } of ruleAxes) {
    if (at.length === 0) continue;
    for (const r of at) for (const panel of panels) data.push({ series: r.name, [field]: r.v, panel });
    layers.push({
      transform: [{ filter: `isValid(datum.${field})` }],
      mark: { type: 'rule', strokeWidth: 1.5 },
      encoding: {
        [axis]: { field, type: 'quantitative', scale },
        color: sc.color,
        strokeDash: sc.strokeDash,
      },
    });
  }
  return facetOrLayer(
    c,
    layers,
    data,
    c.series.some((s) => s.panel !== undefined),
  );
}

/** Builds the Vega-Lite spec of a grouped bar chart. */
export function barChartSpec(c: BarChart): TopLevelSpec {
  checkAxis(c.y, 'y', c.title);
  if (c.bars.length === 0) throw new Error(`plot "${c.title}": no bars`);
  const groups = [...new Set(c.bars.map((b) => b.group))];
  const categories = [...new Set(c.bars.map((b) => b.category))];
  const legend = {
    title: null,
    orient: 'bottom',
    direction: 'horizontal',
    columns: legendColumns(groups),
    labelLimit: 400,
  };
  const color = {
    field: 'group',
    type: 'nominal',
    sort: groups,
    scale: { domain: groups, range: COLORS.slice(0, groups.length) },
    legend,
  };
  const x = {
    field: 'category',
    type: 'nominal',
    sort: categories,
    axis: { title: c.x.label, labelAngle: 0, labelLimit: 140 },
  };
  const y = {
    field: 'value',
    type: 'quantitative',
    scale: scaleOf({ ...c.y, zero: c.y.zero ?? true }),
    axis: axisOf(c.y),
  };
  const xOffset = { field: 'group', type: 'nominal', sort: groups };
  const layers: Record<string, unknown>[] = [
    // Groups also differ in fill opacity and outline, so adjacent bars stay apart without colour.
    {
      mark: { type: 'bar', stroke: '#222', strokeWidth: 0.8 },
      encoding: {
        x,
        xOffset,
        y,
        color,
        fillOpacity: {
          field: 'group',
          type: 'nominal',
          sort: groups,
          scale: { domain: groups, range: groups.map((_, i) => 1 - (0.5 * i) / Math.max(1, groups.length - 1)) },
          legend,
        },
      },
    },
  ];
  if (c.bars.some((b) => b.lower !== undefined && b.upper !== undefined)) {
    layers.push({
      transform: [{ filter: 'isValid(datum.lower)' }],
      mark: { type: 'rule', color: '#000', strokeWidth: 1.2 },
      encoding: { x, xOffset, y: { field: 'lower', type: 'quantitative' }, y2: { field: 'upper' } },
    });
  }
  return facetOrLayer(
    c,
    layers,
    c.bars.map((b) => ({ ...b })),
    false,
  );
}

/** Builds the Vega-Lite spec of a stacked area chart. */
export function areaChartSpec(c: AreaChart): TopLevelSpec {
  checkAxis(c.x, 'x', c.title);
  checkAxis(c.y, 'y', c.title);
  const rows = seriesRows(c.series, c.title);
  const names = c.series.map((s) => s.name);
  const sc = seriesScales(names);
  const layers = [
    {
      mark: { type: 'area', stroke: '#222', strokeWidth: 0.5 },
      encoding: {
        x: { field: 'x', type: 'quantitative', scale: scaleOf(c.x), axis: axisOf(c.x) },
        y: {
          field: 'y',
          type: 'quantitative',
          stack: 'zero',
          scale: scaleOf({ ...c.y, zero: true }),
          axis: axisOf(c.y),
        },
        color: sc.color,
        order: { field: 'order', type: 'quantitative' },
      },
    },
  ];
  const order = new Map(names.map((n, i) => [n, i]));
  return facetOrLayer(
    c,
    layers,
    rows.map((r) => ({ ...r, order: order.get(r.series as string) })),
    false,
  );
}

/** Renders a Vega-Lite spec to an SVG string, headless (no DOM, no canvas; text widths are estimated). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Writes `svg` to `<cwd>/out/<file>` and returns the path relative to the example (`out/<file>`). */
export function writePlotFile(file: string, svg: string): string {
  const dir = outDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), svg);
  return `out/${file}`;
}

/** Renders a line chart to `out/<file>`; returns `out/<file>` for the verdict's `plots`. */
export async function saveLineChart(file: string, c: LineChart): Promise<string> {
  return writePlotFile(file, await renderSvg(lineChartSpec(c)));
}

/** Renders a grouped bar chart to `out/<file>`; returns `out/<file>`. */
export async function saveBarChart(file: string, c: BarChart): Promise<string> {
  return writePlotFile(file, await renderSvg(barChartSpec(c)));
}

/** Renders a stacked area chart to `out/<file>`; returns `out/<file>`. */
export async function saveAreaChart(file: string, c: AreaChart): Promise<string> {
  return writePlotFile(file, await renderSvg(areaChartSpec(c)));
}
