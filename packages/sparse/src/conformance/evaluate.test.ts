import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateVectors } from './evaluate.js';

const file = JSON.parse(readFileSync(new URL('../../vectors/sparse.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

describe('conformance on the vendored public vectors', () => {
  it('every check passes', () => {
    const out = evaluateVectors(file);
    expect(out.length).toBeGreaterThan(200);
    expect(out.filter((o) => o.failure !== null)).toEqual([]);
  });

  it('a copy with one expected value changed fails exactly there; an unknown family fails', () => {
    const copy = JSON.parse(JSON.stringify(file)) as { path: { expected: { deviance: number[] } }[] };
    copy.path[1]!.expected.deviance[2]! *= 1.001;
    const out = evaluateVectors(copy as unknown as Record<string, unknown>);
    const failed = out.filter((o) => o.failure !== null);
    expect(failed.map((o) => o.id)).toEqual(['path/path-gaussian-scad-n<p:deviance']);
    const extra = evaluateVectors({ mystery: [{ name: 'x', input: {}, expected: { a: 1 } }] });
    expect(extra[0]!.failure).toContain('no evaluator');
  });

  it('an error case that does not raise fails', () => {
    const out = evaluateVectors({
      errors: [{ name: 'penalty-ok', input: { penalty: 'lasso', lambda: 1 }, expected: { error: 'E_SPEC' } }],
    });
    expect(out[0]!.failure).not.toBeNull();
  });
});
