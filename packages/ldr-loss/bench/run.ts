/**
 * ldr-loss benchmark (`pnpm --filter @drojs/ldr-loss bench`): ms per training step of a 784-256-256-10 ReLU
 * MLP (batch 256, Adam) with CE, LDR-KL (noisy-label preset: λ = 10, c = 0.1, softplusMean) and ALDR-KL
 * (λ₀ = 10, α = 2, l1Mean, per-instance state, one [B, K] download per step), plus the loss alone
 * (forward + backward on [256, 10] logits). Target: LDR-KL and ALDR-KL ≤ 10 % per-step overhead over CE.
 *
 * The machine is shared, so configurations are interleaved over ROUNDS rounds; the overhead is the median
 * over rounds of (ms_loss / ms_CE − 1) within a round. Writes reports/bench/latest.json and a dated copy (bench/results/ with --update).
 * Flags: --quick, --rounds=N, --backend=wasm|cpu (default: both).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BackendName, createRng, initBackend } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { AldrKlLoss, crossEntropyLoss, LDR_NOISY_LABEL_PRESET, ldrKlLoss } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
// Tracked bench/results/ only with --update; otherwise the git-ignored reports/bench/ (nothing tracked changes).
const outDir = process.argv.includes('--update') ? join(here, 'results') : join(here, '..', 'reports', 'bench');
const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = args.includes('--quick');
const ROUNDS = Number(flag('rounds') ?? (quick ? 2 : 5));
const STEPS = quick ? 10 : 30;
const BACKENDS = (flag('backend')?.split(',') ?? ['wasm', 'cpu']) as BackendName[];
const B = 256;
const K = 10;
const N = 4096;

tf.env().set('PROD', true);

function uniform(n: number, seed: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => scale * (2 * rng.uniform() - 1));
}

type LossFn = (logits: tf.Tensor2D, y: Int32Array, idx: Int32Array) => tf.Scalar;

function losses(): Record<string, LossFn> {
  const aldr = new AldrKlLoss({ numInstances: N });
  return {
    CE: (l, y) => crossEntropyLoss(l, y) as tf.Scalar,
    'LDR-KL': (l, y) => ldrKlLoss(l, y, LDR_NOISY_LABEL_PRESET) as tf.Scalar,
    'ALDR-KL': (l, y, i) => aldr.call(l, y, i) as tf.Scalar,
  };
}

function mlpBench(fns: Record<string, LossFn>) {
  const layer = (i: number, o: number, seed: number) => [
    tf.variable(tf.tensor2d(uniform(i * o, seed, 1 / Math.sqrt(i)), [i, o])),
    tf.variable(tf.tensor1d(uniform(o, seed + 100, 1 / Math.sqrt(i)))),
  ];
  const vars = [...layer(784, 256, 1), ...layer(256, 256, 2), ...layer(256, K, 3)];
  const x = tf.tensor2d(uniform(B * 784, 4), [B, 784]);
  const rng = createRng(5);
  const y = Int32Array.from({ length: B }, () => rng.int(K));
  const opt = tf.train.adam(1e-3);
  const predict = () =>
    tf.tidy(() => {
      let h = x as tf.Tensor2D;
      for (let l = 0; l < vars.length; l += 2) {
        h = tf.add(tf.matMul(h, vars[l] as tf.Tensor2D), vars[l + 1]!) as tf.Tensor2D;
        if (l + 2 < vars.length) h = tf.relu(h);
      }
      return h;
    });
  const steps: Record<string, () => void> = {};
  for (const [name, fn] of Object.entries(fns)) {
    steps[name] = () => {
      const idx = rng.choice(N, B);
      const c = opt.minimize(() => fn(predict(), y, idx), true, vars as tf.Variable[]);
      c?.dataSync();
      c?.dispose();
    };
  }
  return { steps, dispose: () => tf.dispose([...vars, x]) };
}

function lossOnlyBench(fns: Record<string, LossFn>) {
  const logits = tf.tensor2d(uniform(B * K, 6, 3), [B, K]);
  const rng = createRng(7);
  const y = Int32Array.from({ length: B }, () => rng.int(K));
  const steps: Record<string, () => void> = {};
  for (const [name, fn] of Object.entries(fns)) {
    steps[name] = () => {
      const idx = rng.choice(N, B);
      const g = tf.tidy(() => tf.grad((l: tf.Tensor) => fn(l as tf.Tensor2D, y, idx))(logits));
      g.dataSync();
      g.dispose();
    };
  }
  return { steps, dispose: () => logits.dispose() };
}

function time(step: () => void, n: number): number {
  const t = performance.now();
  for (let i = 0; i < n; i++) step();
  return (performance.now() - t) / n;
}

const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!;

async function main() {
  const rows: Record<string, unknown>[] = [];
  for (const backend of BACKENDS) {
    await initBackend({ backend });
    const workloads = [
      ['MLP train step (784-256-256-10, Adam)', mlpBench, STEPS],
      ['loss only (fwd + bwd, [256, 10])', lossOnlyBench, STEPS * 4],
    ] as const;
    // The MLP step on the plain-JS cpu backend takes ≈ 2 s; it is timed on wasm only.
    for (const [workload, make, steps] of backend === 'cpu' ? workloads.slice(1) : workloads) {
      const bench = make(losses());
      const names = Object.keys(bench.steps);
      for (const n of names) time(bench.steps[n]!, 3);
      const ms: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
      for (let r = 0; r < ROUNDS; r++) for (const n of names) ms[n]!.push(time(bench.steps[n]!, steps));
      for (const n of names) {
        const ratios = ms[n]!.map((v, r) => v / ms.CE![r]! - 1);
        rows.push({
          backend,
          workload,
          loss: n,
          msMedian: median(ms[n]!),
          msBest: Math.min(...ms[n]!),
          overheadVsCeMedian: n === 'CE' ? 0 : median(ratios),
          rounds: ms[n],
        });
      }
      bench.dispose();
    }
  }
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    loadavg: loadavg(),
    batch: B,
    rounds: ROUNDS,
    stepsPerRound: STEPS,
  };
  console.log(
    `ldr-loss bench — ${meta.cpu} ×${meta.cores}, load ${meta.loadavg.map((v) => v.toFixed(1)).join(' ')}, Node ${meta.node}`,
  );
  console.log(
    '| backend | workload | loss | ms/step (median round) | best round | overhead vs CE (median of per-round ratios) |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const o = r.overheadVsCeMedian as number;
    console.log(
      `| ${r.backend} | ${r.workload} | ${r.loss} | ${(r.msMedian as number).toFixed(2)} | ${(r.msBest as number).toFixed(2)} | ${r.loss === 'CE' ? '–' : `${o >= 0 ? '+' : ''}${(100 * o).toFixed(1)} %`} |`,
    );
  }
  const dir = outDir;
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify({ meta, rows }, null, 1);
  writeFileSync(join(dir, 'latest.json'), json);
  writeFileSync(join(dir, `bench-${meta.date.replace(/[:.]/g, '-')}.json`), json);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
