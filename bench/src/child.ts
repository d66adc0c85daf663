/**
 * One engine's round of `pnpm bench`, in its own process: kernel registrations are global to a process, so the
 * default engine and @drojs/native never share one. Prints one line `BENCH_CHILD {json}` on stdout.
 * Usage: tsx src/child.ts --engine=wasm|native [--quick]
 */

import { type BackendInfo, type InitBackendOptions, initBackend } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { CHILD_PREFIX, type ChildReport, type EngineStatus, type Sample } from './schema.js';
import { sizesFor, WORKLOADS } from './workloadList.js';
import { certify, certifyBefore, convStep, knn, mlpStep, rsForward } from './workloads.js';

/** What initBackend says about @drojs/native; older dro-core builds have no `native` field at all. */
interface NativeStatusLike {
  loaded: boolean;
  reason: string;
  kernels?: string[];
  blas?: string;
  binary?: string;
}

function nativeStatus(info: BackendInfo): NativeStatusLike {
  const n = (info as BackendInfo & { native?: NativeStatusLike }).native;
  if (!n)
    return { loaded: false, reason: "this dro-core's initBackend has no native engine (@drojs/native not built in)" };
  return n;
}

async function main(): Promise<ChildReport> {
  const args = process.argv.slice(2);
  const engine = args.includes('--engine=native') ? 'native' : 'wasm';
  const sizes = sizesFor(args.includes('--quick'));
  tf.env().set('PROD', true); // no NaN checks or debug bookkeeping in timings
  // `native` is the option of issue 14's initBackend; passed through a cast so this file also builds before it.
  const info = await initBackend({ backend: 'wasm', native: engine === 'native' } as InitBackendOptions);
  const nat = nativeStatus(info);
  const detail: Record<string, unknown> = { backend: info.name, fixes: info.fixesApplied, native: nat };
  if (engine === 'native' && !nat.loaded) {
    return { engine, status: { available: false, reason: nat.reason, detail }, results: {} };
  }
  const status: EngineStatus = {
    available: true,
    reason: engine === 'native' ? `@drojs/native (${nat.blas ?? 'BLAS ?'})` : 'tfjs wasm + dro-core fixes',
    detail,
  };
  const runs: Record<string, () => Promise<Sample>> = {
    'mlp-step-256': () => mlpStep(256, sizes.mlpSteps, sizes),
    'mlp-step-1024': () => mlpStep(1024, sizes.mlp1024Steps, sizes),
    'conv-step': () => convStep(sizes),
    'rs-forward': () => rsForward(sizes),
    certify: () => certify(sizes),
    'certify-polar': () => certify(sizes, true),
    'certify-before': () => certifyBefore(sizes),
    knn: () => knn(sizes),
  };
  const results: ChildReport['results'] = {};
  for (const w of WORKLOADS) {
    const run = runs[w.id];
    if (!run || !w.engines.includes(engine)) continue;
    try {
      results[w.id] = await run();
    } catch (e) {
      results[w.id] = { error: e instanceof Error ? e.message : String(e) };
    }
  }
  return { engine, status, results };
}

const report = await main();
process.stdout.write(`${CHILD_PREFIX}${JSON.stringify(report)}\n`);
