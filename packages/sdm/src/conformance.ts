#!/usr/bin/env node
// Conformance runner: node packages/sdm/dist/conformance.js FILE
// Evaluates every case of an sdm vectors file through the public API, prints each failing case and ends
// with "conformance: N passed, M failed" (exit 1 when M > 0). Backend: $DRO_BACKEND, else cpu.
import { readFileSync } from 'node:fs';
import { initBackend } from '@drojs/dro-core';
import { reportConformance, reportConformanceCrash } from '@drojs/dro-core/conformance';
import * as tf from '@tensorflow/tfjs-core';
import { checkVectors } from './conformance/check.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: conformance FILE');
  const backend = (process.env.DRO_BACKEND as 'cpu' | 'wasm' | undefined) ?? 'cpu';
  // Silences the cpu backend's "install tfjs-node" banner so the summary stays the last line (PROD, not
  // IS_TEST, whose per-kernel leak check misfires on customGrad ops).
  tf.env().set('PROD', true);
  await initBackend({ backend });
  const data = JSON.parse(readFileSync(file, 'utf8'));
  const results = await checkVectors(data);
  process.exitCode = reportConformance(
    results.map((r) => ({ id: r.id, failure: r.failures.length === 0 ? null : r.failures.join('; ') })),
    'sdm',
  );
}

main().catch((e) => {
  process.exitCode = reportConformanceCrash(e);
});
