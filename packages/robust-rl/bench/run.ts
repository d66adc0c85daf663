/**
 * robust-rl benchmark (`pnpm --filter @drojs/robust-rl bench`): time per call of the offline fits, the exact
 * robust DP and dro-core's worst-case expectation they rest on. Each workload runs ROUNDS rounds of at least
 * SECONDS each (the machine is shared); the table shows the best and the median round's time per call.
 * Writes reports/bench/latest.json (bench/results/ with --update). Flags: --quick, --rounds=N, --update.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, type NominalSpec, worstCaseExpectation } from '@drojs/dro-core/host';
import {
  fitPevi,
  fitR2pvi,
  paperLinearMdp,
  robustDp,
  sampleTabularDataset,
  sampleTrajectories,
  toTabular,
  trapMdp,
} from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
// Tracked bench/results/ only with --update; otherwise the git-ignored reports/bench/ (nothing tracked changes).
const outDir = process.argv.includes('--update') ? join(here, 'results') : join(here, '..', 'reports', 'bench');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const ROUNDS = Number(args.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? (quick ? 2 : 3));
const SECONDS = quick ? 0.3 : 1;

const trap = trapMdp();
const { P, R } = toTabular(trap);
const small = sampleTabularDataset(P, R, 20, 'bench-20');
const large = sampleTabularDataset(P, R, 1000, 'bench-1000');
const paper = paperLinearMdp(0);
const paperData = sampleTrajectories(paper, 100, 'bench-paper', { terminalStates: [3] });
const rng = createRng('bench-values');
const values = Array.from({ length: 64 }, () => rng.normal());
const rawNominal = Array.from({ length: 64 }, () => rng.uniform());
const sum = rawNominal.reduce((a, b) => a + b, 0);
const nominal = rawNominal.map((x) => x / sum);

const workloads: { name: string; run: () => unknown }[] = [
  ...(['none', 'tv', 'kl', 'chi2'] as const).map((divergence) => ({
    name: `fitR2pvi ${divergence}, trap MDP, 20 per (s, a) (240 transitions/step, d = 12)`,
    run: () => fitR2pvi(small, { divergence, lambda: 0.3, beta: 0.5, theta: trap.theta }),
  })),
  ...(['tv', 'chi2'] as const).map((divergence) => ({
    name: `fitR2pvi ${divergence}, trap MDP, 1000 per (s, a) (12,000 transitions/step)`,
    run: () => fitR2pvi(large, { divergence, lambda: 0.3, beta: 0.5, theta: trap.theta }),
  })),
  { name: 'fitPevi, paper MDP, 100 trajectories (d = 4, 16 actions)', run: () => fitPevi(paperData, { ridge: 0.1 }) },
  {
    name: 'fitR2pvi tv, paper MDP, 100 trajectories',
    run: () => fitR2pvi(paperData, { divergence: 'tv', lambda: 0.1, ridge: 0.1, theta: paper.theta }),
  },
  { name: 'robustDp chi2, trap MDP', run: () => robustDp(trap, { divergence: 'chi2', lambda: 0.3 }) },
  ...(
    [
      { kind: 'kl', lambda: 0.3 },
      { kind: 'kl-constrained', rho: 0.3 },
      { kind: 'chi2', lambda: 0.3 },
      { kind: 'chi2-constrained', rho: 0.3 },
      { kind: 'tv', eps: 0.2 },
      { kind: 'tv-penalized', lambda: 0.3 },
    ] as NominalSpec[]
  ).map((spec) => ({
    name: `worstCaseExpectation ${spec.kind}, K = 64`,
    run: () => worstCaseExpectation(values, nominal, spec),
  })),
];

function round(run: () => unknown): number {
  let calls = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < SECONDS * 1000) {
    run();
    calls++;
    t = performance.now();
  }
  return (t - t0) / calls;
}

const results = workloads.map((w) => {
  w.run(); // warm-up
  const times = Array.from({ length: ROUNDS }, () => round(w.run)).sort((a, b) => a - b);
  return { name: w.name, bestMs: times[0]!, medianMs: times[Math.floor(times.length / 2)]! };
});
const fmt = (ms: number) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`);
console.log(
  `robust-rl bench (${ROUNDS} rounds × ≥ ${SECONDS} s; ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)})`,
);
for (const r of results)
  console.log(`${r.name.padEnd(80)} best ${fmt(r.bestMs).padStart(10)}  median ${fmt(r.medianMs).padStart(10)}`);
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'latest.json'),
  JSON.stringify(
    { date: new Date().toISOString(), node: process.version, cpus: cpus().length, quick, results },
    null,
    1,
  ),
);
