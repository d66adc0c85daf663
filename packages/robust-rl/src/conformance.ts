#!/usr/bin/env node
// Conformance runner: node packages/robust-rl/dist/conformance.js FILE
// Replays every case of a vectors file in the format of shared/vectors/robust-rl.json through the public API,
// prints each failing case and ends with "conformance: N passed, M failed" (exit 1 when M > 0; a crash counts
// as "0 passed, 1 failed").
import { readFileSync } from 'node:fs';
import { type ConformanceOutcome, reportConformance, reportConformanceCrash } from '@drojs/dro-core/conformance';
import { runners } from './conformance/index.js';

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: conformance FILE');
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new Error('vectors file must hold a JSON object');
  const meta = data._meta as { tolerances?: { host_float64?: { rel: number; abs: number } } } | undefined;
  const tol = meta?.tolerances?.host_float64 ?? { rel: 1e-9, abs: 1e-10 };
  const outcomes: ConformanceOutcome[] = [];
  for (const key of Object.keys(data)) {
    if (key === '_meta') continue;
    const runner = runners[key];
    const cases = Array.isArray(data[key]) ? (data[key] as Record<string, unknown>[]) : [];
    cases.forEach((c, i) => {
      const id = `${key}/${typeof c.id === 'string' ? c.id : i}`;
      try {
        if (!runner) throw new Error(`unknown key ${JSON.stringify(key)}`);
        outcomes.push({ id, failure: runner(c as Record<string, unknown> & { id: string }, tol) });
      } catch (e) {
        outcomes.push({ id, failure: `threw ${(e as Error).message}` });
      }
    });
  }
  process.exitCode = reportConformance(outcomes, 'robust-rl');
}

try {
  main();
} catch (e) {
  process.exitCode = reportConformanceCrash(e);
}
