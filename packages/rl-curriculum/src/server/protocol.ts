/** Protocol version of the JSON-lines / HTTP service (§13). */
export const PROTOCOL = 1;
/** Default bound of one request line/body: 64 MiB. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** Why a request failed (`error.reason` of a reply, §13.2). */
export type Reason =
  | 'parse'
  | 'request'
  | 'method'
  | 'params'
  | 'controller'
  | 'exists'
  | 'too-large'
  | 'step-conflict'
  | 'stale-step'
  | 'limit'
  | 'io'
  | 'internal';

/** A protocol failure with its `reason` (§13.2). */
export class ProtocolError extends Error {
  constructor(
    readonly code: string,
    readonly reason: Reason,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** Canonical JSON: object keys sorted recursively, no whitespace, numbers as JSON.stringify prints them. */
export function canonicalJson(x: unknown): string {
  if (x === null || typeof x !== 'object') return JSON.stringify(x) ?? 'null';
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(',')}]`;
  const o = x as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

/** Rejects a parameter the method does not take and a missing required one (`E_SPEC`/`params`). */
export function checkParams(p: Record<string, unknown>, allowed: readonly string[], required: readonly string[]): void {
  for (const k of Object.keys(p)) {
    if (!allowed.includes(k))
      throw new ProtocolError(
        'E_SPEC',
        'params',
        `params.${k} is not a parameter of this method (accepted: ${allowed.join(', ')})`,
        k,
      );
  }
  for (const k of required) {
    if (p[k] === undefined) throw new ProtocolError('E_SPEC', 'params', `params.${k} is required`, k);
  }
}
