#!/usr/bin/env node
// Conformance runner: node packages/causal/dist/conformance.js FILE [--verbose] (causal.json, and crome.json:
// the Crome reward-modelling vectors, recognised by their `_meta` key)
// Evaluates every case of a causal vectors file through the public API (evaluators in src/conformance/, one
// per case family, compared by dro-core's findMismatch) and ends with "conformance: N passed, M failed".
import { readFileSync } from 'node:fs';
import { reportConformance, reportConformanceCrash } from '@drojs/dro-core/conformance';
import { evaluateCausalVectors } from './conformance/evaluate.js';

function main(): void {
  const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: conformance FILE [--verbose]');
  const outcomes = evaluateCausalVectors(JSON.parse(readFileSync(file, 'utf8')));
  if (process.argv.includes('--verbose')) for (const o of outcomes) if (o.failure === null) console.log(`ok   ${o.id}`);
  process.exitCode = reportConformance(outcomes, 'causal');
}

try {
  main();
} catch (e) {
  process.exitCode = reportConformanceCrash(e);
}
