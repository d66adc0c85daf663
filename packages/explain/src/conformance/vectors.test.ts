import { fileURLToPath } from 'node:url';
import { describeBackends, loadVectors } from '@drojs/dro-core/testing';
import { expect, it } from 'vitest';
import { evaluateVectors } from './evaluate.js';

const file = fileURLToPath(new URL('../../vectors/explain.json', import.meta.url));

describeBackends('explain vectors', ['cpu'], () => {
  it('every vendored case passes', () => {
    const out = evaluateVectors(loadVectors(file));
    expect(out.length).toBeGreaterThan(0);
    expect(out.filter((o) => o.failure !== null)).toEqual([]);
  });
  it('a corrupted expected value fails', () => {
    const data = loadVectors<{ cases: { expected: number }[] }>(file);
    data.cases[0]!.expected += 0.01;
    expect(evaluateVectors(data)[0]!.failure).not.toBeNull();
  });
});
