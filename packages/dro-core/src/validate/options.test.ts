import { describe, expect, it } from 'vitest';
import { expectDroError } from '../testing/index.js';
import { checkOptions, opt } from './options.js';

const schema = {
  lr: opt.number({ min: 0, minExclusive: true }).require(),
  mode: opt.oneOf(['soft', 'hard']),
  steps: opt.integer({ min: 1 }),
  seed: opt.seed(),
  verbose: opt.boolean(),
  onProgress: opt.function(),
  signal: opt.signal(),
};

describe('checkOptions', () => {
  it('returns the options unchanged when every key is known and valid', () => {
    const o = { lr: 0.1, mode: 'soft' as const, steps: 3, seed: 'run-1', verbose: true, onProgress: () => {} };
    expect(checkOptions(o, schema, 'Thing')).toBe(o);
    expect(checkOptions({ lr: 1, signal: new AbortController().signal }, schema, 'Thing').lr).toBe(1);
  });
  it('rejects an unknown key by name, listing the accepted ones', () => {
    let err: unknown;
    try {
      checkOptions({ lr: 0.1, mdoe: 'soft' } as never, schema, 'Eacs');
    } catch (e) {
      err = e;
    }
    expect((err as { code: string }).code).toBe('E_SPEC');
    const msg = (err as Error).message;
    expect(msg).toContain("'mdoe'");
    expect(msg).toContain('Eacs');
    for (const k of Object.keys(schema)) expect(msg).toContain(k);
  });
  it('names every unknown key of a call, not only the first', () => {
    let err: unknown;
    try {
      checkOptions({ model: 1, lr: 0.1, sigam: 0.5 } as never, schema, 'Thing');
    } catch (e) {
      err = e;
    }
    expect((err as { code: string }).code).toBe('E_SPEC');
    expect((err as Error).message).toContain("unknown options 'model', 'sigam'");
  });
  it('rejects bad values naming the key', () => {
    expectDroError(() => checkOptions({ lr: 0 }, schema, 'T'), 'E_SPEC', 'lr');
    expectDroError(() => checkOptions({ lr: 1, mode: 'medium' } as never, schema, 'T'), 'E_SPEC', 'mode');
    expectDroError(() => checkOptions({ lr: 1, steps: 1.5 }, schema, 'T'), 'E_SPEC', 'steps');
    expectDroError(() => checkOptions({ lr: 1, seed: -1 }, schema, 'T'), 'E_SPEC', 'seed');
    expectDroError(() => checkOptions({ lr: 1, verbose: 1 } as never, schema, 'T'), 'E_SPEC', 'verbose');
    expectDroError(() => checkOptions({ lr: 1, onProgress: 3 } as never, schema, 'T'), 'E_SPEC', 'onProgress');
    expectDroError(() => checkOptions({ lr: 1, signal: {} } as never, schema, 'T'), 'E_SPEC', 'signal');
  });
  it('requires required keys and accepts undefined optional ones', () => {
    expectDroError(() => checkOptions({} as never, schema, 'T'), 'E_SPEC', 'lr');
    expectDroError(() => checkOptions(undefined as never, schema, 'T'), 'E_SPEC', 'lr');
    expect(checkOptions(undefined, { a: opt.number() }, 'T')).toEqual({});
    expect(checkOptions({ lr: 2, mode: undefined }, schema, 'T').lr).toBe(2);
  });
  it('rejects a non-object', () => {
    expectDroError(() => checkOptions(3 as never, schema, 'T'), 'E_SPEC', 'T');
    expectDroError(() => checkOptions([] as never, schema, 'T'), 'E_SPEC', 'T');
  });
});
