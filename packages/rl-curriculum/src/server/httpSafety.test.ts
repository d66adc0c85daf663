import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHttp } from './http.js';
import { createCurriculumService } from './service.js';

type Res = { status: number; body: string; headers: Record<string, string | string[] | undefined> };

/** One request over real loopback HTTP with exactly the given headers (Host included). */
function raw(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, setHost: false, agent: false }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        data += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const TOKEN = 'test-token-7f3a';
const ALLOWED = 'http://localhost:5173';

describe('HTTP safety: foreign Host, Origin, content type and missing token are refused with nothing executed', () => {
  let server: Awaited<ReturnType<typeof serveHttp>>;
  let port: number;
  const service = createCurriculumService();
  const good = (): Record<string, string> => ({
    host: `127.0.0.1:${port}`,
    'content-type': 'application/json',
    authorization: `Bearer ${TOKEN}`,
  });
  const rpc = (body: unknown, headers: Record<string, string>) =>
    raw(port, 'POST', '/rpc', headers, JSON.stringify(body));

  beforeAll(async () => {
    server = await serveHttp({ host: '127.0.0.1', port: 0, service, token: TOKEN, allowOrigins: [ALLOWED] });
    port = Number(new URL(server.url).port);
    const r = await rpc({ id: 1, method: 'create', params: { controller: 'probe', kind: 'classifier' } }, good());
    expect(JSON.parse(r.body).result).toEqual(expect.objectContaining({ controller: 'probe' }));
  });
  afterAll(async () => {
    await server.close();
  });

  // Each attack sends state-changing requests (drop the controller, then close the server).
  const drop = { id: 2, method: 'drop', params: { controller: 'probe' } };
  const close = { id: 3, method: 'close', params: {} };
  const cases: Array<[string, (h: Record<string, string>) => Record<string, string>, number, string]> = [
    [
      'a text/plain POST from a foreign page',
      (h) => ({ ...h, 'content-type': 'text/plain', origin: 'http://evil.example' }),
      403,
      'origin',
    ],
    ['a JSON POST with a foreign Origin', (h) => ({ ...h, origin: 'http://evil.example' }), 403, 'origin'],
    ['Origin null (sandboxed iframe, file://)', (h) => ({ ...h, origin: 'null' }), 403, 'origin'],
    ['an allowed origin with another port', (h) => ({ ...h, origin: 'http://localhost:5174' }), 403, 'origin'],
    ['DNS rebinding: foreign Host', (h) => ({ ...h, host: `evil.example:${port}` }), 421, 'host'],
    ['Host with another port', (h) => ({ ...h, host: `127.0.0.1:${port + 1}` }), 421, 'host'],
    ['Host without port', (h) => ({ ...h, host: '127.0.0.1' }), 421, 'host'],
    ['text/plain without Origin', (h) => ({ ...h, 'content-type': 'text/plain' }), 415, 'content-type'],
    ['a form POST', (h) => ({ ...h, 'content-type': 'application/x-www-form-urlencoded' }), 415, 'content-type'],
    ['multipart', (h) => ({ ...h, 'content-type': 'multipart/form-data; boundary=x' }), 415, 'content-type'],
    ['no Content-Type', ({ 'content-type': _c, ...h }) => h, 415, 'content-type'],
    ['no token', ({ authorization: _a, ...h }) => h, 401, 'token'],
    ['a wrong token', (h) => ({ ...h, authorization: 'Bearer wrong-token-7f3a' }), 401, 'token'],
    ['a token prefix', (h) => ({ ...h, authorization: `Bearer ${TOKEN.slice(0, -1)}` }), 401, 'token'],
    ['Basic instead of Bearer', (h) => ({ ...h, authorization: `Basic ${TOKEN}` }), 401, 'token'],
  ];
  for (const [name, headers, status, reason] of cases) {
    it(`${name} → ${status} ${reason}`, async () => {
      const before = JSON.stringify(service.snapshot());
      const mutations = service.mutations;
      for (const body of [drop, close]) {
        const r = await rpc(body, headers(good()));
        expect(r.status).toBe(status);
        expect(r.headers.connection).toBe('close');
        expect(r.headers['access-control-allow-origin']).toBeUndefined();
        const reply = JSON.parse(r.body) as { error: { code: string; reason: string; message: string } };
        expect(reply.error.reason).toBe(reason);
        expect(reply.error.message.length).toBeGreaterThan(10);
      }
      expect(service.closed).toBe(false);
      expect(service.mutations).toBe(mutations);
      expect(JSON.stringify(service.snapshot())).toBe(before);
      expect(JSON.parse((await rpc({ id: 4, method: 'list' }, good())).body).result.controllers).toEqual([
        { controller: 'probe', kind: 'classifier' },
      ]);
    });
  }

  it('GET /health is guarded too; the loopback names and the allowed origin are served', async () => {
    expect(
      (await raw(port, 'GET', '/health', { host: `evil.example:${port}`, authorization: `Bearer ${TOKEN}` })).status,
    ).toBe(421);
    expect((await raw(port, 'GET', '/health', { host: `127.0.0.1:${port}` })).status).toBe(401);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      const r = await raw(port, 'GET', '/health', { host, authorization: `Bearer ${TOKEN}` });
      expect(r.status, host).toBe(200);
    }
    const fromAllowed = await rpc(
      { id: 5, method: 'hello' },
      { ...good(), origin: ALLOWED, 'content-type': 'application/json; charset=utf-8' },
    );
    expect(fromAllowed.status).toBe(200);
    expect(fromAllowed.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(JSON.parse(fromAllowed.body).result.protocol).toBe(1);
  });

  it('CORS preflight: answered for the allowed origin only', async () => {
    const pre = (origin: string, host = `127.0.0.1:${port}`) =>
      raw(port, 'OPTIONS', '/rpc', { host, origin, 'access-control-request-method': 'POST' });
    const ok = await pre(ALLOWED);
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(ok.headers['access-control-allow-headers']).toContain('authorization');
    expect((await pre('http://evil.example')).status).toBe(403);
    expect((await pre(ALLOWED, `evil.example:${port}`)).status).toBe(421);
  });

  it('a refused request is answered before its body is read (a 1 GB declared body, 30 bytes sent)', async () => {
    const mutations = service.mutations;
    const text = await new Promise<string>((resolve) => {
      let got = '';
      const sock = connect(port, '127.0.0.1', () => {
        sock.write(
          `POST /rpc HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://evil.example\r\nContent-Type: text/plain\r\nContent-Length: 1000000000\r\n\r\n{"id":3,"method":"close","p`,
        );
      });
      sock.setEncoding('utf8');
      sock.on('data', (d) => {
        got += d;
      });
      sock.on('close', () => resolve(got));
    });
    expect(text.startsWith('HTTP/1.1 403')).toBe(true);
    expect(text.toLowerCase()).toContain('connection: close');
    expect(service.mutations).toBe(mutations);
    expect(service.closed).toBe(false);
  });

  it('refuses to bind a non-loopback address without unsafeBind, and an empty token', async () => {
    await expect(serveHttp({ host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ code: 'E_SPEC', argument: 'host' });
    await expect(serveHttp({ host: '127.0.0.1', port: 0, token: '' })).rejects.toMatchObject({
      code: 'E_SPEC',
      argument: 'token',
    });
  });
});
