/**
 * `pnpm bench`: the default engine (tfjs wasm + dro-core's fixes, `initBackend({ native: false })`), @drojs/native
 * (`initBackend({ native: true })`) and PyTorch on one thread, on the same workloads, in one run. Each round runs
 * every engine in a fresh child process (kernel registrations are process-global), in a rotating order so load
 * drift hits them alike; figures are process-CPU-time medians over rounds. The PyTorch process's own memory map
 * says which BLAS it loaded; against anything but an optimised BLAS no ratio is printed.
 *
 * Writes reports/bench/latest.json (+ a dated copy and latest.md; git-ignored). With --update: bench/results/
 * latest.json and latest.md (tracked) and the root README's Performance block.
 * Flags: --quick (small sizes, 2 rounds: a smoke run), --rounds=N, --update.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BlasReport, classifyTorchConfig, parseBlasFromMaps } from './blas.js';
import { renderConsole, renderReadmeBlock, replaceReadmeBlock } from './report.js';
import {
  type BenchResult,
  CHILD_PREFIX,
  type ChildReport,
  checkBenchResult,
  type EngineId,
  type EngineStatus,
  type Sample,
  SCHEMA,
  type WorkloadResult,
} from './schema.js';
import { sizesFor, summarise, timeRatio, WORKLOADS } from './workloadList.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const update = args.includes('--update');
const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? (quick ? 2 : 5));
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
const sizes = sizesFor(quick);
const PYTHON = '/usr/bin/python3';
// One thread everywhere: the comparison is against PyTorch on one thread.
const oneThread = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1]) return m[1].trim();
  } catch {
    // not Linux: os.cpus() below
  }
  return cpus()[0]?.model ?? 'unknown CPU';
}

function runChild(engine: 'wasm' | 'native'): ChildReport | { error: string } {
  const script = join(here, 'child.ts');
  try {
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, script, `--engine=${engine}`, ...(quick ? ['--quick'] : [])],
      { encoding: 'utf8', env: oneThread, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 },
    );
    const line = out.split('\n').find((l) => l.startsWith(CHILD_PREFIX));
    if (!line) return { error: `no result line from the ${engine} child` };
    return JSON.parse(line.slice(CHILD_PREFIX.length)) as ChildReport;
  } catch (e) {
    const err = e as { stderr?: string; message?: string };
    const last = (err.stderr ?? err.message ?? String(e)).trim().split('\n').slice(-3).join(' / ');
    return { error: `${engine} child failed: ${last}` };
  }
}

interface TorchOut {
  torch: string;
  threads: number;
  maps: string[];
  config: string;
  results: Record<string, Sample>;
}

function torchMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', env: oneThread });
  if (r.error) return `no ${PYTHON} (${r.error.message})`;
  if (r.status !== 0) return `import torch failed in ${PYTHON}: ${(r.stderr || '').trim().split('\n').pop()}`;
  return null;
}

function runTorch(): TorchOut | { error: string } {
  try {
    const out = execFileSync(PYTHON, [join(here, '..', 'torch', 'peer.py'), JSON.stringify(sizes)], {
      encoding: 'utf8',
      env: oneThread,
      maxBuffer: 64 << 20,
    });
    return JSON.parse(out.trim().split('\n').pop()!) as TorchOut;
  } catch (e) {
    return { error: `PyTorch peer failed: ${(e as Error).message.split('\n')[0]}` };
  }
}

const started = new Date();
const load0 = loadavg();
const cores = cpus().length;
const missing = torchMissing();
const perRound: Partial<Record<EngineId, Record<string, Sample>>>[] = [];
const status: Partial<Record<EngineId, EngineStatus>> = {};
const failures: string[] = [];
let torchInfo: { version: string; threads: number; blas: BlasReport } | null = null;
let nativeOff = false;
console.log(
  `pnpm bench: ${quick ? 'quick' : 'full'} mode, ${rounds} round(s), CPU ${cpuModel()}, load ${load0.map((l) => l.toFixed(2)).join(' ')}`,
);

for (let r = 0; r < rounds; r++) {
  const order: EngineId[] = ['wasm', 'native', 'torch'];
  for (let k = 0; k < r % order.length; k++) order.push(order.shift()!);
  const round: (typeof perRound)[number] = {};
  for (const e of order) {
    if (e === 'torch') {
      if (missing) continue;
      const t = runTorch();
      if ('error' in t) {
        failures.push(`round ${r + 1}: ${t.error}`);
        continue;
      }
      const blas = classifyTorchConfig(parseBlasFromMaps(t.maps.join('\n')), t.config);
      torchInfo = { version: t.torch, threads: t.threads, blas };
      round.torch = t.results;
      continue;
    }
    if (e === 'native' && nativeOff) continue;
    const c = runChild(e);
    if ('error' in c) {
      failures.push(`round ${r + 1}: ${c.error}`);
      continue;
    }
    status[e] ??= c.status;
    if (!c.status.available) {
      // A missing native engine stays missing: say so once (the one line the issue asks for), skip it after.
      if (e === 'native') {
        nativeOff = true;
        console.log(`native: not available (${c.status.reason}); measuring the default engine and PyTorch only`);
      }
      continue;
    }
    const ok: Record<string, Sample> = {};
    for (const [id, v] of Object.entries(c.results)) {
      if ('error' in v) failures.push(`round ${r + 1}: ${e} ${id}: ${v.error}`);
      else ok[id] = v;
    }
    round[e] = ok;
  }
  perRound.push(round);
  const show = (e: EngineId) =>
    round[e]
      ? Object.values(round[e]!)
          .map((s) => (s.cpu >= 100 ? s.cpu.toFixed(0) : s.cpu.toFixed(1)))
          .join('/')
      : '–';
  console.log(`round ${r + 1}/${rounds}: wasm ${show('wasm')}; native ${show('native')}; torch ${show('torch')}`);
}

const blas = torchInfo?.blas ?? null;
const ratiosClaimed = blas?.optimised === true;
const workloads: WorkloadResult[] = WORKLOADS.map((w) => {
  const results: WorkloadResult['results'] = {};
  for (const e of w.engines) {
    const samples = perRound.map((rd) => rd[e]?.[w.id]).filter((s): s is Sample => s !== undefined);
    if (samples.length > 0) results[e] = summarise(samples);
  }
  const ratioToTorch: WorkloadResult['ratioToTorch'] = {};
  for (const e of ['wasm', 'native'] as const) {
    if (!w.engines.includes(e) || !w.engines.includes('torch')) continue;
    const a = results[e];
    const t = results.torch;
    ratioToTorch[e] = ratiosClaimed && a && t ? timeRatio(w.unit, a.median, t.median) : null;
  }
  return { ...w, results, ratioToTorch };
});

const engines: Record<EngineId, EngineStatus> = {
  wasm: status.wasm ?? { available: false, reason: 'the wasm child did not report' },
  native: status.native ?? { available: false, reason: 'the native child did not report' },
  torch: missing
    ? { available: false, reason: missing }
    : torchInfo
      ? { available: true, reason: `PyTorch ${torchInfo.version}, ${torchInfo.threads} thread(s)` }
      : { available: false, reason: 'every PyTorch run failed' },
};
const load1 = loadavg();
const result: BenchResult = {
  schema: SCHEMA,
  date: started.toISOString(),
  mode: quick ? 'quick' : 'full',
  rounds,
  machine: {
    cpu: cpuModel(),
    cores,
    node: process.version,
    loadavgStart: load0,
    loadavgEnd: load1,
    loaded: Math.max(load0[0]!, load1[0]!) > cores / 2,
  },
  engines,
  torch: { version: torchInfo?.version ?? null, threads: torchInfo?.threads ?? null, blas },
  ratiosClaimed,
  workloads,
};

console.log('');
console.log(renderConsole(result));
for (const f of failures) console.log(`failure: ${f}`);
const problems = checkBenchResult(result);
if (problems.length > 0) {
  console.log(`result does not match its schema: ${problems.join('; ')}`);
  process.exitCode = 1;
}

const json = `${JSON.stringify(result, null, 2)}\n`;
const md = `${renderConsole(result)}\n`;
if (update) {
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), json);
  writeFileSync(join(dir, 'latest.md'), md);
  const readmePath = join(root, 'README.md');
  const next = replaceReadmeBlock(readFileSync(readmePath, 'utf8'), renderReadmeBlock(result));
  if (next === null) console.log('README.md has no bench:performance markers; its block was not written');
  else writeFileSync(readmePath, next);
  console.log(`\nwrote ${relative(root, dir)}/latest.{json,md} and the README Performance block (--update)`);
} else {
  const dir = join(root, 'reports', 'bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), json);
  writeFileSync(join(dir, 'latest.md'), md);
  writeFileSync(join(dir, `bench-${started.toISOString().replace(/[:.]/g, '-')}.json`), json);
  console.log(`\nwrote ${relative(root, dir)}/latest.{json,md} (git-ignored; --update writes the tracked copy)`);
}
