/**
 * How much calibration data per class SDM needs (issue 13): region rate against the number of calibration
 * points per class, in frozen mode (SDM judges the MLP's own label). One MLP (784–256–128–8, 8 classes as
 * in spec §11.2) is trained on the first part of the kept training images; a fixed support set and a
 * calibration pool come from the rest. For each size n, `--repeats` seeded stratified draws of n points
 * per class calibrate `SdmEstimator.fitFrozen`; we record whether Algorithm 1 finds a region at each α′,
 * what the fit-time report says when it does not, and how much of the calibration is
 * 'insufficient-evidence' under the lower rule.
 *
 *   tsx dataNeeds.ts [--sizes 25,50,100,200,300] [--repeats 10] [--alphas 0.9,0.95] [--seed 0]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFashionMnist } from '@drojs/datasets/node';
import { createRng, initBackend } from '@drojs/dro-core';
import { classifierFeatures, lowerRuleDataNeed, SdmEstimator } from '@drojs/sdm';
import * as tf from '@tensorflow/tfjs-core';
import { buildMlp, trainMlp } from './mlp.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
};
const SIZES = arg('sizes', '25,50,100,200,300').split(',').map(Number);
const REPEATS = Number(arg('repeats', '10'));
const ALPHAS = arg('alphas', '0.9,0.95').split(',').map(Number);
const SEED = Number(arg('seed', '0'));
const KEEP = [0, 1, 2, 3, 5, 7, 8, 9];
const C = KEEP.length;
const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');

interface Cell {
  found: number;
  runs: number;
  noise: number;
  largest: number[];
  thin: number[];
  need: number[];
  admitted: number[];
  accuracy: number[];
  testOod: number[];
}

const TEST_N = 2000;

async function main(): Promise<void> {
  const t0 = Date.now();
  const backend = await initBackend();
  const data = await loadFashionMnist();
  const map = new Map(KEEP.map((c, i) => [c, i]));
  // All kept images (train then test) in file order.
  const xs: Float32Array[] = [];
  const ys: number[] = [];
  for (const part of [data.train, data.test]) {
    for (let i = 0; i < part.n; i++) {
      const y = map.get(part.labels[i]!);
      if (y === undefined) continue;
      xs.push(part.images.subarray(i * 784, (i + 1) * 784));
      ys.push(y);
    }
  }
  const n = ys.length;
  const mlpN = Math.floor(n * 0.4);
  const supportN = Math.floor(n * 0.15);
  const flat = (from: number, to: number) => {
    const out = new Float32Array((to - from) * 784);
    for (let i = from; i < to; i++) out.set(xs[i]!, (i - from) * 784);
    return out;
  };
  const rng = createRng(SEED);
  const model = buildMlp(C, rng.fork('mlp-init'));
  await trainMlp(model, flat(0, mlpN), Int32Array.from(ys.slice(0, mlpN)), C, 8, rng.fork('mlp-batches'), () => {});
  const feats = (from: number, to: number) =>
    tf.tidy(() => {
      const f = classifierFeatures(model, tf.tensor2d(flat(from, to), [to - from, 784]), {
        embed: ['h1', 'h2'],
        batchSize: 512,
      });
      return { e: f.embeddings.arraySync() as number[][], z: f.logits.arraySync() as number[][] };
    });
  const sup = feats(mlpN, mlpN + supportN);
  const pool = feats(mlpN + supportN, n);
  const poolY = ys.slice(mlpN + supportN);
  const acc = pool.z.filter((r, i) => r.indexOf(Math.max(...r)) === poolY[i]).length / pool.z.length;
  // The first TEST_N pool rows are an in-distribution test set; calibration draws come from the rest.
  const byClass: number[][] = Array.from({ length: C }, () => []);
  poolY.forEach((y, i) => {
    if (i >= TEST_N) byClass[y]!.push(i);
  });
  const testE = pool.e.slice(0, TEST_N);
  const testZ = pool.z.slice(0, TEST_N);
  const testY = poolY.slice(0, TEST_N);
  const minClass = Math.min(...byClass.map((b) => b.length));
  console.log(
    `data ${data.source}: ${n} kept images; MLP on ${mlpN} (pool accuracy ${acc.toFixed(3)}), support ${supportN}, ID test ${TEST_N}, calibration pool ${poolY.length - TEST_N} (≥ ${minClass} per class); backend ${backend.name}`,
  );
  const cells = new Map<string, Cell>();
  const draw = createRng(`${SEED}-draws`);
  for (const size of SIZES.filter((s) => s <= minClass)) {
    for (let r = 0; r < REPEATS; r++) {
      const idx: number[] = [];
      for (const list of byClass) {
        const perm = Int32Array.from(list);
        draw.shuffle(perm);
        idx.push(...perm.subarray(0, size));
      }
      const est = await SdmEstimator.fitFrozen(
        {
          embeddings: sup.e,
          labels: ys.slice(mlpN, mlpN + supportN),
          logits: sup.z,
          calibration: {
            embeddings: idx.map((i) => pool.e[i]!),
            labels: idx.map((i) => poolY[i]!),
            logits: idx.map((i) => pool.z[i]!),
          },
        },
        { numClasses: C, alpha: ALPHAS[0]!, maxQ: 500 },
      );
      for (const a of ALPHAS) {
        est.recalibrate(a);
        const s = est.summaryStats();
        const key = `${size}|${a}`;
        const cell: Cell = cells.get(key) ?? {
          found: 0,
          runs: 0,
          noise: 0,
          largest: [],
          thin: [],
          need: [],
          admitted: [],
          accuracy: [],
          testOod: [],
        };
        cell.runs++;
        if (s.regionFound) cell.found++;
        cell.thin.push(s.calibrationStatusFractions.insufficientEvidence);
        const need = lowerRuleDataNeed({ ...est.calibrationDetails(), alpha: a });
        if (need !== null) cell.need.push(need);
        if (s.noRegion) {
          if (s.noRegion.withinSamplingNoise) cell.noise++;
          if (s.noRegion.largestAlpha !== null) cell.largest.push(s.noRegion.largestAlpha);
        }
        const p = await est.predict(testE, testZ);
        let nAdmit = 0;
        let nRight = 0;
        p.forEach((x, i) => {
          if (!x.valid) return;
          nAdmit++;
          if (x.label === testY[i]) nRight++;
        });
        cell.admitted.push(nAdmit / p.length);
        if (nAdmit > 0) cell.accuracy.push(nRight / nAdmit);
        cell.testOod.push(p.filter((x) => x.isOod).length / p.length);
        cells.set(key, cell);
      }
      est.dispose();
    }
    console.log(`  ${size} per class done (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const med = (v: number[]) => (v.length ? [...v].sort((a, b) => a - b)[v.length >> 1]! : Number.NaN);
  const lines = [
    "| calibration per class | α′ | region found | ID test admitted (lower rule), median [range] | accuracy of admitted, min over runs | ID test 'ood', median | calibration 'insufficient-evidence', median | lowerRuleDataNeed per class, median | no region: excess within noise | no region: largest α′, median |",
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [key, c] of cells) {
    const [size, a] = key.split('|');
    const nr = c.runs - c.found;
    const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
    lines.push(
      `| ${size} | ${a} | ${c.found} / ${c.runs} | ${pct(med(c.admitted))} [${pct(Math.min(...c.admitted))}–${pct(Math.max(...c.admitted))}] | ${c.accuracy.length ? Math.min(...c.accuracy).toFixed(3) : '—'} | ${pct(med(c.testOod))} | ${pct(med(c.thin))} | ${c.need.length ? med(c.need) : '—'} | ${nr ? `${c.noise} / ${nr}` : '—'} | ${c.largest.length ? med(c.largest).toFixed(3) : '—'} |`,
    );
  }
  const text = `${lines.join('\n')}\n`;
  console.log(text);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, `data-needs-seed${SEED}.md`), text);
  console.log(`${((Date.now() - t0) / 1000).toFixed(0)} s`);
  model.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
