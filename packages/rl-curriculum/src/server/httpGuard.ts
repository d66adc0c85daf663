import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Hosts the HTTP transport binds without `unsafeBind` (loopback). */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1', 'localhost'];

/** True for the hosts the HTTP transport may bind without `unsafeBind`. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.includes(host);
}

/** Who may talk to the HTTP transport (what local developer servers check before reading a body). */
export interface HttpGuardOptions {
  /** Origins (`scheme://host[:port]`, exactly as browsers send them) allowed to call; default none. */
  allowOrigins?: readonly string[];
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
}

/** Why a request was refused before anything was read or executed. */
export interface Refusal {
  status: number;
  reason: 'host' | 'origin' | 'content-type' | 'token';
  message: string;
}

/**
 * The Host values the server answers to: the loopback names with the bound port (`127.0.0.1:P`, `localhost:P`,
 * `[::1]:P`), plus the bound address itself when it is not loopback (`unsafeBind`). A browser page on
 * `attacker.example` that rebinds its name to 127.0.0.1 still sends `Host: attacker.example:P`, so it is refused.
 */
export function allowedHosts(boundAddress: string, port: number): Set<string> {
  const names = [...new Set([...LOOPBACK_HOSTS, boundAddress])].map((h) => (h.includes(':') ? `[${h}]` : h));
  // Clients omit the default port 80 from Host.
  return new Set(names.flatMap((h) => (port === 80 ? [`${h}:80`, h] : [`${h}:${port}`])));
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(token, 'utf8');
  // Constant time for equal lengths; the length itself is not secret enough to matter.
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks one request's headers: Host, Origin, bearer token and (for a body) `Content-Type: application/json`.
 * Returns the refusal, or null when the request may be read. Order: Host and Origin first (a foreign page learns
 * nothing about the token), then the token, then the content type.
 */
export function checkRequest(
  headers: IncomingHttpHeaders,
  hosts: ReadonlySet<string>,
  o: HttpGuardOptions,
  hasBody: boolean,
): Refusal | null {
  const host = (headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) {
    return {
      status: 421,
      reason: 'host',
      message: `Host ${JSON.stringify(headers.host ?? '')} is not this server (expected one of ${[...hosts].join(', ')})`,
    };
  }
  const origin = headers.origin;
  if (origin !== undefined && !(o.allowOrigins ?? []).includes(origin)) {
    return {
      status: 403,
      reason: 'origin',
      message: `Origin ${JSON.stringify(origin)} is not allowed (start the server with --allow-origin ${origin} to allow it)`,
    };
  }
  if (o.token !== undefined) {
    const auth = headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(auth);
    if (!m || !sameSecret(m[1] as string, o.token)) {
      return {
        status: 401,
        reason: 'token',
        message: 'missing or wrong bearer token (send Authorization: Bearer <token>)',
      };
    }
  }
  if (hasBody) {
    const type = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      return {
        status: 415,
        reason: 'content-type',
        message: `Content-Type ${JSON.stringify(headers['content-type'] ?? '')} is not application/json`,
      };
    }
  }
  return null;
}
