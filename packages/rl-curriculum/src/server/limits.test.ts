import { request } from 'node:http';
import { expectDroError } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { serveHttp } from './http.js';
import { DEFAULT_LIMITS } from './limits.js';
import { createCurriculumService } from './service.js';

type Reply = {
  id: unknown;
  result?: Record<string, unknown>;
  error?: { code: string; reason: string; message: string; path?: string };
};

function setup(limits = {}, poolSize = 40) {
  const s = createCurriculumService({ limits });
  let id = 0;
  const call = (method: string, params: unknown = {}): Reply =>
    JSON.parse(s.handle(JSON.stringify({ id: ++id, method, params })));
  const pool = Array.from({ length: poolSize }, (_, i) => `idx:${i}`);
  expect(
    call('create', { controller: 'pg', kind: 'promptGdro', config: { mode: 'resample', pool, seed: 1 } }).result,
  ).toBeDefined();
  expect(call('create', { controller: 'du', kind: 'dump', config: { sources: ['a', 'b'] } }).result).toBeDefined();
  return { s, call };
}

describe('size limits: refused before any allocation, state unchanged, process serving', () => {
  // With the defaults: each of these once aborted the process or held it for minutes (issue #12 item 6).
  const huge: Array<[string, string, Record<string, unknown>, string]> = [
    ['sample batchSize 1e9', 'sample', { controller: 'pg', batchSize: 1e9 }, 'batchSize'],
    ['sample batchSize 1e8', 'sample', { controller: 'du', batchSize: 1e8, step: 1 }, 'batchSize'],
    [
      'classifier numBins 1e9',
      'create',
      { controller: 'c', kind: 'classifier', config: { numBins: 1e9 } },
      'config.numBins',
    ],
    [
      'nested classifier numBins',
      'create',
      { controller: 'p', kind: 'promptGdro', config: { classifier: { numBins: 5e6 } } },
      'config.classifier.numBins',
    ],
    [
      'historyLen 1e12',
      'create',
      { controller: 'c', kind: 'classifier', config: { historyLen: 1e12 } },
      'config.historyLen',
    ],
    [
      'DUMP window 1e10',
      'create',
      { controller: 'd', kind: 'dump', config: { sources: ['a'], window: 1e10 } },
      'config.window',
    ],
    [
      'exp3p arms nMax 1e9',
      'create',
      { controller: 'r', kind: 'rolloutGdro', config: { mode: 'exp3p', nMax: 1e9 } },
      'config.nMax',
    ],
    ['totalBudget 1e15', 'allocate', { controller: 'pg', uids: ['a'], totalBudget: 1e15 }, 'totalBudget'],
    [
      'a loaded state with numBins 1e9',
      'load',
      { controller: 'x', state: { kind: 'k', options: { numBins: 1e9 } } },
      'state.options.numBins',
    ],
  ];
  for (const [name, method, params, path] of huge) {
    it(name, () => {
      const { s, call } = setup();
      const before = JSON.stringify(s.snapshot());
      const r = call(method, params);
      expect(r.error?.code).toBe('E_SPEC');
      expect(r.error?.reason).toBe('limit');
      expect(r.error?.path).toBe(path);
      expect(r.error?.message).toMatch(/--max-[a-z-]+/);
      expect(JSON.stringify(s.snapshot())).toBe(before);
      expect(s.mutations).toBe(0 + 2);
      expect(call('sample', { controller: 'pg', batchSize: 3 }).result?.uids).toHaveLength(3);
    });
  }

  it('limits are options: exactly at the limit passes, one above is refused', () => {
    const { call } = setup({ maxBatchSize: 8, maxBins: 6, maxItems: 8, maxControllers: 3 }, 8);
    expect(call('sample', { controller: 'pg', batchSize: 8 }).result?.uids).toHaveLength(8);
    expect(call('sample', { controller: 'pg', batchSize: 9 }).error?.reason).toBe('limit');
    expect(call('create', { controller: 'c6', kind: 'classifier', config: { numBins: 6 } }).result).toBeDefined();
    expect(call('create', { controller: 'c7', kind: 'classifier', config: { numBins: 7 } }).error?.reason).toBe(
      'limit',
    );
    // edges: 6 edges = 7 bins
    expect(
      call('create', { controller: 'c7', kind: 'classifier', config: { edges: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] } }).error
        ?.reason,
    ).toBe('limit');
    expect(call('classify', { controller: 'c6', uids: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] }).result).toBeDefined();
    const six = call('classify', { controller: 'c6', uids: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] });
    expect([six.error?.reason, six.error?.path]).toEqual(['limit', 'uids.length']);
    const nested = call('update', { controller: 'c6', results: [{ uid: 'a', rewards: [1, 0, 1, 0, 1, 0, 1, 0, 1] }] });
    expect([nested.error?.reason, nested.error?.path]).toEqual(['limit', 'results[0].rewards.length']);
    // 3 controllers exist (pg, du, c6): a fourth is refused, replacing one is not.
    expect(call('create', { controller: 'c4', kind: 'classifier' }).error?.reason).toBe('limit');
    expect(call('create', { controller: 'c6', kind: 'classifier', replace: true }).result).toBeDefined();
    expect(call('drop', { controller: 'c6' }).result).toEqual({});
    expect(call('create', { controller: 'c4', kind: 'classifier' }).result).toBeDefined();
  });

  it('bad limit values are rejected by name', () => {
    expect(() => createCurriculumService({ limits: { maxBatchSize: 0 } })).toThrow(/--max-batch-size/);
    expect(() => createCurriculumService({ limits: { maxBins: 1.5 } })).toThrow(/--max-bins/);
    expect(() => createCurriculumService({ limits: { maxBogus: 3 } as never })).toThrow(/maxBogus/);
    expect(DEFAULT_LIMITS.maxBatchSize).toBe(65_536);
  });

  it('HTTP: a chunked body (no Content-Length) over --max-bytes is cut off while reading with 413', async () => {
    const service = createCurriculumService({ maxBytes: 1024 });
    const server = await serveHttp({ host: '127.0.0.1', port: 0, maxBytes: 1024, service });
    try {
      const port = Number(new URL(server.url).port);
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/rpc',
            headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
          },
          (r) => {
            let data = '';
            r.setEncoding('utf8');
            r.on('data', (d) => {
              data += d;
            });
            r.on('end', () => resolve({ status: r.statusCode ?? 0, body: data }));
          },
        );
        req.on('error', reject);
        req.write('{"id":1,"method":"close","params":{"pad":"');
        // 64 chunks of 512 bytes; the server answers after the third and never parses the body.
        let n = 0;
        const more = (): void => {
          if (n++ < 64 && !req.destroyed) req.write('x'.repeat(512), () => setImmediate(more));
          else req.end('"}}');
        };
        more();
      });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body).error.reason).toBe('too-large');
      expect(service.closed).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe('resolveLimits', () => {
  it('rejects an unknown limit or a bad value with a DroError naming it', async () => {
    const { resolveLimits } = await import('./limits.js');
    expectDroError(() => resolveLimits({ maxBatchSise: 5 } as never), 'E_SPEC', 'maxBatchSise');
    expectDroError(() => resolveLimits({ maxBatchSize: 0 }), 'E_SPEC', 'maxBatchSize');
    expect(resolveLimits({ maxBatchSize: 7 }).maxBatchSize).toBe(7);
  });
});
