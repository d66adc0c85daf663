#!/usr/bin/env node
// Conformance runner: node packages/dro-core/dist/conformance.js FILE
// Evaluates every case of a vectors file in the format of shared/vectors/dro-core.json through the public API
// (host solvers in float64, tensor functions on the cpu backend), prints each failing case and ends with
// "conformance: N passed, M failed"; exits 1 when M > 0.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { checkDroCoreVectors, initBackend } from './index.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node packages/dro-core/dist/conformance.js FILE');
    console.log('conformance: 0 passed, 1 failed');
    process.exitCode = 2;
    return;
  }
  tf.env().set('PROD', true); // no "install tfjs-node" banner in the runner's output
  await initBackend({ backend: 'cpu' });
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const results = checkDroCoreVectors(data);
  let passed = 0;
  let failed = 0;
  for (const r of results) {
    if (r.ok) passed++;
    else {
      failed++;
      console.log(`FAIL ${r.id}: ${r.message}`);
    }
  }
  if (results.length === 0) {
    failed++;
    console.log('FAIL: the file holds no case of the dro-core format');
  }
  console.log(`conformance: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  console.log('conformance: 0 passed, 1 failed');
  process.exitCode = 1;
});
