// `pnpm demo:report`: rebuilds the summary table and reports/demo/index.html from the verdict files on disk,
// without running anything. `--run-id=ID` keeps one demo run's files; `--since=ISO` those written after a time;
// with neither, every file is used (whatever run left it). Exits non-zero on a FAIL or a missing verdict.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeReport } from '../report/writeReport.js';

const rootDir = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', '..');
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const runId = arg('run-id');
const sinceText = arg('since');
const since = sinceText === undefined ? undefined : Date.parse(sinceText);
if (since !== undefined && Number.isNaN(since)) {
  console.error(`--since=${sinceText} is not a date`);
  process.exit(2);
}
const { ok } = writeReport({ rootDir, runId, since, startedAt: sinceText ?? '(from files on disk)' });
process.exitCode = ok ? 0 : 1;
