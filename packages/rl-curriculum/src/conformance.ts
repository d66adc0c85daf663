#!/usr/bin/env node
// Conformance runner: node packages/rl-curriculum/dist/conformance.js FILE
// Replays every case of a vectors file (format of ../shared/vectors/rl-curriculum.json) through the public
// API (runners in src/conformance/, one file per family, compared by dro-core's findMismatch), compares every expected field, prints each failing case and ends with
// "conformance: N passed, M failed" (exit 1 when M > 0; a crash counts as "0 passed, 1 failed").
import { readFileSync } from 'node:fs';
import { type ConformanceOutcome, reportConformance, reportConformanceCrash } from '@drojs/dro-core/conformance';
import { type CaseRunner, RUNNERS } from './conformance/runners.js';

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: conformance FILE');
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new Error('vectors file must hold a JSON object');
  const meta = data._meta as { tolerance_abs?: number } | undefined;
  const tol = typeof meta?.tolerance_abs === 'number' ? meta.tolerance_abs : 1e-9;
  const outcomes: ConformanceOutcome[] = [];
  for (const key of Object.keys(data)) {
    if (key === '_meta') continue;
    const runner: CaseRunner | undefined = RUNNERS.get(key);
    const value = data[key];
    const cases = Array.isArray(value) ? value : [value];
    cases.forEach((c, i) => {
      const id = `${key}[${i}]`;
      try {
        if (!runner) throw new Error(`unknown key ${JSON.stringify(key)}`);
        const problems = runner(c, tol);
        const more = problems.length > 5 ? ` (+${problems.length - 5} more)` : '';
        outcomes.push({ id, failure: problems.length === 0 ? null : `${problems.slice(0, 5).join('; ')}${more}` });
      } catch (e) {
        outcomes.push({ id, failure: `threw ${(e as Error).message}` });
      }
    });
  }
  process.exitCode = reportConformance(outcomes, 'rl-curriculum');
}

try {
  main();
} catch (e) {
  process.exitCode = reportConformanceCrash(e);
}
