// `pnpm demo`: every example's quick mode one after another through turbo, then one summary table and one HTML
// report of this run only. Each run gets an id (DROJS_DEMO_RUN_ID, passed through turbo) that the examples write
// into their verdicts.json, so files left by earlier runs show as "no verdict". `--output-logs=new-only` keeps
// turbo from replaying the logs of cached `^build` tasks. Exits non-zero on any FAIL, a missing verdict or a
// failed task. Extra arguments go to turbo (e.g. `pnpm demo --filter=ldr-noisy-labels`).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeReport } from '../report/writeReport.js';

const rootDir = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', '..');
const startedAt = new Date().toISOString();
const runId = `${startedAt.replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
const extra = process.argv.slice(2);
const args = ['run', 'demo', '--concurrency=1', '--continue', '--output-logs=new-only', '--ui=stream', ...extra];
console.log(`demo run ${runId}: turbo ${args.join(' ')}`);
const turbo = spawnSync('turbo', args, {
  cwd: rootDir,
  stdio: 'inherit',
  env: { ...process.env, DROJS_DEMO_RUN_ID: runId },
});
if (turbo.error) console.error(`could not start turbo: ${turbo.error.message}`);
// With --filter only the chosen examples ran: the report keeps those that left a verdict file of this run (one
// that crashed makes turbo fail, which fails the demo); without a filter every example must have answered.
const filtered = extra.some((a) => a.startsWith('--filter') || a.startsWith('-F'));
const ranNow = (example: string) =>
  existsSync(join(rootDir, 'examples', example, 'out', 'verdicts.json')) &&
  readFileSync(join(rootDir, 'examples', example, 'out', 'verdicts.json'), 'utf8').includes(`"runId": "${runId}"`);
const { ok } = writeReport({
  rootDir,
  runId,
  startedAt,
  turboExit: turbo.status ?? 1,
  only: filtered ? ranNow : undefined,
});
process.exitCode = ok ? 0 : 1;
