#!/usr/bin/env node
// Conformance runner: node packages/sdm/dist/conformance.js FILE
// Evaluates every case of a vectors file through the public API and ends with
// "conformance: N passed, M failed" (exit 1 when M > 0).
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@drojs/dro-core';
import { exampleLoss } from './index.js';

interface Case { id: string; errors: number[]; spec: Parameters<typeof exampleLoss>[1]; expected: number }

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: conformance FILE');
  await initBackend({ backend: 'cpu' });
  const data = JSON.parse(readFileSync(file, 'utf8')) as { cases: Case[] };
  let passed = 0;
  let failed = 0;
  for (const c of data.cases) {
    const got = tf.tidy(() => exampleLoss(tf.tensor1d(c.errors), c.spec).arraySync() as number);
    if (Math.abs(got - c.expected) <= 1e-5 + 1e-4 * Math.abs(c.expected)) passed++;
    else {
      failed++;
      console.log(`FAIL ${c.id}: expected ${c.expected}, got ${got}`);
    }
  }
  console.log(`conformance: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}
main().catch((e) => {
  console.error(e);
  console.log('conformance: 0 passed, 1 failed');
  process.exitCode = 1;
});
