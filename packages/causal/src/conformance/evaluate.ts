import type { ConformanceOutcome } from '@drojs/dro-core/conformance';
import { evaluateAnchor } from './anchor.js';
import { evaluateCromeVectors, isCromeVectors } from './crome.js';
import { evaluateDrm } from './drm.js';
import { evaluateEacs } from './eacs.js';
import { evaluateIvl } from './ivl.js';
import { type Case, Outcomes } from './outcomes.js';
import { evaluateTsls } from './tsls.js';

// Case families by name prefix (`tsls_small`, `eacs_small`, …).
const FAMILIES: ReadonlyArray<readonly [string, (name: string, c: Case, out: Outcomes) => void]> = [
  ['tsls', evaluateTsls],
  ['anchor', evaluateAnchor],
  ['drm', evaluateDrm],
  ['ivl', evaluateIvl],
  ['eacs', evaluateEacs],
];

/**
 * Evaluates every case of a causal vectors file through the public API: one outcome per output key (and per
 * entry of parameter-indexed maps); an unknown case, a malformed one or an output key without an evaluator
 * is a failure.
 */
export function evaluateCausalVectors(data: unknown): ConformanceOutcome[] {
  // Crome's vectors (crome.json) use the `_meta` + family-list format of spec crome.md §9.1.
  if (isCromeVectors(data)) return evaluateCromeVectors(data as Record<string, unknown>);
  const d = data as { cases?: unknown } | null;
  if (d === null || typeof d !== 'object' || d.cases === null || typeof d.cases !== 'object' || Array.isArray(d.cases))
    throw new Error('the file has no "cases" object');
  const out = new Outcomes();
  for (const [name, c] of Object.entries(d.cases as Record<string, Case>)) {
    const family = FAMILIES.find(([prefix]) => name.startsWith(prefix));
    if (!family) {
      out.fail(name, '(case)', 'unknown case prefix');
      continue;
    }
    if (
      c === null ||
      typeof c !== 'object' ||
      typeof c.inputs !== 'object' ||
      typeof c.outputs !== 'object' ||
      c.outputs === null
    ) {
      out.fail(name, '(case)', 'malformed case: inputs and outputs required');
      continue;
    }
    if (Object.keys(c.outputs).length === 0) {
      out.fail(name, '(case)', 'case has no outputs');
      continue;
    }
    try {
      family[1](name, c, out);
    } catch (e) {
      out.fail(name, '(case)', `threw ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out.list;
}
