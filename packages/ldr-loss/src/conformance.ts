#!/usr/bin/env node
// Conformance runner: node packages/ldr-loss/dist/conformance.js FILE [--backend cpu|wasm]
// Evaluates every case of a vectors file in the format of shared/vectors/ldr-loss.json through the public API
// (stateless losses: per_sample, mean, grad; ALDR and contrastive sequences replayed step by step; KL-DRO),
// prints each failing case and ends with "conformance: N passed, M failed"; exits 1 when M > 0.
import { readFileSync } from 'node:fs';
import { type BackendName, initBackend } from '@drojs/dro-core';
import { reportConformance, reportConformanceCrash } from '@drojs/dro-core/conformance';
import * as tf from '@tensorflow/tfjs-core';
import { runVectors } from './conformance/vectorCases.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const bi = args.indexOf('--backend');
  const backend = (bi >= 0 ? args[bi + 1] : 'cpu') as BackendName;
  const file = args.find((a, i) => !a.startsWith('--') && (bi < 0 || i !== bi + 1));
  if (!file) {
    console.error('usage: node packages/ldr-loss/dist/conformance.js FILE [--backend cpu|wasm]');
    console.log('conformance: 0 passed, 1 failed');
    process.exitCode = 2;
    return;
  }
  tf.env().set('PROD', true);
  await initBackend({ backend });
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new Error('the file is not a JSON object');
  const results = runVectors(data);
  process.exitCode = reportConformance(
    results.map((r) => ({ id: `[${r.section}] ${r.name}`, failure: r.mismatch })),
    'ldr-loss',
  );
}

main().catch((e: unknown) => {
  process.exitCode = reportConformanceCrash(e);
});
