#!/usr/bin/env node
// Conformance runner: node packages/smoothing/dist/conformance.js FILE
// Evaluates every case of a smoothing vectors file through the public API (and the legacy subpath),
// prints each failing case and ends with "conformance: N passed, M failed" (exit 1 when M > 0; a crash
// or a file without cases counts as a failure). An unknown fn fails its case.
import { readFileSync } from 'node:fs';
import { reportConformance, reportConformanceCrash } from '@drojs/dro-core/conformance';
import { type Case, runCase } from './conformance/runCase.js';

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: conformance FILE');
  const data = JSON.parse(readFileSync(file, 'utf8')) as { cases?: Case[] };
  if (!Array.isArray(data.cases) || data.cases.length === 0) throw new Error('the file has no "cases" array');
  process.exitCode = reportConformance(
    data.cases.map((c, i) => ({ id: `#${i} ${c?.name ?? ''} [${c?.fn}]`, failure: runCase(c) })),
    'smoothing',
  );
}

try {
  main();
} catch (e) {
  process.exitCode = reportConformanceCrash(e instanceof Error ? e.message : e);
}
