// Each kind of plot, rendered by Vega in Node and then drawn by headless Chromium: the SVG must carry the axis
// titles with units and the legend entries, and the screenshot must be the SVG's size and show ink in several
// colours. A blank SVG of the same size is the control that the pixel check can fail.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { areaChartSpec, barChartSpec, type LineChart, lineChartSpec, renderSvg } from '../src/plot.js';
import { decodePng, launchChromium, pixelStats } from './chromium.js';

const outDir = join(import.meta.dirname, '..', 'reports', 'plots');
let browser: Browser;

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

function svgSize(svg: string): { width: number; height: number } {
  const m = /<svg[^>]*width="(\d+)"[^>]*height="(\d+)"/.exec(svg);
  if (!m) throw new Error('SVG without width/height');
  return { width: Number(m[1]), height: Number(m[2]) };
}

async function shoot(name: string, svg: string) {
  const file = join(outDir, `${name}.svg`);
  writeFileSync(file, svg);
  const { width, height } = svgSize(svg);
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(`file://${file}`);
  const png = await page.screenshot({ path: join(outDir, `${name}.png`) });
  await page.close();
  return decodePng(png);
}

const xs = [1, 2, 3, 4, 5, 6, 7, 8];
const dense = Array.from({ length: 60 }, (_, i) => 10 ** (-2 + i / 20));
const line: LineChart = {
  title: 'Test accuracy vs epoch',
  x: { label: 'epoch', unit: 'count' },
  y: { label: 'test accuracy', unit: '%' },
  series: [
    { name: 'cross-entropy', x: xs, y: xs.map((v) => 50 + 4 * v), panel: '20 % noise' },
    { name: 'LDR', x: xs, y: xs.map((v) => 50 + 4 * v + 0.3), panel: '20 % noise' },
    { name: 'cross-entropy', x: xs, y: xs.map((v) => 40 + 3 * v), panel: '40 % noise' },
    { name: 'LDR', x: xs, y: xs.map((v) => 42 + 4 * v), panel: '40 % noise' },
  ],
  rules: [{ name: 'chance', y: 10 }],
};

const kinds: [string, () => Promise<string>][] = [
  ['line-panels', () => renderSvg(lineChartSpec(line))],
  [
    'line-log-band',
    () =>
      renderSvg(
        lineChartSpec({
          title: 'RMSE vs sample size',
          x: { label: 'sample size', unit: 'count', scale: 'log' },
          y: { label: 'RMSE', unit: 'outcome units' },
          series: [
            { name: 'IV', x: [100, 1000, 10000], y: [1, 0.3, 0.1], lower: [0.8, 0.2, 0.05], upper: [1.2, 0.4, 0.15] },
            { name: 'OLS', x: [100, 1000, 10000], y: [1.1, 0.5, 0.2] },
          ],
        }),
      ),
  ],
  [
    'points',
    () =>
      renderSvg(
        lineChartSpec({
          title: 'scatter',
          style: 'points',
          x: { label: 'u', unit: 'm' },
          y: { label: 'v', unit: 's' },
          series: [{ name: 'a', x: xs, y: xs.map((v) => v * v) }],
        }),
      ),
  ],
  [
    'dense-grouped-xrule',
    () =>
      renderSvg(
        lineChartSpec({
          title: 'Coefficient path',
          x: { label: 'penalty λ', unit: 'outcome units', scale: 'log' },
          y: { label: 'coefficient', unit: 'outcome units' },
          series: [
            { name: 'signal', x: dense, y: dense.map((v) => 1 / (1 + v)) },
            { name: 'noise coefficients', id: 'n1', x: dense, y: dense.map((v) => 0.1 / (1 + v)) },
            { name: 'noise coefficients', id: 'n2', x: dense, y: dense.map((v) => -0.1 / (1 + v)) },
          ],
          xRules: [{ name: 'chosen λ', x: 1 }],
        }),
      ),
  ],
  [
    'bars',
    () =>
      renderSvg(
        barChartSpec({
          title: 'Accuracy by group',
          x: { label: 'method' },
          y: { label: 'accuracy', unit: '%' },
          bars: [
            { category: 'ERM', group: 'average', value: 90 },
            { category: 'ERM', group: 'worst group', value: 60, lower: 55, upper: 65 },
            { category: 'group DRO', group: 'average', value: 88 },
            { category: 'group DRO', group: 'worst group', value: 80, lower: 76, upper: 84 },
          ],
        }),
      ),
  ],
  [
    'area',
    () =>
      renderSvg(
        areaChartSpec({
          title: 'Task share',
          x: { label: 'episode', unit: 'count' },
          y: { label: 'share', unit: 'fraction' },
          series: [
            { name: 'easy', x: xs, y: xs.map((v) => 1 - v / 10) },
            { name: 'hard', x: xs, y: xs.map((v) => v / 10) },
          ],
        }),
      ),
  ],
];

describe('plots render in Chromium', () => {
  it.each(kinds)('%s: axis titles with units, legend, non-blank PNG of the SVG size', async (name, make) => {
    const svg = await make();
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/\(count\)|\(%\)|\(m\)|\(fraction\)|\(outcome units\)/);
    const img = await shoot(name, svg);
    const size = svgSize(svg);
    expect([img.width, img.height]).toEqual([size.width, size.height]);
    const s = pixelStats(img);
    expect(s.inkFraction).toBeGreaterThan(0.02);
    expect(s.greyStd).toBeGreaterThan(10);
    expect(s.colours).toBeGreaterThan(4);
  });

  it('the line chart names every series and draws them dashed differently', async () => {
    const svg = await renderSvg(lineChartSpec(line));
    for (const t of [
      'cross-entropy',
      'LDR',
      'chance',
      'epoch (count)',
      'test accuracy (%)',
      '20 % noise',
      '40 % noise',
    ]) {
      expect(svg).toContain(t);
    }
    const dashes = new Set([...svg.matchAll(/stroke-dasharray="([^"]+)"/g)].map((m) => m[1]));
    expect(dashes.size).toBeGreaterThanOrEqual(2);
  });

  it('dense curves: no markers, stroke legend symbols, one legend entry per shared name, the rule named', async () => {
    const spec = JSON.stringify(
      lineChartSpec({
        title: 't',
        x: { label: 'a', unit: 'u' },
        y: { label: 'b', unit: 'v' },
        series: [
          { name: 'g', id: '1', x: dense, y: dense },
          { name: 'g', id: '2', x: dense, y: dense.map((v) => 2 * v) },
        ],
        xRules: [{ name: 'chosen', x: 1 }],
      }),
    );
    expect(spec).toContain('"symbolType":"stroke"');
    expect(spec).toContain('"point":false');
    expect(spec).toContain('"detail":{"field":"line"');
    const svg = await renderSvg(JSON.parse(spec));
    expect(svg.match(/>g</g)?.length).toBe(1);
    expect(svg).toContain('chosen');
  });

  it('a blank SVG fails the pixel check (control)', async () => {
    const img = await shoot(
      'blank',
      '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><rect width="300" height="200" fill="white"/></svg>',
    );
    expect(pixelStats(img).inkFraction).toBeLessThan(0.001);
    expect(pixelStats(img).colours).toBe(1);
  });

  it('rejects an axis without a unit', () => {
    expect(() => lineChartSpec({ ...line, y: { label: 'accuracy', unit: '' } })).toThrow(/unit/);
  });
});
