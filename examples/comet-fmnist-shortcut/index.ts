// COMET on Fashion-MNIST with a planted shortcut (spec §10): a white 4×4 patch whose border slot encodes the
// label in training (and at the "aligned" test), is random at the "random" test and absent at "none". A black box
// learns the shortcut; COMET's selector + predictor are trained against it as a frozen detector reading the
// complement; the no-detector variant (c = 0) shows what completeness adds. Masks are compared with the
// black box's gradient saliency (and, in full mode, integrated gradients and occlusion) by the same metrics.
//
//   pnpm demo          quick: seeds 0–1, 500 test images, black box + straight-through COMET + no detector + saliency
//   pnpm full          seeds 0–4, 1000 test images, all variants and baselines, mask grid PNG for seed 0
//   --resume           continue COMET runs from out/checkpoints (must reproduce the uninterrupted run)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFashionMnist, vendoredFashionMnistDir } from '@drojs/datasets/node';
import { initBackend } from '@drojs/dro-core';
import { loadState, saveState } from '@drojs/dro-core/node';
import { exitOnFail, saveBarChart, verdict } from '@drojs/example-kit';
import { shortcutFashionMnist } from '@drojs/explain';
import * as tf from '@tensorflow/tfjs-core';
import { checkQuick, type SeedResult } from './acceptance.js';
import { runSeed } from './runSeed.js';
import { printTables } from './tables.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, 'out');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const resume = args.includes('--resume');
const seedArg = args.find((a) => a.startsWith('--seeds='));
const seeds = seedArg ? seedArg.slice('--seeds='.length).split(',').map(Number) : quick ? [0, 1] : [0, 1, 2, 3, 4];
const numTest = quick ? 500 : 1000;

async function main(): Promise<void> {
  tf.env().set('PROD', true);
  const backend = await initBackend();
  mkdirSync(join(OUT, 'checkpoints'), { recursive: true });
  // The vendored subset (first 6000 / 2000 images) holds the protocol's first 4000 / 1000: a fresh clone runs it.
  const data = await loadFashionMnist({ dir: vendoredFashionMnistDir(), trainLimit: 4000, testLimit: numTest });
  const train = shortcutFashionMnist(data.train.images, data.train.labels, {
    mode: 'aligned',
    seed: 'comet-fmnist/train',
  });
  const testSeed = 'comet-fmnist/test';
  const tests = {
    aligned: shortcutFashionMnist(data.test.images, data.test.labels, { mode: 'aligned', seed: testSeed }),
    random: shortcutFashionMnist(data.test.images, data.test.labels, { mode: 'random', seed: testSeed }),
    none: shortcutFashionMnist(data.test.images, data.test.labels, { mode: 'none', seed: testSeed }),
  };
  console.log(
    `comet-fmnist-shortcut (${quick ? 'quick' : 'full'}): backend ${backend.name}, ${cpus().length} CPUs, ` +
      `Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; train 4000 (${data.source}), test ${numTest}, seeds ${seeds.join(', ')}`,
  );
  const results: SeedResult[] = [];
  for (const seed of seeds) {
    const t0 = performance.now();
    const ckpt = (name: string) => join(OUT, 'checkpoints', `${name}-seed-${seed}.json`);
    const r = await runSeed(seed, train, tests, {
      quick,
      outDir: OUT,
      checkpoint: { path: ckpt, save: saveState, load: loadState, resume: resume && existsSync(ckpt('comet')) },
    });
    results.push(r);
    console.log(`seed ${seed}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    writeFileSync(join(OUT, `results-${quick ? 'quick' : 'full'}.json`), JSON.stringify(results, null, 1)); // partial runs keep their seeds
  }
  printTables(results, quick);
  // Three explanation metrics per method, means over the seeds (bars grouped by method).
  const methods = Object.keys(results[0]!.explanations);
  const meanOf = (m: string, k: 'iouObject' | 'accComplement' | 'pointPatch') =>
    results.reduce((acc, r) => acc + r.explanations[m]![k], 0) / results.length;
  const plot = await saveBarChart(`metrics-${quick ? 'quick' : 'full'}.svg`, {
    title: `COMET vs baselines on the planted-shortcut data (mean of ${results.length} seeds)`,
    x: { label: 'explanation method' },
    y: { label: 'metric value', unit: 'fraction', domain: [0, 1] },
    bars: methods.flatMap((m) => [
      { category: m, group: 'object IoU (higher is better)', value: meanOf(m, 'iouObject') },
      {
        category: m,
        group: 'black-box accuracy on the complement (near chance is better)',
        value: meanOf(m, 'accComplement'),
      },
      { category: m, group: 'pointing at the shortcut patch', value: meanOf(m, 'pointPatch') },
    ]),
    width: Math.max(420, 110 * methods.length),
  });
  const outcome = checkQuick(results);
  for (const line of outcome.lines) console.log(line);
  verdict({
    claim:
      'COMET (selector + predictor trained against a frozen detector on the complement) gives a complete mask on the planted-shortcut data: object IoU above gradient saliency and the no-detector variant, black-box accuracy on the complement near chance; the shortcut patch is in the mask but weighted less than in the baselines',
    measured: Object.entries(outcome.measured)
      .map(([k, v]) => `${k} ${Number(v.toPrecision(3))}`)
      .join(', '),
    criterion: 'spec comet.md §10.5 items 1-4 (per seed for 1-3, mean over the seeds for 4)',
    status: outcome.pass,
    plots: [plot],
    note: quick ? 'quick mode: seeds 0–1, 500 test images, straight-through COMET and saliency only' : undefined,
    fullCommand: quick ? 'pnpm --filter comet-fmnist-shortcut full' : undefined,
  });
  exitOnFail();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
