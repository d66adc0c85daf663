// Builds the demo's outputs from the verdict files: prints the summary table and writes reports/demo/index.html
// (plus summary.json for machines). Shared by `pnpm demo` (after turbo) and `pnpm demo:report` (by hand).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { type CollectOptions, collectRun, type ExampleResult, runTotals } from './collect.js';
import { renderHtml } from './html.js';
import { summaryTable } from './table.js';

/** What {@link writeReport} needs to know about the run. */
export interface WriteReportOptions extends CollectOptions {
  /** The repository root (examples/ and reports/ are under it). */
  rootDir: string;
  startedAt: string;
  turboExit?: number | null;
  /** Report only these examples (e.g. those a `--filter` ran); default: every example with a demo script. */
  only?: (example: string) => boolean;
}

/** "N vCPU, Node vX, load a b c" — the machine line every timing needs. */
export function machineLine(): string {
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  return `${cpus().length} vCPU, Node ${process.version}, load (1/5/15 min) ${load}`;
}

/** Prints the table, writes the report; returns the results, the report path and whether the demo passed. */
export function writeReport(opts: WriteReportOptions): { results: ExampleResult[]; htmlPath: string; ok: boolean } {
  const results = collectRun(join(opts.rootDir, 'examples'), opts).filter((r) => opts.only?.(r.example) ?? true);
  const outDir = join(opts.rootDir, 'reports', 'demo');
  mkdirSync(outDir, { recursive: true });
  const finishedAt = new Date().toISOString();
  const html = renderHtml(results, {
    title: 'drojs demo report',
    machine: machineLine(),
    startedAt: opts.startedAt,
    finishedAt,
    runId: opts.runId ?? null,
    turboExit: opts.turboExit,
  });
  const htmlPath = join(outDir, 'index.html');
  writeFileSync(htmlPath, html);
  const totals = runTotals(results);
  const summary = {
    startedAt: opts.startedAt,
    finishedAt,
    runId: opts.runId ?? null,
    machine: machineLine(),
    totals,
    results,
  };
  writeFileSync(
    join(outDir, 'summary.json'),
    `${JSON.stringify(summary, (k, v) => (k === 'svg' ? undefined : v), 1)}\n`,
  );
  console.log(`\n${summaryTable(results, Math.max(100, process.stdout.columns ?? 150))}`);
  console.log(`\nHTML report: ${htmlPath}`);
  return { results, htmlPath, ok: totals.ok && (opts.turboExit ?? 0) === 0 };
}
