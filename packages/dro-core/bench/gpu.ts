/**
 * GPU benchmark (`pnpm bench:gpu` at the root): WebGPU (Dawn, the `webgpu` package) against cpu and wasm in one
 * run, on the workloads of performance.md, through the GPU-safe (asynchronous) training path:
 *  - MLP 784-256-256-10 SGD step, batch 256 and 1024: plain softmax cross-entropy, and the robust objective
 *    (CVaR α = 0.1) through `robustStep` — per-sample losses, an awaited read, host weights, a taped pass;
 *  - forward samples/s (batch 1024, one awaited argmax read per batch);
 *  - certification-style sampling samples/s: the loop of smoothing's `countVotes` (host Gaussian noise σ = 0.25
 *    from dro-core's Rng, forward, argmax counts reduced on the device, one awaited read per batch of 1000).
 *
 * It prints the adapter first and refuses to report numbers on a software adapter (lavapipe/llvmpipe,
 * SwiftShader, a fallback adapter) unless `--allow-software` is given; such numbers are labelled as CPU
 * emulation. Backends run interleaved, round by round; the table shows each workload's best round (median in
 * brackets). Results go to reports/bench-gpu/ at the repository root (latest.json, a dated copy, latest.md).
 *
 * Flags: --allow-software, --quick (fewer steps, one round), --rounds=N, --backends=LIST (default webgpu,wasm;
 * add cpu with --backends=webgpu,wasm,cpu — tfjs's pure-JS cpu backend takes seconds per MLP step), --out=DIR.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, createRng, initBackend, type RobustSpec, robustStep } from '../src/index.js';
import { registerWebGpu } from '../src/webgpu/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const args = process.argv.slice(2).filter((a) => a !== '--');
const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const known = ['--allow-software', '--quick', '--rounds=', '--backends=', '--out='];
const unknown = args.filter((a) => !known.some((k) => (k.endsWith('=') ? a.startsWith(k) : a === k)));
if (unknown.length > 0) {
  console.error(`bench:gpu: unknown argument(s) ${unknown.join(' ')}; accepted: ${known.join(' ')}`);
  process.exit(2);
}
const quick = args.includes('--quick');
const allowSoftware = args.includes('--allow-software');
const rounds = Number(value('rounds') ?? (quick ? 1 : 3));
const backends = (value('backends') ?? 'webgpu,wasm').split(',') as BackendName[];
const WARMUP = quick ? 1 : 3;
const STEPS = quick ? 3 : 10;
const ROBUST: RobustSpec = { kind: 'cvar', alpha: 0.1 };
const SIGMA = 0.25;

tf.env().set('PROD', true); // no NaN checks or debug bookkeeping in timings

function uniform(n: number, seed: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => scale * (2 * rng.uniform() - 1));
}

/** The MLP on the backend in force; the same floats on every backend (seeded). */
function makeMlp(batch: number) {
  const layer = (i: number, o: number, seed: number) => ({
    w: tf.variable(tf.tensor2d(uniform(i * o, seed, Math.sqrt(6 / i)), [i, o])),
    b: tf.variable(tf.zeros([o])),
  });
  const layers = [layer(784, 256, 1), layer(256, 256, 2), layer(256, 10, 3)];
  const x = tf.tensor2d(
    uniform(batch * 784, 4).map((v) => 0.5 + 0.5 * v),
    [batch, 784],
  );
  const labels = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => (i * 7) % 10),
    'int32',
  );
  const y = tf.oneHot(labels, 10);
  const logits = (input: tf.Tensor2D) => {
    let h: tf.Tensor2D = input;
    for (const [i, l] of layers.entries()) {
      h = tf.add(tf.matMul(h, l.w), l.b);
      if (i < layers.length - 1) h = tf.relu(h);
    }
    return h;
  };
  const perSample = () => tf.sub(tf.logSumExp(logits(x), 1), tf.sum(tf.mul(y, logits(x)), 1)) as tf.Tensor1D;
  const dispose = () => tf.dispose([x, labels, y, ...layers.flatMap((l) => [l.w, l.b])]);
  return { logits, perSample, dispose };
}

/** Runs `step` WARMUP + STEPS times (each ends with an awaited read); returns ms per timed step. */
async function time(step: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await step();
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) await step();
  return (performance.now() - t0) / STEPS;
}

async function mlpStep(batch: number, robust: boolean): Promise<{ ms: number; first: number }> {
  const m = makeMlp(batch);
  const opt = tf.train.sgd(0.01);
  let first = Number.NaN;
  const step = async () => {
    if (robust) {
      const r = await robustStep(opt, m.perSample, ROBUST);
      if (Number.isNaN(first)) first = r.value;
      return;
    }
    const cost = opt.minimize(() => tf.mean(m.perSample()) as tf.Scalar, true) as tf.Scalar;
    const v = (await cost.data())[0]!;
    cost.dispose();
    if (Number.isNaN(first)) first = v;
  };
  const ms = await time(step);
  m.dispose();
  opt.dispose();
  return { ms, first };
}

async function forward(batch: number): Promise<number> {
  const m = makeMlp(batch);
  const x = tf.tensor2d(uniform(batch * 784, 9), [batch, 784]);
  const ms = await time(async () => {
    const top = tf.tidy(() => tf.argMax(m.logits(x), 1));
    await top.data();
    top.dispose();
  });
  tf.dispose(x);
  m.dispose();
  return (batch * 1000) / ms;
}

async function certification(batch: number): Promise<number> {
  const m = makeMlp(1);
  const base = tf.tensor1d(uniform(784, 10).map((v) => 0.5 + 0.5 * v));
  const rng = createRng(12);
  const buf = new Float32Array(batch * 784);
  const ms = await time(async () => {
    rng.fillNormal(buf, SIGMA);
    const counts = tf.tidy(() => {
      const xb = tf.add(tf.expandDims(base, 0), tf.tensor2d(buf, [batch, 784])) as tf.Tensor2D;
      return tf.sum(tf.oneHot(tf.argMax(m.logits(xb), 1), 10, 1, 0, 'int32'), 0);
    });
    await counts.data();
    counts.dispose();
  });
  tf.dispose(base);
  m.dispose();
  return (batch * 1000) / ms;
}

const WORKLOADS: {
  name: string;
  unit: 'ms' | 'samples/s';
  run: () => Promise<number | { ms: number; first: number }>;
}[] = [
  { name: 'MLP step b256 (mean loss)', unit: 'ms', run: () => mlpStep(256, false) },
  { name: 'MLP step b256 (robustStep, cvar)', unit: 'ms', run: () => mlpStep(256, true) },
  { name: 'MLP step b1024 (mean loss)', unit: 'ms', run: () => mlpStep(1024, false) },
  { name: 'MLP step b1024 (robustStep, cvar)', unit: 'ms', run: () => mlpStep(1024, true) },
  { name: 'forward b1024', unit: 'samples/s', run: () => forward(1024) },
  { name: 'certification sampling b1000', unit: 'samples/s', run: () => certification(1000) },
];

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|software|microsoft basic render/i;

const engines = new Map<string, string>();

async function select(name: BackendName): Promise<void> {
  if (name === 'webgpu') {
    await registerWebGpu();
    return;
  }
  const info = await initBackend({ backend: name });
  // Name what actually ran on wasm (dro-core's fixes; native kernels where initBackend reports them).
  const native = (info as { native?: { loaded?: boolean } }).native;
  const extra = [...(info.fixesApplied.length > 1 ? ['dro-core fixes'] : []), ...(native?.loaded ? ['native'] : [])];
  engines.set(name, extra.length > 0 ? `${name} (${extra.join(', ')})` : name);
}

async function main(): Promise<void> {
  const started = new Date();
  const load0 = loadavg();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}`;
  console.log(`bench:gpu — ${started.toISOString()} — ${machine}, load ${load0.map((l) => l.toFixed(2)).join(' ')}`);
  let adapter: string | null = null;
  let software = false;
  if (backends.includes('webgpu')) {
    try {
      const info = await registerWebGpu();
      adapter = info.adapter;
      software = info.isFallbackAdapter || SOFTWARE.test(info.adapter);
    } catch (e) {
      console.error(`bench:gpu: WebGPU could not be initialised: ${e instanceof Error ? e.message : String(e)}`);
      console.error('  On NVIDIA in a container: libvulkan1 installed and NVIDIA_DRIVER_CAPABILITIES including');
      console.error(
        "  'graphics' (the Vulkan ICD nvidia_icd.json + libGLX_nvidia.so.0); see dro-core's README, WebGPU.",
      );
      process.exit(1);
    }
    console.log(`webgpu adapter: ${adapter}${software ? ' (SOFTWARE: CPU emulation, not a GPU measurement)' : ''}`);
    if (software && !allowSoftware) {
      console.error(
        'bench:gpu: refusing to report numbers on a software adapter; pass --allow-software to run anyway.',
      );
      process.exit(2);
    }
  }
  const samples = new Map<string, number[]>();
  const firsts = new Map<string, number>();
  for (let r = 0; r < rounds; r++) {
    for (const b of backends) {
      await select(b);
      for (const w of WORKLOADS) {
        const out = await w.run();
        const v = typeof out === 'number' ? out : out.ms;
        if (typeof out !== 'number' && r === 0) firsts.set(`${b}|${w.name}`, out.first);
        const key = `${b}|${w.name}`;
        samples.set(key, [...(samples.get(key) ?? []), v]);
        console.log(`  round ${r + 1} ${b.padEnd(6)} ${w.name}: ${v.toFixed(w.unit === 'ms' ? 2 : 0)} ${w.unit}`);
      }
    }
  }
  const best = (k: string, unit: string) => {
    const s = [...(samples.get(k) ?? [])].sort((a, c) => a - c);
    return { best: unit === 'ms' ? s[0]! : s[s.length - 1]!, median: s[Math.floor(s.length / 2)]! };
  };
  const fmt = (v: number, unit: string) => (unit === 'ms' ? v.toFixed(2) : Math.round(v).toLocaleString('en-US'));
  const header = `| workload | unit | ${backends.map((b) => engines.get(b) ?? b).join(' | ')} |`;
  const lines = [header, `|---|---|${backends.map(() => '---').join('|')}|`];
  const results: Record<string, Record<string, { best: number; median: number; firstLoss?: number }>> = {};
  for (const w of WORKLOADS) {
    const cells = backends.map((b) => {
      const s = best(`${b}|${w.name}`, w.unit);
      const firstLoss = firsts.get(`${b}|${w.name}`);
      results[w.name] = { ...results[w.name], [b]: { ...s, ...(firstLoss === undefined ? {} : { firstLoss }) } };
      return `${fmt(s.best, w.unit)} (${fmt(s.median, w.unit)})`;
    });
    lines.push(`| ${w.name} | ${w.unit} | ${cells.join(' | ')} |`);
  }
  const load1 = loadavg();
  const note = software ? '\n\nSoftware adapter: these webgpu numbers are CPU emulation, not a GPU measurement.' : '';
  const md = `bench:gpu ${started.toISOString()}, ${machine}, webgpu adapter: ${adapter ?? '(not run)'}, load ${load0[0]!.toFixed(2)} → ${load1[0]!.toFixed(2)}, ${rounds} round(s) × ${STEPS} timed steps; best (median)${note}\n\n${lines.join('\n')}\n`;
  console.log(`\n${md}`);
  // The first-step losses must agree across backends (same seeded floats): a cheap check that the GPU computes.
  let mismatch = false;
  for (const w of WORKLOADS.filter((x) => x.unit === 'ms')) {
    const vals = backends.map((b) => firsts.get(`${b}|${w.name}`) ?? Number.NaN);
    const ref = vals[backends.length - 1]!;
    const bad = vals.some((v) => !(Math.abs(v - ref) <= 1e-4 * Math.max(1, Math.abs(ref))));
    mismatch ||= bad;
    const shown = backends.map((b, i) => `${b} ${vals[i]!.toFixed(6)}`).join(', ');
    console.log(`first-step loss, ${w.name}: ${shown}${bad ? '  MISMATCH (relative difference > 1e-4)' : ''}`);
  }
  const report = {
    started: started.toISOString(),
    machine,
    cpus: cpus().length,
    node: process.version,
    adapter,
    software,
    firstLossesAgree: !mismatch,
    load: { before: load0, after: load1 },
    rounds,
    warmup: WARMUP,
    steps: STEPS,
    robust: ROBUST,
    results,
  };
  const dir = value('out') ?? join(root, 'reports', 'bench-gpu');
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(join(dir, 'latest.json'), json);
  writeFileSync(join(dir, `${started.toISOString().replace(/[:.]/g, '-')}.json`), json);
  writeFileSync(join(dir, 'latest.md'), md);
  console.log(`written: ${join(dir, 'latest.json')}`);
  if (mismatch) {
    console.error('bench:gpu: the backends disagree on the first-step loss; the timings above are not comparable.');
    process.exitCode = 1;
  }
}

await main();
