// The one verdict format every example ends with (round-3 interface, issue 13 item 4): a `VERDICT {json}` line on
// stdout per claim, and the same records in `out/verdicts.json` so `pnpm demo` can build its summary without
// parsing logs. The JSON line carries exactly the agreed keys; extra context (why a verdict is INFO, the command
// that runs the full protocol) goes to the file only, so log parsers see one fixed shape.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** PASS and FAIL judge a claim against its criterion; INFO reports a number that this run cannot judge. */
export type VerdictStatus = 'PASS' | 'FAIL' | 'INFO';

/** `quick` is what `pnpm demo` runs (`--quick`); `full` is the reproduction protocol. */
export type RunMode = 'quick' | 'full';

/** What an example says about one claim. */
export interface VerdictInput {
  /** The claim in the paper's words (what should happen). */
  claim: string;
  /** What this run measured: a number, or a short string when the measurement has several parts. */
  measured: number | string;
  /** The test applied to `measured` (e.g. "LDR accuracy − CE accuracy > 0"). */
  criterion: string;
  /** PASS/FAIL, or INFO with `note` saying why this run cannot judge. A boolean maps to PASS/FAIL. */
  status: VerdictStatus | boolean;
  /** SVG files this claim is shown in, relative to the example directory (e.g. `out/loss.svg`). */
  plots?: string[];
  /** Why the status is what it is (required in spirit for INFO: "quick mode is too short to …"). */
  note?: string;
  /** The command that runs the full protocol for this claim (e.g. `pnpm --filter ldr-noisy-labels full`). */
  fullCommand?: string;
}

/** The record printed after `VERDICT ` (exact key order of the interface). */
export interface VerdictLine {
  example: string;
  claim: string;
  measured: number | string;
  criterion: string;
  status: VerdictStatus;
  mode: RunMode;
  seconds: number;
  plots: string[];
}

/** One entry of `out/verdicts.json`: the line plus the context that stays out of the line. */
export interface VerdictRecord extends VerdictLine {
  note?: string;
  fullCommand?: string;
}

/** The whole `out/verdicts.json` file. */
export interface VerdictFile {
  example: string;
  mode: RunMode;
  /** `DROJS_DEMO_RUN_ID` of the `pnpm demo` run that started this process, or null when run alone. */
  runId: string | null;
  /** When this process started (ISO), so a report can drop files left by earlier runs. */
  startedAt: string;
  /** When the file was last written (ISO). */
  writtenAt: string;
  verdicts: VerdictRecord[];
}

const startedAt = new Date(Date.now() - performance.now()).toISOString();
const recorded: VerdictRecord[] = [];

/** The mode of this process: `quick` when `--quick` is among the arguments. */
export function runMode(argv: readonly string[] = process.argv): RunMode {
  return argv.includes('--quick') ? 'quick' : 'full';
}

/** The example's name: the directory it runs in (pnpm runs an example's scripts in its own directory). */
export function exampleName(cwd: string = process.cwd()): string {
  return basename(cwd);
}

/** Seconds since this process started, to 0.1 s. */
export function elapsedSeconds(): number {
  return Math.round(performance.now() / 100) / 10;
}

/** Maps a boolean test result to PASS/FAIL, `null` to INFO. */
export function statusOf(pass: boolean | null): VerdictStatus {
  return pass === null ? 'INFO' : pass ? 'PASS' : 'FAIL';
}

/** Where verdicts and plots go: `<cwd>/out`. */
export function outDir(cwd: string = process.cwd()): string {
  return join(cwd, 'out');
}

/** Turns a verdict into its line, validating what a reader of the report relies on. */
export function toVerdictLine(input: VerdictInput, mode: RunMode, example: string, seconds: number): VerdictLine {
  if (typeof input.claim !== 'string' || input.claim.length === 0) throw new Error('verdict: claim must be text');
  if (typeof input.criterion !== 'string' || input.criterion.length === 0) {
    throw new Error('verdict: criterion must be text');
  }
  const measured = input.measured;
  if (typeof measured === 'number' ? Number.isNaN(measured) : typeof measured !== 'string') {
    throw new Error(`verdict: measured must be a number or a string, got ${String(measured)}`);
  }
  const status = typeof input.status === 'boolean' ? statusOf(input.status) : input.status;
  if (status !== 'PASS' && status !== 'FAIL' && status !== 'INFO') throw new Error(`verdict: bad status ${status}`);
  const plots = [...(input.plots ?? [])];
  for (const p of plots) if (p.startsWith('/')) throw new Error(`verdict: plot ${p} must be relative to the example`);
  // JSON has no Infinity: a non-finite number is reported as text so the line stays parseable.
  const safeMeasured = typeof measured === 'number' && !Number.isFinite(measured) ? String(measured) : measured;
  return {
    example,
    claim: input.claim,
    measured: safeMeasured,
    criterion: input.criterion,
    status,
    mode,
    seconds,
    plots,
  };
}

/**
 * Prints `VERDICT {json}` for one claim and rewrites `out/verdicts.json` with every verdict of this process.
 * Returns the printed record. Mode comes from `--quick`, the example name from the working directory.
 */
export function verdict(input: VerdictInput): VerdictLine {
  const mode = runMode();
  const example = exampleName();
  const line = toVerdictLine(input, mode, example, elapsedSeconds());
  console.log(`VERDICT ${JSON.stringify(line)}`);
  const rec: VerdictRecord = { ...line };
  if (input.note !== undefined) rec.note = input.note;
  if (input.fullCommand !== undefined) rec.fullCommand = input.fullCommand;
  recorded.push(rec);
  writeVerdictFile(outDir(), {
    example,
    mode,
    runId: process.env.DROJS_DEMO_RUN_ID ?? null,
    startedAt,
    writtenAt: new Date().toISOString(),
    verdicts: recorded,
  });
  return line;
}

/** Writes `dir/verdicts.json` (creates `dir`). */
export function writeVerdictFile(dir: string, file: VerdictFile): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'verdicts.json'), `${JSON.stringify(file, null, 1)}\n`);
}

/** The verdicts recorded so far in this process. */
export function recordedVerdicts(): readonly VerdictRecord[] {
  return recorded;
}

/** Sets `process.exitCode = 1` when any verdict of this process failed; call once at the end of `index.ts`. */
export function exitOnFail(): void {
  if (recorded.some((v) => v.status === 'FAIL')) process.exitCode = 1;
}
