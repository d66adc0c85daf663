#!/usr/bin/env node
// Conformance runner: node packages/dro-core/dist/conformance.js FILE
// Evaluates every case of a vectors file in the format of shared/vectors/dro-core.json through the public API
// (host solvers in float64, tensor functions on the cpu backend), prints each failing case and ends with
// "conformance: N passed, M failed"; exits 1 when M > 0.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { checkDroCoreVectors } from './conformance/vectorCheck.js';
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
  const results = checkDroCoreVectors(data);
  process.exitCode = reportConformance(
    results.map((r) => ({ id: r.id, failure: r.ok ? null : (r.message ?? 'failed') })),
    'dro-core',
  );
}

main().catch((e: unknown) => {
  process.exitCode = reportConformanceCrash(e);
});
