#!/usr/bin/env node
// Conformance runner: node packages/explain/dist/conformance.js FILE [--verbose]
// Evaluates every case of an explain vectors file through the public API, one check per expected key, on the
// backend named by DRO_BACKEND (default wasm, else cpu), and ends with "conformance: N passed, M failed".
import { readFileSync } from 'node:fs';
import { initBackend } from '@drojs/dro-core';
import { reportConformance, reportConformanceCrash } from '@drojs/dro-core/conformance';
import * as tf from '@tensorflow/tfjs-core';
import { evaluateVectors } from './conformance/evaluate.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node packages/explain/dist/conformance.js FILE [--verbose]');
  tf.env().set('PROD', true); // no "install tfjs-node" banner in the runner's output
  const info = await initBackend();
  const outcomes = evaluateVectors(JSON.parse(readFileSync(file, 'utf8')));
  if (process.argv.includes('--verbose')) {
    console.log(`backend: ${info.name}`);
    for (const o of outcomes) if (o.failure === null) console.log(`ok ${o.id}`);
  }
  process.exitCode = reportConformance(outcomes, 'explain');
}

main().catch((e: unknown) => {
  process.exitCode = reportConformanceCrash(e);
});
