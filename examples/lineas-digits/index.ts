// LinEAS on sklearn digits (spec steer.md §7): steer class-a activations of a trained MLP toward class b
// with per-neuron affine maps after both hidden ReLUs, fitted end to end (sorted-W2 loss, sparse-group
// prox), against per-layer mean-shift and affine-OT baselines. `--quick` (what `pnpm demo` runs): seeds 0–2,
// λ = 0.05 only; full: seeds 0–4 and the spec's λ grids.
import { mkdirSync, writeFileSync } from 'node:fs';
import { initBackend } from '@drojs/dro-core';
import { exitOnFail, verdict } from '@drojs/example-kit';
import { loadDigits } from './src/digits.js';
import { type PairResult, runPair, setupSeed } from './src/protocol.js';
import { report } from './src/report.js';

const quick = process.argv.includes('--quick');
const mode = quick ? 'quick' : 'full';
const seeds = quick ? [0, 1, 2] : [0, 1, 2, 3, 4];
const PAIRS: { source: number; target: number; lambdas: number[] }[] = [
  { source: 3, target: 8, lambdas: quick ? [0.05] : [0, 0.02, 0.05, 0.1, 0.2] },
  { source: 1, target: 7, lambdas: quick ? [0.05] : [0, 0.05, 0.1] },
  { source: 5, target: 9, lambdas: quick ? [0.05] : [0, 0.05, 0.1] },
];

const info = await initBackend();
const data = loadDigits();
const t0 = performance.now();
console.log(`lineas-digits (${mode}) on ${info.name}: seeds ${seeds.join(', ')}`);
const results: PairResult[] = [];
const testAcc: number[] = [];
for (const seed of seeds) {
  const setup = setupSeed(data, seed);
  testAcc.push(setup.testAcc);
  console.log(`seed ${seed}: classifier test accuracy ${setup.testAcc.toFixed(3)}`);
  for (const p of PAIRS) {
    const r = await runPair(data, setup, p.source, p.target, p.lambdas, 0.05);
    const l = r.lineas.find((x) => x.lambda === 0.05)!;
    console.log(
      `  ${p.source} → ${p.target}: LinEAS λ=0.05 success ${l.success.toFixed(3)}, off-target ${l.offTarget.toFixed(3)}, ` +
        `${l.touched} touched, loss ${l.finalLoss.toFixed(5)}`,
    );
    results.push(r);
  }
  setup.model.dispose();
}
const seconds = (performance.now() - t0) / 1000;
mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
const outcome = await report(results, testAcc, { mode, seconds, backend: info.name });
writeFileSync(
  new URL('./out/results.json', import.meta.url),
  JSON.stringify({ mode, seeds, testAcc, seconds, results }, null, 1),
);
verdict(outcome);
exitOnFail();
