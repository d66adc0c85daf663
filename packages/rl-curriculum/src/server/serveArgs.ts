import { DEFAULT_LIMITS, LIMIT_OPTIONS, type ServiceLimits } from './limits.js';
import { DEFAULT_MAX_BYTES } from './protocol.js';

/** Environment variable holding the HTTP bearer token (preferred to `--token`, which `ps` shows). */
export const TOKEN_ENV = 'RL_CURRICULUM_TOKEN';

export const USAGE = `usage:
  rl-curriculum serve --stdio [options]
  rl-curriculum serve --http 127.0.0.1:PORT [--token T] [--allow-origin ORIGIN]... [--unsafe-bind] [options]
  rl-curriculum version
  rl-curriculum --help

HTTP safety (loopback developer-server rules):
  Requests must send Host 127.0.0.1:PORT / localhost:PORT / [::1]:PORT (else 421), no Origin header unless
  allowed (else 403) and Content-Type: application/json (else 415).
  --token T             require Authorization: Bearer T (else 401); the ${TOKEN_ENV} environment variable
                        sets it without showing it in the process list
  --allow-origin O      allow browser pages of origin O (e.g. http://localhost:5173); repeatable
  --unsafe-bind         allow a non-loopback HOST (anyone who can reach it can call the service); warns

Options:
  --max-bytes N         largest request line/body (default ${DEFAULT_MAX_BYTES}); checked while reading
${(Object.keys(LIMIT_OPTIONS) as (keyof ServiceLimits)[])
  .map((k) => `  ${`${LIMIT_OPTIONS[k]} N`.padEnd(22)}limit (default ${DEFAULT_LIMITS[k]})`)
  .join('\n')}
  --state-file FILE     restore every controller from FILE on start (if it exists) and write snapshots to it
                        atomically (temporary file + fsync + rename): after every K-th state-changing request
                        (--snapshot-every, default 1), on the 'snapshot' method, on close, EOF, SIGINT and SIGTERM.
                        A failed write is answered with E_IO (state kept in memory, server keeps serving);
                        temporary files of interrupted snapshots are removed on start.`;

/** What `serve` was asked to do. */
export interface ServeArgs {
  stdio: boolean;
  http?: { host: string; port: number };
  maxBytes: number;
  limits: Partial<ServiceLimits>;
  stateFile?: string;
  every: number;
  token?: string;
  allowOrigins: string[];
  unsafeBind: boolean;
}

/** Parses `serve`'s arguments; throws an Error with the message to print (exit 2). */
export function parseServeArgs(rest: readonly string[], env: NodeJS.ProcessEnv): ServeArgs {
  const out: ServeArgs = {
    stdio: false,
    maxBytes: DEFAULT_MAX_BYTES,
    limits: {},
    every: 1,
    allowOrigins: [],
    unsafeBind: false,
  };
  let http: string | undefined;
  const byOption = new Map(Object.entries(LIMIT_OPTIONS).map(([k, o]) => [o, k as keyof ServiceLimits]));
  const positive = (name: string, v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
    return n;
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const limit = byOption.get(a);
    if (a === '--stdio') out.stdio = true;
    else if (a === '--http') http = value();
    else if (a === '--max-bytes') out.maxBytes = positive(a, value());
    else if (limit !== undefined) out.limits[limit] = positive(a, value());
    else if (a === '--state-file') out.stateFile = value();
    else if (a === '--snapshot-every') out.every = positive(a, value());
    else if (a === '--token') out.token = value();
    else if (a === '--allow-origin') {
      const o = value();
      // Browsers send the serialised origin: scheme://host[:port], no path, no trailing slash.
      if (!/^[a-z][a-z0-9+.-]*:\/\/[^/\s]+$/i.test(o))
        throw new Error(`--allow-origin expects scheme://host[:port], got ${JSON.stringify(o)}`);
      out.allowOrigins.push(o);
    } else if (a === '--unsafe-bind') out.unsafeBind = true;
    else throw new Error(`unknown option ${JSON.stringify(a)}`);
  }
  if (out.stdio === (http !== undefined)) throw new Error('choose exactly one of --stdio and --http HOST:PORT');
  if (http !== undefined) {
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(http);
    if (!m) throw new Error(`--http expects HOST:PORT, got ${JSON.stringify(http)}`);
    out.http = { host: (m[1] as string).replace(/^\[|\]$/g, ''), port: Number(m[2]) };
    if (out.token === undefined && env[TOKEN_ENV] !== undefined && env[TOKEN_ENV] !== '') out.token = env[TOKEN_ENV];
    if (out.token !== undefined && (out.token === '' || /\s/.test(out.token)))
      throw new Error('the token must be non-empty and contain no whitespace');
  } else if (out.token !== undefined || out.allowOrigins.length > 0 || out.unsafeBind) {
    throw new Error('--token, --allow-origin and --unsafe-bind apply to --http only');
  }
  return out;
}
