import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DroError } from '@drojs/dro-core/host';
import { allowedHosts, checkRequest, type HttpGuardOptions, isLoopbackHost } from './httpGuard.js';
import { type CurriculumService, createCurriculumService, DEFAULT_MAX_BYTES, PROTOCOL } from './service.js';

export { isLoopbackHost } from './httpGuard.js';

function send(
  res: ServerResponse,
  status: number,
  body: string,
  close = false,
  extra: Record<string, string> = {},
): boolean {
  if (res.headersSent || res.destroyed) return false;
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...extra,
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(body);
  return true;
}

const errorBody = (code: string, reason: string, message: string): string =>
  JSON.stringify({ id: null, error: { code, message, reason } });

/**
 * Loopback HTTP transport (§13.3): `POST /rpc` (200 with the protocol reply, errors included),
 * `GET /health`, 404 for other paths, 405 for other verbs, 413 for bodies above `maxBytes`.
 * Before any body byte is read, every request must name this server in `Host` (421 otherwise: DNS rebinding),
 * carry no `Origin` or an allowed one (403: cross-origin pages), the bearer token when one is set (401), and
 * `Content-Type: application/json` on a body (415: a form or `text/plain` POST needs no CORS preflight).
 * Requests are handled synchronously once their body is complete, so concurrent clients see a serial order.
 */
export async function serveHttp(
  o: {
    host: string;
    port: number;
    maxBytes?: number;
    service?: CurriculumService;
    /** Allows binding a non-loopback address (anyone who can reach it can call the service). */
    unsafeBind?: boolean;
  } & HttpGuardOptions,
): Promise<{ url: string; close(): Promise<void>; service: CurriculumService }> {
  if (!isLoopbackHost(o.host) && o.unsafeBind !== true) {
    throw new DroError(
      'E_SPEC',
      `host ${JSON.stringify(o.host)} is not loopback; the server binds only 127.0.0.1, ::1 or localhost unless unsafeBind is set`,
      {
        argument: 'host',
      },
    );
  }
  if (o.token !== undefined && (typeof o.token !== 'string' || o.token.length === 0 || /\s/.test(o.token))) {
    throw new DroError('E_SPEC', 'token must be a non-empty string without whitespace', { argument: 'token' });
  }
  const guard: HttpGuardOptions = { allowOrigins: o.allowOrigins ?? [], token: o.token };
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
  const service = o.service ?? createCurriculumService({ maxBytes });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let hosts = new Set<string>();

  const onRequest = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '/').split('?')[0];
    const origin = req.headers.origin;
    const cors: Record<string, string> =
      origin !== undefined && (guard.allowOrigins ?? []).includes(origin)
        ? { 'access-control-allow-origin': origin, vary: 'Origin' }
        : {};
    // A CORS preflight from an allowed origin: tell the browser what it may send (Host and Origin still checked).
    if (req.method === 'OPTIONS' && origin !== undefined) {
      const refused = checkRequest(req.headers, hosts, { allowOrigins: guard.allowOrigins }, false);
      if (refused) return refuse(req, res, refused);
      res.writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'POST, GET',
        'access-control-allow-headers': 'content-type, authorization',
        'access-control-max-age': '600',
      });
      res.end();
      return true;
    }
    const refused = checkRequest(req.headers, hosts, guard, req.method === 'POST' || req.method === 'PUT');
    if (refused) return refuse(req, res, refused);
    const sendOk = (status: number, body: string, close = false) => send(res, status, body, close, cors);
    if (path === '/health') {
      if (req.method !== 'GET') return send(res, 405, errorBody('E_SPEC', 'method', `${req.method} ${path}: use GET`));
      return sendOk(200, JSON.stringify({ ok: true, protocol: PROTOCOL }));
    }
    if (path !== '/rpc') return send(res, 404, errorBody('E_SPEC', 'request', `unknown path ${path}: use POST /rpc`));
    if (req.method !== 'POST') return send(res, 405, errorBody('E_SPEC', 'method', `${req.method} /rpc: use POST`));
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      send(res, 413, service.tooLarge(declared, 'request body'), true);
      req.resume();
      return true;
    }
    const parts: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        parts.length = 0;
        send(res, 413, service.tooLarge(null, 'request body'), true);
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return;
      let text: string | null = null;
      try {
        text = decoder.decode(Buffer.concat(parts));
      } catch {
        text = null;
      }
      sendOk(200, text === null ? service.badEncoding('request body') : service.handle(text, 'request body'));
    });
    // A client that disconnects mid-body: nothing was executed, nothing to do.
    req.on('error', () => {});
    return true;
  };

  const refuse = (
    req: IncomingMessage,
    res: ServerResponse,
    r: { status: number; reason: string; message: string },
  ) => {
    // Nothing of the body is read or executed; the connection is closed so the unread body cannot be a request.
    send(res, r.status, errorBody('E_SPEC', r.reason, r.message), true);
    req.resume();
    return true;
  };

  const server = createServer((req, res) => {
    try {
      onRequest(req, res);
    } catch (e) {
      send(res, 500, errorBody('E_INTERNAL', 'internal', String(e)));
    }
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.keepAliveTimeout = 30_000;
  const bindHost = o.host === 'localhost' ? '127.0.0.1' : o.host;
  if (!isLoopbackHost(o.host)) {
    process.emitWarning(
      `rl-curriculum: serving on non-loopback address ${o.host} (unsafeBind): anyone who can reach it can call the service${o.token === undefined ? ', and no token is set' : ''}`,
    );
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  hosts = allowedHosts(addr.address, addr.port);
  if (o.host !== addr.address) for (const h of allowedHosts(o.host, addr.port)) hosts.add(h);
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    service,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
