import { fileURLToPath } from 'node:url';
import { describeBackends, loadVectors } from '@drojs/dro-core/testing';
import { expect, it } from 'vitest';
import { evaluateVectors } from './evaluate.js';

const file = fileURLToPath(new URL('../../vectors/explain.json', import.meta.url));
type Vectors = Record<string, { name: string; input: Record<string, unknown>; expected: Record<string, unknown> }[]>;

describeBackends('explain vectors', ['cpu', 'wasm'], () => {
  it('every vendored case passes', () => {
    const out = evaluateVectors(loadVectors(file));
    expect(out.length).toBeGreaterThan(48);
    expect(out.filter((o) => o.failure !== null)).toEqual([]);
  });

  it('a corrupted copy fails (a loss value, a hard-mask pixel, an error code, a pointing null)', () => {
    const corrupt = (f: (d: Vectors) => void) => {
      const d = loadVectors<Vectors>(file);
      f(d);
      return evaluateVectors(d).filter((o) => o.failure !== null).length;
    };
    expect(corrupt((d) => ((d.comet_loss![0]!.expected.total as number) += 1e-3))).toBe(1);
    expect(
      corrupt((d) => {
        const m = d.mask_upsample![0]!.expected.hardMask as number[][][];
        m[0]![0]![0] = 1 - m[0]![0]![0]!;
      }),
    ).toBe(1);
    expect(corrupt((d) => (d.errors![0]!.expected.error = 'E_SPEC'))).toBe(1);
    expect(corrupt((d) => ((d.pointing![2]!.expected.scores as unknown[])[0] = 0))).toBe(1);
  });

  it('an unknown family fails unless its cases have the training-replay shape', () => {
    const d = loadVectors<Vectors>(file);
    const out = evaluateVectors({ _meta: {}, bogus: d.mask_iou });
    expect(out).toEqual([{ id: 'bogus', failure: 'unknown family' }]);
  });
});
