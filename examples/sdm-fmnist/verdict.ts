// The round-3 verdict format (issue 13): one `VERDICT {json}` line per claim on stdout and the same records
// in out/verdicts.json (the shape of @drojs/example-kit's file, so the demo report can collect them).
// Written by hand until the example kit is on main; the keys and their order are the agreed ones.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type VerdictStatus = 'PASS' | 'FAIL' | 'INFO';
export type RunMode = 'quick' | 'full';

/** One claim: what should happen, what this run measured, the test applied and its outcome. */
export interface Verdict {
  claim: string;
  measured: number | string;
  criterion: string;
  status: VerdictStatus;
  /** SVG files, relative to the example directory. */
  plots?: string[];
  /** Why the status is what it is (INFO: why this run cannot judge); file only. */
  note?: string;
  /** The command that runs the full protocol; file only. */
  fullCommand?: string;
}

const EXAMPLE = 'sdm-fmnist';
const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
const startedAt = new Date().toISOString();
const t0 = Date.now();
const records: object[] = [];

/** Number of FAIL verdicts printed by this process. */
export const failures = (): number => records.filter((r) => (r as { status: string }).status === 'FAIL').length;

/** Seconds since this module was loaded, to 0.1 s. */
export const elapsedSeconds = (): number => Math.round((Date.now() - t0) / 100) / 10;

/** Prints the VERDICT line and rewrites out/verdicts.json with every verdict of this process. */
export function verdict(v: Verdict, mode: RunMode): void {
  const line = {
    example: EXAMPLE,
    claim: v.claim,
    measured: typeof v.measured === 'number' && !Number.isFinite(v.measured) ? String(v.measured) : v.measured,
    criterion: v.criterion,
    status: v.status,
    mode,
    seconds: elapsedSeconds(),
    plots: v.plots ?? [],
  };
  console.log(`VERDICT ${JSON.stringify(line)}`);
  records.push({
    ...line,
    ...(v.note ? { note: v.note } : {}),
    ...(v.fullCommand ? { fullCommand: v.fullCommand } : {}),
  });
  mkdirSync(OUT, { recursive: true });
  writeFileSync(
    join(OUT, 'verdicts.json'),
    `${JSON.stringify(
      {
        example: EXAMPLE,
        mode,
        runId: process.env.DROJS_DEMO_RUN_ID ?? null,
        startedAt,
        writtenAt: new Date().toISOString(),
        verdicts: records,
      },
      null,
      1,
    )}\n`,
  );
}
