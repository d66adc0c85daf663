import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HANDLERS } from '../handlers/table.js';
import { createCurriculumService } from '../service.js';
import { protocolDocument, readmeTable } from './document.js';
import { checkSubset, validate } from './jsonSchema.js';
import { METHOD_SCHEMAS } from './methods.js';

const pkg = fileURLToPath(new URL('../../..', import.meta.url));
type Reply = {
  id: unknown;
  result?: Record<string, unknown>;
  error?: { code: string; reason: string; message: string; path?: string };
};

describe('protocol schema', () => {
  it('has exactly one entry per method of the handler table, each within the validated subset', () => {
    expect(Object.keys(METHOD_SCHEMAS).sort()).toEqual([...HANDLERS.keys()].sort());
    for (const [m, s] of Object.entries(METHOD_SCHEMAS)) {
      checkSubset(s.params, `${m}.params`);
      checkSubset(s.result, `${m}.result`);
      expect(s.params.type, m).toBe('object');
      expect(s.params.additionalProperties, m).toBe(false);
    }
    expect(() => checkSubset({ type: 'string', pattern: 'x' } as never, 'p')).toThrow(/pattern/);
  });

  it('the README table and protocol.schema.json are generated from it (pnpm protocol:docs)', () => {
    const readme = readFileSync(`${pkg}README.md`, 'utf8');
    const table = readme.slice(
      readme.indexOf('<!-- protocol-table:start -->') + '<!-- protocol-table:start -->'.length,
      readme.indexOf('<!-- protocol-table:end -->'),
    );
    expect(table.trim()).toBe(readmeTable().trim());
    // Every method is a row of the table, with each of its params.
    for (const [m, s] of Object.entries(METHOD_SCHEMAS)) {
      const row = table.split('\n').find((l) => l.startsWith(`| \`${m}\` |`));
      expect(row, m).toBeDefined();
      for (const p of Object.keys(s.params.properties ?? {}))
        expect(row, `${m}.${p}`).toMatch(new RegExp(`\`${p}\\??\``));
    }
    expect(JSON.parse(readFileSync(`${pkg}protocol.schema.json`, 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(protocolDocument())),
    );
  });

  it('validates requests: unknown, missing and ill-typed params are refused by name before the handler', () => {
    const s = createCurriculumService();
    let id = 0;
    const call = (method: string, params: unknown): Reply =>
      JSON.parse(s.handle(JSON.stringify({ id: ++id, method, params })));
    const cases: Array<[string, unknown, string, string]> = [
      ['create', { kind: 'dump' }, 'E_SPEC', 'controller'],
      ['create', { controller: 'x', kind: 'dump', cfg: {} }, 'E_SPEC', 'cfg'],
      ['create', { controller: 'x', kind: 'dump', config: [1] }, 'E_DTYPE', 'config'],
      ['create', { controller: 'x', kind: 'dump', replace: 'yes' }, 'E_DTYPE', 'replace'],
      ['create', { controller: 'x', kind: 'gdro' }, 'E_SPEC', 'kind'],
      ['sample', { controller: 'x', batchSize: 0 }, 'E_SPEC', 'batchSize'],
      ['sample', { controller: 'x', batchSize: 4, step: -1 }, 'E_SPEC', 'step'],
      ['allocate', { controller: 'x', uids: ['a', 7] }, 'E_DTYPE', 'uids[1]'],
      ['update', { controller: 'x', results: [1] }, 'E_DTYPE', 'results[0]'],
      ['load', { controller: 'x', state: {}, calls: 3 }, 'E_DTYPE', 'calls'],
      ['drpoKlPenalty', { kl: '0.1' }, 'E_DTYPE', 'kl'],
      ['drpoWeights', { questions: [] }, 'E_SPEC', 'options'],
      ['hello', { verbose: true }, 'E_SPEC', 'verbose'],
    ];
    for (const [m, p, code, path] of cases) {
      const r = call(m, p);
      expect([m, r.error?.code, r.error?.reason, r.error?.path]).toEqual([m, code, 'params', path]);
      expect(r.error?.message).toContain(path.replace(/\[.*$/, ''));
    }
    expect(s.mutations).toBe(0);
    expect(call('list', {}).result?.controllers).toEqual([]);
  });

  it('real replies match the result schemas', () => {
    const s = createCurriculumService();
    let id = 0;
    const checked = new Set<string>();
    const call = (method: string, params: Record<string, unknown> = {}): Record<string, unknown> => {
      const r = JSON.parse(s.handle(JSON.stringify({ id: ++id, method, params }))) as Reply;
      expect(r.error, `${method}: ${JSON.stringify(r.error)}`).toBeUndefined();
      validate(r.result, (METHOD_SCHEMAS[method] as (typeof METHOD_SCHEMAS)[string]).result, '');
      checked.add(method);
      return r.result as Record<string, unknown>;
    };
    const pool = Array.from({ length: 20 }, (_, i) => `idx:${i}`);
    call('hello');
    call('create', { controller: 'pg', kind: 'promptGdro', config: { mode: 'resample', pool } });
    call('create', { controller: 'rw', kind: 'promptGdro', config: { mode: 'reweight' } });
    call('create', { controller: 'ro', kind: 'rolloutGdro' });
    const b = call('sample', { controller: 'pg', batchSize: 4, step: 1 }) as { uids: string[] };
    call('weights', { controller: 'rw', uids: b.uids });
    call('allocate', { controller: 'ro', uids: b.uids });
    call('update', { controller: 'pg', results: b.uids.map((uid) => ({ uid, rewards: [1, 0] })) });
    call('classify', { controller: 'pg', uids: b.uids });
    call('advantages', { groups: [[1, 0, 1]] });
    call('zeroVarianceMask', {
      groups: [
        [1, 1],
        [1, 0],
      ],
    });
    call('drpoWeights', { questions: [{ lengths: [10, 20], correct: [true, false] }], options: { maxLength: 100 } });
    call('drpoKlPenalty', { kl: 0.1 });
    const st = call('state', { controller: 'pg' });
    call('load', { controller: 'pg2', ...st });
    call('list');
    call('drop', { controller: 'pg2' });
    call('close');
    expect([...checked].sort()).toEqual(
      Object.keys(METHOD_SCHEMAS)
        .filter((m) => m !== 'snapshot')
        .sort(),
    );
  });

  it('built-in names are unknown methods (dispatch only from the handler table)', () => {
    const s = createCurriculumService();
    const names = [...Object.getOwnPropertyNames(Object.prototype), 'prototype', 'call', 'apply', 'bind', 'then'];
    expect(names.length).toBeGreaterThan(15);
    for (const method of names) {
      const r = JSON.parse(s.handle(JSON.stringify({ id: 1, method, params: {} }))) as Reply;
      expect([method, r.error?.code, r.error?.reason]).toEqual([method, 'E_SPEC', 'method']);
    }
    expect(s.closed).toBe(false);
  });
});
