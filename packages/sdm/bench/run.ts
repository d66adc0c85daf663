/**
 * kNN throughput benchmark: exact squared-L2 top-k of Q queries against a 60k × 256 support set
 * (`knnSquaredL2`, blockwise matmul + topk), against a matmul roofline measured in the same run: the
 * same query × support products alone (no top-k, no read-back of neighbours), and a square matmul
 * for the backend's peak GFLOP/s. Writes reports/bench/knn-<backend>.json (bench/results/ with --update) and prints a table.
 * Usage: tsx bench/run.ts [--quick]   (backend: $DRO_BACKEND, else wasm)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, initBackend } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { knnSquaredL2 } from '../src/knn.js';

const QUICK = process.argv.includes('--quick');
const N = QUICK ? 20000 : 60000;
const D = 256;
const Q = QUICK ? 256 : 1024;
const KS = [1, 10, 100, 500];
const REPEATS = QUICK ? 1 : 3;

async function timeIt(fn: () => Promise<void>): Promise<number> {
  await fn(); // warm-up (kernel compilation, allocation)
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < REPEATS; r++) {
    const t = performance.now();
    await fn();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return best;
}

async function main(): Promise<void> {
  tf.env().set('IS_TEST', true);
  const info = await initBackend();
  const rng = createRng(0);
  const host = (n: number) => Float32Array.from({ length: n * D }, () => rng.normal());
  const support = tf.tensor2d(host(N), [N, D]);
  const queries = tf.tensor2d(host(Q), [Q, D]);
  const chunk = Math.max(1, Math.floor(2 ** 22 / N));

  // Roofline 1: the same blockwise products (chunk × D) · (D × N) alone, one reduction read back per block.
  const blockwise = (rowsPerBlock: number) =>
    timeIt(async () => {
      for (let s = 0; s < Q; s += rowsPerBlock) {
        const r = Math.min(rowsPerBlock, Q - s);
        const t = tf.tidy(() => tf.sum(tf.matMul(tf.slice(queries, [s, 0], [r, D]), support, false, true)));
        await t.data();
        t.dispose();
      }
    });
  const matmulOnly = await blockwise(chunk);
  const flops = 2 * Q * N * D;
  // Roofline 2: a square matmul for the backend's peak rate.
  const S = 1024;
  const a = tf.randomNormal([S, S], 0, 1, 'float32', 1);
  const square = await timeIt(async () => {
    const t = tf.tidy(() => tf.sum(tf.matMul(a, a)));
    await t.data();
    t.dispose();
  });
  a.dispose();
  const peak = (2 * S ** 3) / square / 1e9;

  const rows: { k: number; seconds: number; queriesPerSecond: number; gflops: number; fractionOfMatmul: number }[] = [];
  for (const k of KS) {
    const sec = await timeIt(async () => {
      await knnSquaredL2(queries, support, k);
    });
    rows.push({
      k,
      seconds: sec,
      queriesPerSecond: Q / sec,
      gflops: flops / sec / 1e9,
      fractionOfMatmul: matmulOnly / sec,
    });
  }
  // Chunk-height sweep (k = 100): taller blocks use the matmul kernel better but need more memory.
  const sweep: {
    chunkRows: number;
    knnQueriesPerSecond: number;
    matmulQueriesPerSecond: number;
    distanceBlockMiB: number;
  }[] = [];
  for (const rowsPerBlock of QUICK ? [chunk, 256] : [chunk, 256, 1024]) {
    const mm = await blockwise(rowsPerBlock);
    const kn = await timeIt(async () => {
      await knnSquaredL2(queries, support, 100, { chunkSize: rowsPerBlock });
    });
    sweep.push({
      chunkRows: rowsPerBlock,
      knnQueriesPerSecond: Q / kn,
      matmulQueriesPerSecond: Q / mm,
      distanceBlockMiB: (rowsPerBlock * N * 4) / 2 ** 20,
    });
  }
  tf.dispose([support, queries]);

  const result = {
    backend: info.name,
    machine: `${cpus().length} vCPU (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
    date: new Date().toISOString(),
    support: [N, D],
    queries: Q,
    chunkRows: chunk,
    repeats: REPEATS,
    matmulOnly: { seconds: matmulOnly, queriesPerSecond: Q / matmulOnly, gflops: flops / matmulOnly / 1e9 },
    squareMatmulPeakGflops: peak,
    knn: rows,
    chunkSweep: sweep,
  };
  const here = dirname(fileURLToPath(import.meta.url));
  // Tracked bench/results/ only with --update; otherwise the git-ignored reports/bench/ (nothing tracked changes).
  const dir = process.argv.includes('--update') ? join(here, 'results') : join(here, '..', 'reports', 'bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `knn-${info.name}${QUICK ? '-quick' : ''}.json`), `${JSON.stringify(result, null, 1)}\n`);
  console.log(
    `kNN benchmark: ${Q} queries × ${N} support × ${D}-d on ${info.name} (${result.machine}), best of ${REPEATS}`,
  );
  console.log(
    `roofline: blockwise matmul alone ${result.matmulOnly.queriesPerSecond.toFixed(1)} queries/s (${result.matmulOnly.gflops.toFixed(2)} GFLOP/s); square ${S}³ matmul ${peak.toFixed(2)} GFLOP/s`,
  );
  console.log('| k | queries/s | effective GFLOP/s | fraction of matmul-only rate |');
  console.log('|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.k} | ${r.queriesPerSecond.toFixed(1)} | ${r.gflops.toFixed(2)} | ${(100 * r.fractionOfMatmul).toFixed(0)}% |`,
    );
  console.log('\n| chunk rows (k = 100) | distance block MiB | kNN queries/s | matmul-only queries/s |');
  console.log('|---|---|---|---|');
  for (const r of sweep) {
    console.log(
      `| ${r.chunkRows} | ${r.distanceBlockMiB.toFixed(0)} | ${r.knnQueriesPerSecond.toFixed(1)} | ${r.matmulQueriesPerSecond.toFixed(1)} |`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
