import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DroError } from '@drojs/dro-core/host';
import { type CurriculumService, createCurriculumService, DEFAULT_MAX_BYTES, PROTOCOL } from './service.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** True for the hosts the HTTP transport may bind (loopback only; there is no authentication). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host);
}

function send(res: ServerResponse, status: number, body: string, close = false): boolean {
  if (res.headersSent || res.destroyed) return false;
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
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
 * Requests are handled synchronously once their body is complete, so concurrent clients see a serial order.
 */
export async function serveHttp(o: {
  host: string;
  port: number;
  maxBytes?: number;
  service?: CurriculumService;
}): Promise<{ url: string; close(): Promise<void>; service: CurriculumService }> {
  if (!isLoopbackHost(o.host)) {
    throw new DroError(
      'E_SPEC',
      `host ${JSON.stringify(o.host)} is not loopback; the server binds only 127.0.0.1, ::1 or localhost`,
      {
        argument: 'host',
      },
    );
  }
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
  const service = o.service ?? createCurriculumService({ maxBytes });
  const decoder = new TextDecoder('utf-8', { fatal: true });

  const onRequest = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') {
      if (req.method !== 'GET') return send(res, 405, errorBody('E_SPEC', 'method', `${req.method} ${path}: use GET`));
      return send(res, 200, JSON.stringify({ ok: true, protocol: PROTOCOL }));
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
      send(res, 200, text === null ? service.badEncoding('request body') : service.handle(text, 'request body'));
    });
    // A client that disconnects mid-body: nothing was executed, nothing to do.
    req.on('error', () => {});
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
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
