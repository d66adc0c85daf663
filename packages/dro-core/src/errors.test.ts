import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkAborted, checkFinite, DroError, type DroErrorCode, ERROR_CODES } from './errors.js';
import { GroupDroWeights } from './group.js';
import { createRng, Rng } from './rng.js';
import { solveWeights } from './solve.js';
import { expectDroError } from './testing/index.js';
import { checkIndex, toHostMatrix, toLabels } from './validate/hostInputs.js';
import { checkOptions, opt } from './validate/options.js';
import { toTensor } from './validate/toTensor.js';

/** One fault of each kind, through the shared validators: the table's row, tested once for the whole repo. */
const PROBES: Record<DroErrorCode, () => unknown> = {
  E_DTYPE: () => toTensor('not a tensor', 'x', 'probe'),
  E_SHAPE: () => toHostMatrix([[1, 2], [3]], 'x', 'probe'),
  E_LABEL_RANGE: () => toLabels([0, 5], 'y', 'probe', { numClasses: 3 }),
  E_NONFINITE: () => checkFinite([1, Number.NaN], 'losses'),
  E_SPEC: () => checkOptions({ etaq: 1 } as never, { etaQ: opt.number() }, 'probe'),
  E_EMPTY: () => toHostMatrix([], 'x', 'probe'),
  E_STATE_VERSION: () => Rng.fromState({ ...createRng(1).getState(), kind: '@drojs/other/Other' }),
  E_INDEX_RANGE: () => checkIndex(7, 3, 'index'),
  E_RANK: () => {
    throw new DroError('E_RANK', 'probe: the design is rank-deficient', { argument: 'x' });
  },
  E_BACKEND: () => {
    throw new DroError('E_BACKEND', 'probe: no such backend', { argument: 'backend' });
  },
  E_ABORTED: () => {
    const c = new AbortController();
    c.abort();
    checkAborted(c.signal, 'probe');
  },
  E_IO: () => {
    throw new DroError('E_IO', 'probe: could not read', { argument: 'path' });
  },
  E_INTERNAL: () => {
    throw new DroError('E_INTERNAL', 'probe: invariant failed', { argument: 'solver' });
  },
};

describe('the error-code table', () => {
  it('every code has one probe, and each probe throws its code', () => {
    expect(Object.keys(PROBES).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const [code, probe] of Object.entries(PROBES)) expectDroError(probe, code);
  });
  it('the README table lists every code with its meaning', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(readme, code).toContain(`| \`${code}\` | ${meaning} |`);
    }
  });
  it('the same fault gets the same code from every entry point', () => {
    expectDroError(() => solveWeights('x' as never, { kind: 'erm' }), 'E_DTYPE');
    expectDroError(() => new GroupDroWeights({ numGroups: 2, etaq: 0.5 } as never), 'E_SPEC', 'etaq');
    const g = new GroupDroWeights({ numGroups: 2 });
    expectDroError(() => g.update('x' as never), 'E_DTYPE', 'groupLosses');
  });
});
