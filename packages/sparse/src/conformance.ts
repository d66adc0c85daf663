#!/usr/bin/env node
// Conformance runner: node packages/sparse/dist/conformance.js FILE [--verbose]
// Evaluates every case of a sparse vectors file through the public API, one check per expected key,
// and ends with "conformance: N passed, M failed" (exit code 1 when M > 0 or the file cannot be read).
import { readFileSync } from 'node:fs';
import { reportConformance, reportConformanceCrash } from '@drojs/dro-core/conformance';
import { evaluateVectors } from './conformance/evaluate.js';

try {
  const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: conformance FILE [--verbose]');
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('not a vectors object');
  process.exitCode = reportConformance(evaluateVectors(data, process.argv.includes('--verbose')), 'sparse vectors');
} catch (e) {
  process.exitCode = reportConformanceCrash(e);
}
