#!/usr/bin/env node
// Conformance runner: node packages/smoothing/dist/conformance.js FILE
// Evaluates every case of a smoothing vectors file through the public API (and the legacy subpath),
// prints each failing case and ends with "conformance: N passed, M failed" (exit 1 when M > 0; a crash
// or a file without cases counts as a failure). An unknown fn fails its case.
import { readFileSync } from 'node:fs';
import { type Case, runCase } from './vectorCases.js';

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: conformance FILE');
  const data = JSON.parse(readFileSync(file, 'utf8')) as { cases?: Case[] };
  if (!Array.isArray(data.cases) || data.cases.length === 0) throw new Error('the file has no "cases" array');
  let passed = 0;
  let failed = 0;
  data.cases.forEach((c, i) => {
    const m = runCase(c);
    if (m === null) passed++;
    else {
      failed++;
      console.log(`FAIL #${i} ${c?.name ?? ''} [${c?.fn}]: ${m}`);
    }
  });
  console.log(`conformance: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

try {
  main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  console.log('conformance: 0 passed, 1 failed');
  process.exitCode = 1;
}
