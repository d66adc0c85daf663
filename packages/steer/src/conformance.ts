#!/usr/bin/env node
// Conformance runner: node packages/steer/dist/conformance.js FILE [--backend cpu|wasm] [--digits PATH]
// Evaluates every case of a steer vectors file through the public API and ends with
// "conformance: N passed, M failed" (exit 1 when M > 0). digits_demo cases read the vendored digits table
// (packages/steer/data/digits.csv.gz) unless --digits names another copy.
import { readFileSync } from 'node:fs';
import { type BackendName, initBackend } from '@drojs/dro-core';
import { reportConformance, reportConformanceCrash } from '@drojs/dro-core/conformance';
import * as tf from '@tensorflow/tfjs-core';
import { evaluateVectors } from './conformance/evaluate.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file || file.startsWith('--')) throw new Error('usage: node packages/steer/dist/conformance.js FILE');
  tf.env().set('PROD', true); // no "install tfjs-node" banner in the runner's output
  await initBackend({ backend: (flag('--backend') ?? 'cpu') as BackendName });
  const digits = flag('--digits');
  const outcomes = await evaluateVectors(JSON.parse(readFileSync(file, 'utf8')), digits ? { digitsPath: digits } : {});
  process.exitCode = reportConformance(outcomes, 'steer');
}

main().catch((e: unknown) => {
  process.exitCode = reportConformanceCrash(e);
});
