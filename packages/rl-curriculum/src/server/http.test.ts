import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHttp } from './http.js';
import { createCurriculumService } from './service.js';

type Reply = {
  id: unknown;
  result?: Record<string, unknown>;
  error?: { code: string; reason?: string; message: string };
};

function post(
  url: string,
  body: string | Buffer,
  agent?: Agent,
  path = '/rpc',
  method = 'POST',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(path, url);
    const req = request(
      {
        hostname: u.hostname,
        port: u.port,
        path: u.pathname,
        method,
        agent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          data += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    if (method === 'POST' || method === 'PUT') req.end(body);
    else req.end();
  });
}

const POOL = Array.from({ length: 60 }, (_, i) => `idx:${i}`);
const KINDS = [
  ['promptGdro', { mode: 'resample', pool: POOL, seed: 1 }],
  ['promptGdro', { mode: 'reweight' }],
  ['rolloutGdro', { mode: 'sqrt' }],
  ['rolloutGdro', { mode: 'exp3p' }],
  ['dump', { sources: ['a', 'b', 'c'], pool: POOL.map((uid, i) => ({ uid, source: 'abc'[i % 3] })), seed: 2 }],
  ['classifier', { numBins: 5 }],
] as const;

/** The c-th client's request generator: the next request depends only on its own previous replies. */
function* clientRequests(
  c: number,
  total: number,
): Generator<{ method: string; params: Record<string, unknown> }, void, Reply> {
  const [kind, config] = KINDS[c % KINDS.length] as (typeof KINDS)[number];
  const me = `c${c}`;
  let reply: Reply = yield { method: 'create', params: { controller: me, kind, config } };
  let sent = 1;
  let step = 0;
  const outcome = (uid: string, j: number) => ((uid.length * 7 + j * 3 + step * 5 + c) % 4 === 0 ? 1 : 0);
  while (sent < total) {
    step++;
    const batch = POOL.filter((_, i) => (i * 13 + step * 7 + c) % 10 === 0).slice(0, 5);
    let uids = batch;
    let counts = batch.map(() => 4);
    if (kind === 'promptGdro' && (config as { mode: string }).mode === 'resample') {
      reply = yield { method: 'sample', params: { controller: me, batchSize: 5, step } };
      uids = (reply.result as { uids: string[] }).uids;
    } else if (kind === 'promptGdro') {
      reply = yield { method: 'weights', params: { controller: me, uids, step } };
    } else if (kind === 'rolloutGdro') {
      reply = yield { method: 'allocate', params: { controller: me, uids, step } };
      counts = (reply.result as { counts: number[] }).counts;
    } else if (kind === 'dump') {
      reply = yield { method: 'sample', params: { controller: me, batchSize: 5, step } };
      uids = (reply.result as { uids: string[] }).uids;
    } else {
      reply = yield { method: 'classify', params: { controller: me, uids } };
    }
    sent++;
    if (sent >= total) break;
    const results = uids.map((uid, k) => ({
      uid,
      rewards: Array.from({ length: counts[k] as number }, (_, j) => outcome(uid, j)),
    }));
    reply = yield { method: 'update', params: { controller: me, results, step } };
    sent++;
    if (sent >= total) break;
    const shared = uids
      .slice(0, 2)
      .map((uid, k) => ({ uid, rewards: [1, 0, outcome(uid, k), 1], source: 'abc'[(c + k) % 3] }));
    reply = yield { method: 'update', params: { controller: 'shared', results: shared } };
    sent++;
    if (sent < total && step % 40 === 0) {
      reply = yield { method: 'state', params: { controller: me } };
      sent++;
    }
  }
}

describe('HTTP transport (loopback only)', () => {
  let server: Awaited<ReturnType<typeof serveHttp>>;
  beforeAll(async () => {
    server = await serveHttp({ host: '127.0.0.1', port: 0, maxBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses a non-loopback host', async () => {
    await expect(serveHttp({ host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ code: 'E_SPEC' });
  });

  it('16 concurrent clients × 1000 requests: ids match, owned controllers equal a sequential run, no shared update lost', async () => {
    const N = 16;
    const PER = 1000;
    expect(server.url.startsWith('http://127.0.0.1:')).toBe(true);
    const created = JSON.parse(
      (
        await post(
          server.url,
          JSON.stringify({
            id: 's',
            method: 'create',
            params: { controller: 'shared', kind: 'dump', config: { sources: ['a', 'b', 'c'] } },
          }),
        )
      ).body,
    ) as Reply;
    expect(created.result).toBeDefined();
    let sharedResponses = 0;
    const logs: Array<Array<{ method: string; params: Record<string, unknown> }>> = [];
    const runClient = async (c: number): Promise<number> => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const gen = clientRequests(c, PER);
      const log: Array<{ method: string; params: Record<string, unknown> }> = [];
      logs[c] = log;
      let next = gen.next(undefined as unknown as Reply);
      let n = 0;
      while (!next.done) {
        const id = `${c}:${n++}`;
        const req = next.value;
        log.push(req);
        const res = await post(server.url, JSON.stringify({ id, ...req }), agent);
        expect(res.status).toBe(200);
        const reply = JSON.parse(res.body) as Reply;
        expect(reply.id).toBe(id);
        expect(reply.error, JSON.stringify(reply.error)).toBeUndefined();
        if (req.params.controller === 'shared') {
          for (const r of req.params.results as Array<{ rewards: number[] }>) sharedResponses += r.rewards.length;
        }
        next = gen.next(reply);
      }
      agent.destroy();
      return n;
    };
    const counts = await Promise.all(Array.from({ length: N }, (_, c) => runClient(c)));
    expect(counts.every((n) => n === PER)).toBe(true);

    // Each owned controller equals a single-client sequential replay of its requests.
    for (let c = 0; c < N; c++) {
      const ref = createCurriculumService();
      ref.handle(
        JSON.stringify({
          id: 0,
          method: 'create',
          params: { controller: 'shared', kind: 'dump', config: { sources: ['a', 'b', 'c'] } },
        }),
      );
      for (const req of logs[c] as Array<{ method: string; params: Record<string, unknown> }>) {
        const r = JSON.parse(ref.handle(JSON.stringify({ id: 1, ...req }))) as Reply;
        expect(r.error).toBeUndefined();
      }
      const want = JSON.parse(
        ref.handle(JSON.stringify({ id: 2, method: 'state', params: { controller: `c${c}` } })),
      ) as Reply;
      const got = JSON.parse(
        (await post(server.url, JSON.stringify({ id: 3, method: 'state', params: { controller: `c${c}` } }))).body,
      ) as Reply;
      expect(got.result).toEqual(want.result);
    }
    const shared = JSON.parse(
      (await post(server.url, JSON.stringify({ id: 4, method: 'weights', params: { controller: 'shared' } }))).body,
    ) as {
      result: { metrics: { n: Record<string, number> } };
    };
    const totalN = Object.values(shared.result.metrics.n).reduce((a, b) => a + b, 0);
    expect(totalN).toBe(sharedResponses);
  }, 180_000);

  it('wrong paths and verbs, oversized bodies, bad JSON and a client vanishing mid-body leave state unchanged', async () => {
    const call = async (method: string, params: unknown) =>
      JSON.parse((await post(server.url, JSON.stringify({ id: 1, method, params }))).body) as Reply;
    await call('create', { controller: 'probe', kind: 'classifier', config: {}, replace: true });
    await call('update', { controller: 'probe', results: [{ uid: 'u', rewards: [1, 0] }] });
    const before = JSON.stringify((await call('state', { controller: 'probe' })).result);

    expect((await post(server.url, '', undefined, '/nope', 'GET')).status).toBe(404);
    expect((await post(server.url, '', undefined, '/rpc', 'GET')).status).toBe(405);
    expect((await post(server.url, '{}', undefined, '/health', 'PUT')).status).toBe(405);
    const health = await post(server.url, '', undefined, '/health', 'GET');
    expect(JSON.parse(health.body)).toEqual({ ok: true, protocol: 1 });
    const big = await post(
      server.url,
      JSON.stringify({ id: 1, method: 'hello', params: { pad: 'x'.repeat(70 * 1024) } }),
    );
    expect(big.status).toBe(413);
    expect((JSON.parse(big.body) as Reply).error?.reason).toBe('too-large');
    const badJson = JSON.parse((await post(server.url, '{"id":1,')).body) as Reply;
    expect(badJson.error?.reason).toBe('parse');
    const badUtf8 = JSON.parse((await post(server.url, Buffer.from([0x7b, 0xff, 0x7d]))).body) as Reply;
    expect(badUtf8.error?.reason).toBe('parse');
    const typed = await call('update', { controller: 'probe', results: [{ uid: 'u', rewards: 'many' }] });
    expect(typed.error?.code).toBe('E_DTYPE');

    // A client that sends half a body and disconnects.
    const port = Number(new URL(server.url).port);
    await new Promise<void>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.write(
          'POST /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"id":9,"method":"update","par',
        );
        setTimeout(() => {
          sock.destroy();
          resolve();
        }, 50);
      });
    });
    expect(JSON.stringify((await call('state', { controller: 'probe' })).result)).toBe(before);
    expect((await call('hello', {})).result?.protocol).toBe(1);
  }, 60_000);
});
