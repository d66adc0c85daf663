// The demo report end to end on a fixture run: three examples (one with this run's verdicts and a plot, one with a
// file from an earlier run, one without any), collected, tabled, written as HTML and opened in headless Chromium.
// The page must show the summary table with every row, the inlined plot must load, and the screenshot must not
// be blank.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineChartSpec, renderSvg } from '../src/plot.js';
import { collectRun, runTotals } from '../src/report/collect.js';
import { renderHtml } from '../src/report/html.js';
import { summaryTable } from '../src/report/table.js';
import type { VerdictFile } from '../src/verdict.js';
import { decodePng, launchChromium, pixelStats } from './chromium.js';

const root = mkdtempSync(join(tmpdir(), 'demo-report-'));
const examples = join(root, 'examples');
const shotDir = join(import.meta.dirname, '..', 'reports', 'report');
let browser: Browser;

function example(name: string, file: VerdictFile | null, svg?: string): void {
  const dir = join(examples, name);
  mkdirSync(join(dir, 'out'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, scripts: { demo: 'tsx index.ts --quick' } }));
  if (file) writeFileSync(join(dir, 'out', 'verdicts.json'), JSON.stringify(file));
  if (svg) writeFileSync(join(dir, 'out', 'acc.svg'), svg);
}

const base = { claim: 'c', criterion: 'k', mode: 'quick' as const, seconds: 12.3, plots: [] as string[] };

beforeAll(async () => {
  const svg = await renderSvg(
    lineChartSpec({
      title: 'accuracy',
      x: { label: 'epoch', unit: 'count' },
      y: { label: 'accuracy', unit: '%' },
      series: [{ name: 'a', x: [1, 2, 3], y: [10, 50, 70] }],
    }),
  );
  const at = new Date().toISOString();
  example(
    'alpha',
    {
      example: 'alpha',
      mode: 'quick',
      runId: 'run-now',
      startedAt: at,
      writtenAt: at,
      verdicts: [
        {
          ...base,
          example: 'alpha',
          claim: 'LDR beats CE <under noise>',
          measured: 1.23456,
          status: 'PASS',
          plots: ['out/acc.svg'],
        },
        {
          ...base,
          example: 'alpha',
          claim: 'too short to tell',
          measured: 'n/a',
          status: 'INFO',
          note: 'quick mode',
          fullCommand: 'pnpm --filter alpha full',
        },
      ],
    },
    svg,
  );
  example('beta', {
    example: 'beta',
    mode: 'quick',
    runId: 'run-old',
    startedAt: at,
    writtenAt: at,
    verdicts: [{ ...base, example: 'beta', measured: 1, status: 'PASS' }],
  });
  example('gamma', null);
  mkdirSync(join(examples, 'kit-like'), { recursive: true });
  writeFileSync(
    join(examples, 'kit-like', 'package.json'),
    JSON.stringify({ name: 'kit-like', scripts: { test: 'x' } }),
  );
  mkdirSync(shotDir, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('demo report', () => {
  it('keeps only this run: stale and missing files are "no verdict", and the run is not OK', () => {
    const results = collectRun(examples, { runId: 'run-now' });
    expect(results.map((r) => [r.example, r.state])).toEqual([
      ['alpha', 'ok'],
      ['beta', 'stale'],
      ['gamma', 'missing'],
    ]);
    expect(runTotals(results)).toEqual({ pass: 1, fail: 0, info: 1, noVerdict: 2, ok: false });
    const ok = collectRun(examples, { runId: 'run-old' });
    expect(runTotals(ok.filter((r) => r.state === 'ok')).ok).toBe(true);
  });

  it('prints one table row per verdict and per example without one', () => {
    const table = summaryTable(collectRun(examples, { runId: 'run-now' }), 120);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^example\s+status\s+mode\s+time/);
    expect(lines.filter((l) => /^alpha\s+(PASS|INFO)/.test(l))).toHaveLength(2);
    expect(lines.some((l) => /^beta\s+NO VERDICT/.test(l))).toBe(true);
    expect(lines.some((l) => /^gamma\s+NO VERDICT/.test(l))).toBe(true);
    expect(table).toContain('1.23456');
    expect(lines.at(-1)).toBe('1 PASS, 0 FAIL, 1 INFO, 2 example(s) without a verdict — demo FAILED');
  });

  it('renders in Chromium: the table, the inlined plot, a non-blank screenshot', async () => {
    const results = collectRun(examples, { runId: 'run-now' });
    const html = renderHtml(results, {
      title: 'fixture report',
      machine: 'test',
      startedAt: 'a',
      finishedAt: 'b',
      runId: 'run-now',
    });
    expect(html).not.toContain('<under noise>');
    const file = join(shotDir, 'index.html');
    writeFileSync(file, html);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`file://${file}`);
    const rows = await page.$$eval('#summary tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain('LDR beats CE <under noise>');
    expect(await page.$$eval('td.PASS', (x) => x.length)).toBe(1);
    expect(await page.$$eval('td.NONE', (x) => x.length)).toBe(2);
    const img = await page.$eval('figure img', (i) => ({
      w: (i as HTMLImageElement).naturalWidth,
      ok: (i as HTMLImageElement).complete,
    }));
    expect(img.ok).toBe(true);
    expect(img.w).toBeGreaterThan(100);
    const png = await page.screenshot({ path: join(shotDir, 'report.png'), fullPage: true });
    await page.close();
    const shot = decodePng(png);
    expect(shot.width).toBe(1280);
    const s = pixelStats(shot);
    expect(s.inkFraction).toBeGreaterThan(0.02);
    expect(s.colours).toBeGreaterThan(8);
    expect(errors).toEqual([]);
    expect(readFileSync(file, 'utf8')).toContain('data:image/svg+xml;base64,');
  });
});
