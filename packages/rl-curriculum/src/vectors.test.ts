import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUNNERS } from './conformance/runners.js';

const file = new URL('../vectors/rl-curriculum.json', import.meta.url);
const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const tol = (data._meta as { tolerance_abs: number }).tolerance_abs;

function casesOf(key: string): unknown[] {
  const v = data[key];
  return Array.isArray(v) ? v : [v];
}

/** Output fields of the format (inputs are not corrupted: changing an unused input need not fail). */
const OUTPUT_KEYS = new Set([
  'advantages',
  'keep',
  'value',
  'output',
  'drpo_coef',
  'coef',
  'label_before',
  'acc_after',
  'label_after',
  'weights_before_update',
  'q_before_update',
  'ema_after',
  'count_after',
  'q_after_same_classes',
  'weights_after',
  'ema',
  'q',
  'weights',
  'n_cont',
  'mu',
  'unconstrained',
  'n_int',
  'probs_before',
  'choice',
  'chosen_sum',
  'scores_after',
  'mu_after',
  'ucb',
  'out',
  'n',
]);

/** Keys that are inputs for some vector keys although outputs elsewhere. */
const INPUTS_OF: Record<string, string[]> = {
  proportional_extra: ['weights'],
  drm: ['weights'],
  classifier_float_obs: ['n'],
};

function outputLeaves(
  x: unknown,
  path: (string | number)[],
  under: boolean,
  acc: (string | number)[][],
  inputs: string[],
): void {
  if (x !== null && typeof x === 'object') {
    if (Array.isArray(x)) x.forEach((v, i) => outputLeaves(v, [...path, i], under, acc, inputs));
    else {
      for (const [k, v] of Object.entries(x)) {
        outputLeaves(v, [...path, k], under || (OUTPUT_KEYS.has(k) && !inputs.includes(k)), acc, inputs);
      }
    }
  } else if (under && x !== null) acc.push(path);
}

describe('vectors (vendored copy)', () => {
  for (const key of Object.keys(data)) {
    if (key === '_meta') continue;
    it(`${key}: every case replays within tolerance`, () => {
      const runner = RUNNERS.get(key);
      expect(runner, `runner for ${key}`).toBeDefined();
      casesOf(key).forEach((c, i) => {
        expect((runner as NonNullable<typeof runner>)(c, tol), `${key}[${i}]`).toEqual([]);
      });
    });
  }

  it('every corrupted expected value is caught', () => {
    let checked = 0;
    for (const key of Object.keys(data)) {
      if (key === '_meta') continue;
      casesOf(key).forEach((c) => {
        const leaves: (string | number)[][] = [];
        outputLeaves(c, [], false, leaves, INPUTS_OF[key] ?? []);
        for (const leaf of leaves) {
          const copy = JSON.parse(JSON.stringify(c));
          let o = copy;
          for (const k of leaf.slice(0, -1)) o = o[k];
          const last = leaf[leaf.length - 1] as string | number;
          const v = o[last];
          // The smallest change that must be caught: 10× the tolerance for numbers, a flip otherwise.
          o[last] = typeof v === 'number' ? v + 10 * tol : typeof v === 'boolean' ? !v : `${v}x`;
          let problems: string[];
          try {
            problems = (RUNNERS.get(key) as NonNullable<ReturnType<typeof RUNNERS.get>>)(copy, tol);
          } catch (e) {
            problems = [String(e)];
          }
          expect(problems.length, `${key} ${leaf.join('.')}`).toBeGreaterThan(0);
          checked++;
        }
      });
    }
    expect(checked).toBeGreaterThan(300);
  });
});
