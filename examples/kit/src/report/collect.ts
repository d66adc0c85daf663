// Gathers what one `pnpm demo` run left in examples/*/out/verdicts.json. A file counts only when it carries this
// run's id (or, for a report built by hand, was written after `since`): a stale file from an earlier run must
// show as "no verdict", never as a pass.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VerdictFile, VerdictRecord } from '../verdict.js';

/** One example's outcome in a demo run. */
export interface ExampleResult {
  example: string;
  /** `ok`: verdicts from this run; `missing`: no verdicts.json; `stale`: one from another run; `invalid`: unreadable. */
  state: 'ok' | 'missing' | 'stale' | 'invalid';
  /** Why the state is not `ok` (e.g. the stale file's run id). */
  detail?: string;
  verdicts: VerdictRecord[];
  /** Process start of the example run (from the file). */
  startedAt?: string;
  /** Plots named by the verdicts, with their SVG text when the file exists. */
  plots: { path: string; svg: string | null }[];
}

/** Which files belong to the run being reported. */
export interface CollectOptions {
  /** Accept only files with this `runId` (what `pnpm demo` sets through DROJS_DEMO_RUN_ID). */
  runId?: string;
  /** Otherwise accept files whose process started at or after this time (ms since epoch); default: any. */
  since?: number;
}

/** The examples that `pnpm demo` runs: directories under `examplesDir` whose package.json has a `demo` script. */
export function demoExamples(examplesDir: string): string[] {
  const names: string[] = [];
  for (const name of readdirSync(examplesDir).sort()) {
    const pkg = join(examplesDir, name, 'package.json');
    if (!existsSync(pkg)) continue;
    const json = JSON.parse(readFileSync(pkg, 'utf8')) as { scripts?: Record<string, string> };
    if (json.scripts?.demo) names.push(name);
  }
  return names;
}

function isVerdictFile(x: unknown): x is VerdictFile {
  const f = x as VerdictFile;
  return typeof f === 'object' && f !== null && Array.isArray(f.verdicts) && typeof f.startedAt === 'string';
}

/** Reads one example's verdicts and plots, judged against `opts`. */
export function collectExample(examplesDir: string, example: string, opts: CollectOptions = {}): ExampleResult {
  const dir = join(examplesDir, example);
  const file = join(dir, 'out', 'verdicts.json');
  const base: ExampleResult = { example, state: 'missing', verdicts: [], plots: [] };
  if (!existsSync(file)) return { ...base, detail: 'no out/verdicts.json' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { ...base, state: 'invalid', detail: `unreadable verdicts.json: ${(e as Error).message}` };
  }
  if (!isVerdictFile(parsed)) return { ...base, state: 'invalid', detail: 'verdicts.json has no verdicts array' };
  if (opts.runId !== undefined && parsed.runId !== opts.runId) {
    return {
      ...base,
      state: 'stale',
      detail: `verdicts.json is from run ${parsed.runId ?? '(none)'} (${parsed.startedAt})`,
    };
  }
  if (opts.runId === undefined && opts.since !== undefined && Date.parse(parsed.startedAt) < opts.since) {
    return { ...base, state: 'stale', detail: `verdicts.json is from ${parsed.startedAt}` };
  }
  const paths = [...new Set(parsed.verdicts.flatMap((v) => v.plots ?? []))];
  const plots = paths.map((p) => {
    const abs = join(dir, p);
    return { path: p, svg: existsSync(abs) ? readFileSync(abs, 'utf8') : null };
  });
  return { example, state: 'ok', verdicts: parsed.verdicts, startedAt: parsed.startedAt, plots };
}

/** Every demo example's result. */
export function collectRun(examplesDir: string, opts: CollectOptions = {}): ExampleResult[] {
  return demoExamples(examplesDir).map((e) => collectExample(examplesDir, e, opts));
}

/** Counts over a run; `ok` is false when any verdict failed or any example left no verdict of this run. */
export function runTotals(results: ExampleResult[]): {
  pass: number;
  fail: number;
  info: number;
  noVerdict: number;
  ok: boolean;
} {
  let pass = 0;
  let fail = 0;
  let info = 0;
  let noVerdict = 0;
  for (const r of results) {
    if (r.state !== 'ok' || r.verdicts.length === 0) noVerdict++;
    for (const v of r.verdicts) {
      if (v.status === 'PASS') pass++;
      else if (v.status === 'FAIL') fail++;
      else info++;
    }
  }
  return { pass, fail, info, noVerdict, ok: fail === 0 && noVerdict === 0 };
}
