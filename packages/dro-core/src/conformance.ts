#!/usr/bin/env node
// Conformance runner: node packages/dro-core/dist/conformance.js FILE
// Evaluates every case of a vectors file in the format of shared/vectors/dro-core.json or w2.json through the public API
// (host solvers in float64, tensor functions on the cpu backend), prints each failing case and ends with
// "conformance: N passed, M failed"; exits 1 when M > 0.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { checkDroCoreVectors } from './conformance/vectorCheck.js';
import { checkW2Vectors, isW2VectorsFile } from './conformance/w2VectorCheck.js';
import { reportConformance, reportConformanceCrash } from './conformanceKit/index.js';
import { initBackend } from './index.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node packages/dro-core/dist/conformance.js FILE');
    process.exitCode = reportConformanceCrash(new Error('no vectors file given'));
    return;
  }
  tf.env().set('PROD', true); // no "install tfjs-node" banner in the runner's output
  await initBackend({ backend: 'cpu' });
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  // Files in the w2.json format (Round 2): host cases once, tensor cases on cpu and on wasm.
  const results = isW2VectorsFile(data) ? checkW2Vectors(data, { label: 'cpu' }) : checkDroCoreVectors(data);
  if (isW2VectorsFile(data)) {
    await initBackend({ backend: 'wasm' });
    results.push(...checkW2Vectors(data, { host: false, label: 'wasm' }));
  }
  process.exitCode = reportConformance(
    results.map((r) => ({ id: r.id, failure: r.ok ? null : (r.message ?? 'failed') })),
    'dro-core',
  );
}

main().catch((e: unknown) => {
  process.exitCode = reportConformanceCrash(e);
});
