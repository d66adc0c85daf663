// The demo's HTML report: one self-contained file (no scripts, no network, plots inlined as data URIs so their
// internal ids cannot clash) that opens from disk in any browser.
import type { ExampleResult } from './collect.js';
import { runTotals } from './collect.js';
import { formatMeasured } from './table.js';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** What the report says about the run itself. */
export interface ReportMeta {
  title: string;
  /** e.g. "2 vCPU shared VM, Node 20.20.2, load 3.1". */
  machine: string;
  startedAt: string;
  finishedAt: string;
  runId: string | null;
  /** The turbo exit code, when the report follows a run. */
  turboExit?: number | null;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"DejaVu Sans",Arial,sans-serif;margin:24px;color:#111;max-width:1200px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:18px;margin:28px 0 6px;border-bottom:1px solid #ccc;padding-bottom:4px}
.meta{color:#555;font-size:13px;margin-bottom:14px}
table{border-collapse:collapse;width:100%;font-size:13px;table-layout:fixed}
th,td{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f0f0f0}
td.num{text-align:right}
col.ex{width:11%} col.st{width:7%} col.mo{width:5%} col.ti{width:6%} col.cl{width:31%} col.me{width:21%} col.cr{width:19%}
.PASS{background:#d9f2d9;font-weight:bold} .FAIL{background:#f8d0d0;font-weight:bold}
.INFO{background:#e6ecf7;font-weight:bold} .NONE{background:#f8e6c8;font-weight:bold}
.totals{margin:10px 0;font-size:15px;font-weight:bold}
.note{color:#444;font-size:12px}
figure{display:inline-block;margin:8px 12px 8px 0;vertical-align:top} figure img{max-width:100%;border:1px solid #ddd}
figcaption{font-size:12px;color:#555}
`;

function toDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

function summaryRows(results: ExampleResult[]): string {
  const rows: string[] = [];
  for (const r of results) {
    const link = `<a href="#${escapeHtml(r.example)}">${escapeHtml(r.example)}</a>`;
    if (r.state !== 'ok' || r.verdicts.length === 0) {
      rows.push(
        `<tr><td>${link}</td><td class="NONE">NO VERDICT</td><td></td><td></td><td colspan="3">${escapeHtml(r.detail ?? 'no verdict printed')}</td></tr>`,
      );
      continue;
    }
    for (const v of r.verdicts) {
      const note = v.note ? `<div class="note">${escapeHtml(v.note)}</div>` : '';
      const full = v.fullCommand ? `<div class="note">full run: <code>${escapeHtml(v.fullCommand)}</code></div>` : '';
      rows.push(
        `<tr><td>${link}</td><td class="${v.status}">${v.status}</td><td>${v.mode}</td><td class="num">${v.seconds.toFixed(1)} s</td>` +
          `<td>${escapeHtml(v.claim)}${note}${full}</td><td class="${typeof v.measured === 'number' ? 'num' : ''}">${escapeHtml(formatMeasured(v.measured))}</td><td>${escapeHtml(v.criterion)}</td></tr>`,
      );
    }
  }
  return rows.join('\n');
}

function exampleSection(r: ExampleResult): string {
  const parts = [`<h2 id="${escapeHtml(r.example)}">${escapeHtml(r.example)}</h2>`];
  if (r.state !== 'ok') {
    parts.push(`<p class="NONE">No verdict from this run: ${escapeHtml(r.detail ?? '')}</p>`);
    return parts.join('\n');
  }
  parts.push(`<p class="meta">run started ${escapeHtml(r.startedAt ?? '')}</p>`);
  for (const p of r.plots) {
    if (p.svg === null) {
      parts.push(`<p class="FAIL">plot ${escapeHtml(p.path)} is missing</p>`);
      continue;
    }
    parts.push(
      `<figure><img alt="${escapeHtml(`${r.example}: ${p.path}`)}" src="${toDataUri(p.svg)}"><figcaption>${escapeHtml(p.path)}</figcaption></figure>`,
    );
  }
  if (r.plots.length === 0) parts.push('<p class="note">This example names no plots in its verdicts.</p>');
  return parts.join('\n');
}

/** The whole report page. */
export function renderHtml(results: ExampleResult[], meta: ReportMeta): string {
  const t = runTotals(results);
  const totals = `${t.pass} PASS · ${t.fail} FAIL · ${t.info} INFO · ${t.noVerdict} without a verdict — ${t.ok ? 'demo OK' : 'demo FAILED'}`;
  const turbo = meta.turboExit === undefined || meta.turboExit === null ? '' : `, turbo exit code ${meta.turboExit}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(meta.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(meta.title)}</h1>
<div class="meta">${escapeHtml(meta.machine)} · started ${escapeHtml(meta.startedAt)} · finished ${escapeHtml(meta.finishedAt)} · run ${escapeHtml(meta.runId ?? '(any)')}${escapeHtml(turbo)}</div>
<div class="totals" id="totals">${escapeHtml(totals)}</div>
<table id="summary"><colgroup><col class="ex"><col class="st"><col class="mo"><col class="ti"><col class="cl"><col class="me"><col class="cr"></colgroup><thead><tr><th>example</th><th>status</th><th>mode</th><th>time</th><th>claim</th><th>measured</th><th>criterion</th></tr></thead>
<tbody>
${summaryRows(results)}
</tbody></table>
${results.map(exampleSection).join('\n')}
</body></html>
`;
}
