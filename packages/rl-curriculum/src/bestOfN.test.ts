import { describe, expect, it } from 'vitest';
import { bestOfN, bestOfNSelect } from './bestOfN.js';
import { createCurriculumService } from './server/service.js';

function expectCode(fn: () => unknown, code: string, argument: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect((err as { name?: string }).name).toBe('DroError');
  expect((err as { code?: string }).code).toBe(code);
  expect((err as Error).message).toContain(argument);
}

describe('Best-of-N hook', () => {
  it('picks the first maximum of the first n candidates per group', () => {
    const s = [
      [0.1, 0.9, 0.9, 2],
      [3, 1, 3],
      [0, 0, 0, 0],
    ];
    expect(bestOfNSelect(s)).toEqual({ chosen: [3, 0, 0], bestScores: [2, 3, 0] });
    expect(bestOfNSelect(s, { n: 3 })).toEqual({ chosen: [1, 0, 0], bestScores: [0.9, 3, 0] });
    expect(bestOfNSelect(s, { n: 1 }).chosen).toEqual([0, 0, 0]);
  });

  it('scores candidates with a user-supplied reward (e.g. a linear reward model on features)', () => {
    const theta = [1, -2];
    const cands = [
      [
        [1, 0],
        [0, -1],
        [3, 1],
      ],
      [
        [0, 0],
        [-1, -1],
      ],
    ];
    const calls: number[] = [];
    const r = bestOfN(cands, (group, g) => {
      calls.push(g);
      return group.map((f) => (theta[0] as number) * (f[0] as number) + (theta[1] as number) * (f[1] as number));
    });
    expect(calls).toEqual([0, 1]);
    expect(r.scores).toEqual([
      [1, 2, 1],
      [0, 1],
    ]);
    expect(r.chosen).toEqual([1, 1]);
    expect(r.best).toEqual([
      [0, -1],
      [-1, -1],
    ]);
  });

  it('rejects bad scores and rewards with DroError naming the group', () => {
    expectCode(() => bestOfNSelect([[1, 2], [Number.NaN]]), 'E_NONFINITE', 'scores[1][0]');
    expectCode(() => bestOfNSelect([[1, 2], []]), 'E_EMPTY', 'scores[1]');
    expectCode(() => bestOfNSelect([[1, 2], [1]], { n: 2 }), 'E_SPEC', 'options.n');
    expectCode(() => bestOfNSelect([[1]], { m: 1 } as never), 'E_SPEC', 'options.m');
    expectCode(() => bestOfN([[1, 2], [3]], () => [1, 2]), 'E_SHAPE', 'candidates[1]');
    expectCode(() => bestOfN([[1]], () => [Number.POSITIVE_INFINITY]), 'E_NONFINITE', 'scores[0][0]');
    expectCode(
      () =>
        bestOfN([[1]], () => {
          throw new TypeError('boom');
        }),
      'E_SPEC',
      'candidates[0]',
    );
  });

  it('is served as the stateless bestOfN method (client-supplied scores)', () => {
    const s = createCurriculumService();
    const reply = (params: unknown) => JSON.parse(s.handle(JSON.stringify({ id: 1, method: 'bestOfN', params })));
    expect(
      reply({
        scores: [
          [0.2, 0.7, 0.7],
          [1, 0],
        ],
        n: 2,
      }).result,
    ).toEqual({ chosen: [1, 0], bestScores: [0.7, 1] });
    expect(reply({ scores: [[0.2, 0.7, 0.7, 0.9]] }).result).toEqual({ chosen: [3], bestScores: [0.9] });
    expect(reply({ scores: [[1, 2]], n: 3 }).error.code).toBe('E_SPEC');
    expect(reply({ scores: [[1, 2]], candidates: [] }).error.code).toBe('E_SPEC');
    const hello = JSON.parse(s.handle(JSON.stringify({ id: 2, method: 'hello', params: {} })));
    expect(JSON.stringify(hello.result)).toContain('bestOfN');
  });
});
