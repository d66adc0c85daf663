#!/usr/bin/env node
// Conformance runner: node packages/sdm/dist/conformance.js FILE
// Evaluates every case of an sdm vectors file through the public API, prints each failing case and ends
// with "conformance: N passed, M failed" (exit 1 when M > 0). Backend: $DRO_BACKEND, else cpu.
import { readFileSync } from 'node:fs';
import { initBackend } from '@drojs/dro-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkVectors } from './conformance/check.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: conformance FILE');
  const backend = (process.env.DRO_BACKEND as 'cpu' | 'wasm' | undefined) ?? 'cpu';
  // Silences the cpu backend's "install tfjs-node" banner so the summary stays the last line.
  tf.env().set('IS_TEST', true);
  await initBackend({ backend });
  const data = JSON.parse(readFileSync(file, 'utf8'));
  const results = await checkVectors(data);
  let passed = 0;
  let failed = 0;
  for (const r of results) {
    if (r.failures.length === 0) passed++;
    else {
      failed++;
      console.log(`FAIL ${r.id}: ${r.failures.join('; ')}`);
    }
  }
  if (results.length === 0) {
    failed = 1;
    console.log('FAIL no cases found in the file');
  }
  console.log(`conformance: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  console.log('conformance: 0 passed, 1 failed');
  process.exitCode = 1;
});
