import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateCausalVectors } from '../conformance/evaluate.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const vectors = JSON.parse(readFileSync(join(here, '../../vectors/crome.json'), 'utf8'));
const failed = (d: unknown) => evaluateCausalVectors(d).filter((o) => o.failure !== null);
const copy = () => JSON.parse(JSON.stringify(vectors));

describe('Crome conformance (crome.json format)', () => {
  it('the CLI passes the vendored public vectors', () => {
    const tsx = join(here, '../../../../node_modules/.bin/tsx');
    const out = execFileSync(tsx, [join(here, '../conformance.ts'), join(here, '../../vectors/crome.json')], {
      encoding: 'utf8',
    });
    expect(out).toMatch(/conformance: \d+ passed, 0 failed\s*$/);
  });

  it('fails on corrupted copies (one expected value changed per family), unknown families and keys', () => {
    const corruptions: ((d: typeof vectors) => void)[] = [
      (d) => (d.pair_loss[0].expected.loss[1] *= 1 + 1e-9),
      (d) => (d.objective[0].expected.gradDelta[3] += 1e-9),
      (d) => (d.objective[4].expected.nNeutral += 1),
      (d) => (d.linear_objective[1].expected.gradTheta[0] *= 1 + 1e-8),
      (d) => (d.accuracy[0].expected.accuracy = 0.5 + 1 / 12),
      (d) => (d.best_of_n[0].expected['4'].chosen[1] = 1),
      (d) => (d.best_of_n[1].expected['5'].meanQuality += 1e-9),
      (d) => (d.errors[2].expected.error = 'E_SPEC'),
      (d) => (d.mystery_family = [{ name: 'x', input: {}, expected: { a: 1 } }]),
      (d) => (d.objective[0].expected.not_a_field = 1),
    ];
    expect(failed(vectors)).toEqual([]);
    corruptions.forEach((mutate, i) => {
      const d = copy();
      mutate(d);
      expect(failed(d).length, `corruption ${i}`).toBeGreaterThan(0);
    });
  });

  it('evaluates the families the public file omits (filter, train_linear) on hand-computed cases', () => {
    const lc = Math.log(0.95 / 0.05);
    const file = {
      _meta: {},
      filter: [
        {
          name: 'boundaries',
          input: { baseDelta: [5, lc, lc - 1e-9, 0.01], kinds: ['original', 'causal', 'causal', 'neutral'] },
          expected: { keep: [true, false, true, false], kept: 2 },
        },
      ],
      train_linear: [
        {
          name: 'one-bt-step',
          input: {
            chosen: [[1, 0]],
            rejected: [[0, 0]],
            kinds: ['original'],
            steps: 1,
            learningRate: 1,
            l2: 0,
            lambdaTie: 1,
            theta0: [0, 0],
          },
          expected: {
            theta: [0.5, 0],
            lossRegularized: Math.log1p(Math.exp(-0.5)),
            checkpoints: { '0': { theta: [0, 0], lossRegularized: Math.LN2 } },
          },
        },
      ],
    };
    expect(failed(file)).toEqual([]);
    const bad = JSON.parse(JSON.stringify(file));
    bad.train_linear[0].expected.checkpoints['0'].theta[0] = 1e-9;
    expect(failed(bad).length).toBe(1);
  });
});
