// The one summary table `pnpm demo` ends with: a row per verdict (and a row for each example without one), in
// plain text that survives a log file and a narrow terminal.
import type { ExampleResult } from './collect.js';
import { runTotals } from './collect.js';

/** Shortens `s` to `n` characters with an ellipsis. */
export function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/** A measured value as printed: numbers to 6 significant digits, text as is. */
export function formatMeasured(m: number | string): string {
  if (typeof m === 'string') return m;
  if (Number.isInteger(m)) return String(m);
  return Number(m.toPrecision(6)).toString();
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** The summary table as text lines (header, rule, rows, rule, totals). */
export function summaryTable(results: ExampleResult[], width = 150): string {
  const rows: string[][] = [];
  for (const r of results) {
    if (r.state !== 'ok' || r.verdicts.length === 0) {
      rows.push([r.example, 'NO VERDICT', '-', '-', r.detail ?? 'no verdict printed']);
      continue;
    }
    for (const v of r.verdicts) {
      rows.push([
        r.example,
        v.status,
        v.mode,
        `${v.seconds.toFixed(0)} s`,
        `${v.claim} → ${formatMeasured(v.measured)}`,
      ]);
    }
  }
  const head = ['example', 'status', 'mode', 'time', 'claim → measured'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 4 ? 0 : r[i]!.length))));
  const fixed = widths.slice(0, 4).reduce((a, b) => a + b + 2, 0);
  const last = Math.max(30, width - fixed);
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 4 ? clip(c, last) : pad(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(Math.min(width, fixed + last));
  const t = runTotals(results);
  const totals = `${t.pass} PASS, ${t.fail} FAIL, ${t.info} INFO, ${t.noVerdict} example(s) without a verdict — ${t.ok ? 'demo OK' : 'demo FAILED'}`;
  return [line(head), rule, ...rows.map(line), rule, totals].join('\n');
}
