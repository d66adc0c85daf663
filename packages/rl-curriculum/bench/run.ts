/**
 * rl-curriculum benchmark (`pnpm --filter @drojs/rl-curriculum bench`): controller decisions per second.
 * A "step" is one decision call (sample / weights / allocate) for a batch of 64 prompts followed by the
 * matching update with 4–12 rollouts per prompt, on a pool of 2,500 prompts in 8 levels (the simulation's
 * shape). Also the in-process service round trip and the loopback HTTP round trip of one `sample`.
 * Each workload runs ROUNDS rounds (the machine is shared); the table shows the best and median round.
 * Writes reports/bench/latest.json and a dated copy (bench/results/ with --update). Flags: --quick, --rounds=N, --update.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@drojs/dro-core';
import {
  createCurriculumService,
  DumpScheduler,
  type GroupResult,
  PromptGdroSampler,
  RolloutGdroAllocator,
  serveHttp,
} from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
// Tracked bench/results/ only with --update; otherwise the git-ignored reports/bench/ (nothing tracked changes).
const outDir = process.argv.includes('--update') ? join(here, 'results') : join(here, '..', 'reports', 'bench');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const ROUNDS = Number(args.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? (quick ? 2 : 3));
const SECONDS = quick ? 0.5 : 1.5;
const N = 2500;
const B = 64;
const POOL = Array.from({ length: N }, (_, i) => `idx:${i}`);
const level = (i: number) => Math.min(7, Math.floor(i / 320));
const C = { edges: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], historyLen: 50, indicator: 'anyOfN' as const };

function resultsOf(
  uids: readonly string[],
  counts: readonly number[],
  rng: ReturnType<typeof createRng>,
  withSource = false,
): GroupResult[] {
  return uids.map((uid, k) => {
    const p = 1 / (1 + Math.exp(level(Number(uid.slice(4))) - 3));
    const rewards = Array.from({ length: counts[k] as number }, () => (rng.uniform() < p ? 1 : 0));
    return withSource ? { uid, rewards, source: String(level(Number(uid.slice(4)))) } : { uid, rewards };
  });
}

interface Workload {
  name: string;
  /** Runs one unit; returns the number of decisions (prompts decided) it made. */
  make(): () => number;
}

const uniformBatch = (rng: ReturnType<typeof createRng>) => Array.from(rng.choice(N, B), (i) => POOL[i] as string);

const workloads: Workload[] = [
  {
    name: 'Prompt-GDRO resample: sample(64) + update',
    make() {
      const s = new PromptGdroSampler({ mode: 'resample', form: 'code', pool: POOL, classifier: C, seed: 1 });
      const rng = createRng(1);
      return () => {
        const r = s.sample(B);
        s.update(
          resultsOf(
            r.uids,
            r.uids.map(() => 4),
            rng,
          ),
        );
        return B;
      };
    },
  },
  {
    name: 'Prompt-GDRO reweight: weights(64) + update',
    make() {
      const s = new PromptGdroSampler({ mode: 'reweight', form: 'code', classifier: C });
      const rng = createRng(2);
      return () => {
        const uids = uniformBatch(rng);
        s.weights(uids);
        s.update(
          resultsOf(
            uids,
            uids.map(() => 4),
            rng,
          ),
        );
        return B;
      };
    },
  },
  {
    name: 'Rollout-GDRO sqrt: allocate(64, 256) + update',
    make() {
      const a = new RolloutGdroAllocator({ mode: 'sqrt', classifier: C });
      const rng = createRng(3);
      return () => {
        const uids = uniformBatch(rng);
        const r = a.allocate(uids);
        a.update(resultsOf(uids, r.counts, rng));
        return B;
      };
    },
  },
  {
    name: 'Rollout-GDRO exp3p (DP): allocate(64, 256) + update',
    make() {
      const a = new RolloutGdroAllocator({ mode: 'exp3p', classifier: C });
      const rng = createRng(4);
      return () => {
        const uids = uniformBatch(rng);
        const r = a.allocate(uids);
        a.update(resultsOf(uids, r.counts, rng));
        return B;
      };
    },
  },
  {
    name: 'DUMP: sample(64) + update',
    make() {
      const d = new DumpScheduler({
        sources: ['0', '1', '2', '3', '4', '5', '6', '7'],
        pool: POOL.map((uid, i) => ({ uid, source: String(level(i)) })),
        seed: 5,
      });
      const rng = createRng(5);
      return () => {
        const r = d.sample(B);
        d.update(
          resultsOf(
            r.uids,
            r.uids.map(() => 4),
            rng,
            true,
          ),
        );
        return B;
      };
    },
  },
  {
    name: 'service (in-process JSON): sample(64) + update',
    make() {
      const svc = createCurriculumService();
      svc.handle(
        JSON.stringify({
          id: 0,
          method: 'create',
          params: { controller: 'pg', kind: 'promptGdro', config: { mode: 'resample', pool: POOL, classifier: C } },
        }),
      );
      const rng = createRng(6);
      let id = 1;
      return () => {
        const r = JSON.parse(
          svc.handle(JSON.stringify({ id: id++, method: 'sample', params: { controller: 'pg', batchSize: B } })),
        ).result as { uids: string[] };
        svc.handle(
          JSON.stringify({
            id: id++,
            method: 'update',
            params: {
              controller: 'pg',
              results: resultsOf(
                r.uids,
                r.uids.map(() => 4),
                rng,
              ),
            },
          }),
        );
        return B;
      };
    },
  },
];

function measure(run: () => number): { stepsPerSec: number; decisionsPerSec: number } {
  for (let i = 0; i < 3; i++) run(); // warm-up
  let steps = 0;
  let decisions = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    decisions += run();
    steps++;
  }
  const s = (performance.now() - t0) / 1000;
  return { stepsPerSec: steps / s, decisionsPerSec: decisions / s };
}

async function httpRoundTrip(): Promise<number[]> {
  const server = await serveHttp({ host: '127.0.0.1', port: 0 });
  const { Agent, request } = await import('node:http');
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = (body: string) =>
    new Promise<string>((resolve, reject) => {
      const u = new URL('/rpc', server.url);
      // The headers every client must send (the server refuses a body without Content-Type: application/json).
      const headers = { 'content-type': 'application/json' };
      const req = request(
        { hostname: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers },
        (res) => {
          let d = '';
          res.on('data', (c) => {
            d += c;
          });
          res.on('end', () => {
            // An error reply would make the round trip meaningless: fail the bench instead of timing it.
            if (res.statusCode !== 200 || d.includes('"error"')) reject(new Error(`bench request failed: ${d}`));
            else resolve(d);
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  await post(
    JSON.stringify({
      id: 0,
      method: 'create',
      params: { controller: 'pg', kind: 'promptGdro', config: { mode: 'resample', pool: POOL, classifier: C } },
    }),
  );
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < SECONDS * 1000) {
      await post(JSON.stringify({ id: n, method: 'sample', params: { controller: 'pg', batchSize: B } }));
      n++;
    }
    rounds.push(n / ((performance.now() - t0) / 1000));
  }
  agent.destroy();
  await server.close();
  return rounds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const rows: Array<{ name: string; best: number; median: number; bestSteps: number; unit: string }> = [];
  const runs = workloads.map((w) => ({
    w,
    run: w.make(),
    rounds: [] as Array<{ stepsPerSec: number; decisionsPerSec: number }>,
  }));
  for (let r = 0; r < ROUNDS; r++) for (const x of runs) x.rounds.push(measure(x.run)); // interleaved rounds
  for (const x of runs) {
    const d = x.rounds.map((e) => e.decisionsPerSec);
    rows.push({
      name: x.w.name,
      best: Math.max(...d),
      median: median(d),
      bestSteps: Math.max(...x.rounds.map((e) => e.stepsPerSec)),
      unit: 'prompt decisions/s',
    });
  }
  const http = await httpRoundTrip();
  rows.push({
    name: 'loopback HTTP: sample(64) round trip',
    best: Math.max(...http) * B,
    median: median(http) * B,
    bestSteps: Math.max(...http),
    unit: 'prompt decisions/s',
  });

  const env = {
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    load: loadavg().map((x) => x.toFixed(2)),
    date: new Date().toISOString(),
  };
  console.log(`rl-curriculum bench — ${env.node}, ${env.cpus} × ${env.cpu}, load ${env.load.join(' ')}, ${env.date}`);
  console.log(`pool ${N} prompts, batch ${B}, ${ROUNDS} rounds × ${SECONDS} s (best / median round)\n`);
  console.log('| workload | steps/s (best) | prompt decisions/s (best) | prompt decisions/s (median) |');
  console.log('|---|---|---|---|');
  for (const r of rows)
    console.log(`| ${r.name} | ${r.bestSteps.toFixed(0)} | ${r.best.toFixed(0)} | ${r.median.toFixed(0)} |`);
  mkdirSync(outDir, { recursive: true });
  const out = JSON.stringify({ env, quick, rounds: ROUNDS, seconds: SECONDS, rows }, null, 2);
  writeFileSync(join(outDir, 'latest.json'), out);
  writeFileSync(join(outDir, `${env.date.slice(0, 10)}.json`), out);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
