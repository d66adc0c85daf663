#!/usr/bin/env node
// rl-curriculum / drojs-curriculum CLI: `serve --stdio | --http HOST:PORT [options]`, `version`, `--help`
// (options and their defaults: src/server/serveArgs.ts).
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLoopbackHost, serveHttp } from './server/http.js';
import { ProtocolError } from './server/protocol.js';
import { parseServeArgs, type ServeArgs, USAGE } from './server/serveArgs.js';
import { type CurriculumService, createCurriculumService, PROTOCOL, type ServiceSnapshot } from './server/service.js';
import { cleanStaleTemps, writeAtomic } from './server/stateFile.js';
import { serveStdio } from './server/stdio.js';

const PACKAGE = '@drojs/rl-curriculum';

function die(message: string): never {
  process.stderr.write(`rl-curriculum: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/** This package's package.json next to the running module (bin links resolved: npm links, pnpm shims). */
function version(): string {
  const candidates: string[] = [];
  try {
    candidates.push(join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'));
  } catch {
    // CommonJS build: no import.meta.url; fall back to the script path below.
  }
  try {
    candidates.push(join(dirname(realpathSync(process.argv[1] ?? '')), '..', 'package.json'));
  } catch {}
  for (const c of candidates) {
    try {
      const pkg = JSON.parse(readFileSync(c, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE && typeof pkg.version === 'string') return pkg.version;
    } catch {}
  }
  return 'unknown';
}

/** The reply to send instead of `reply` when its snapshot failed: same id, E_IO, and what happened. */
function ioReply(reply: string, e: ProtocolError): string {
  let id: unknown = null;
  try {
    id = (JSON.parse(reply) as { id?: unknown }).id ?? null;
  } catch {}
  const message = `${e.message}; the request was executed and its effect is kept in memory (a retry with the same step key answers the same reply); the server keeps serving and writes the snapshot again after the next state-changing request or on 'snapshot'`;
  return JSON.stringify({ id, error: { code: e.code, message, reason: e.reason } });
}

async function serve(args: ServeArgs): Promise<void> {
  let service: CurriculumService;
  try {
    service = createCurriculumService({ maxBytes: args.maxBytes, limits: args.limits });
  } catch (e) {
    die((e as Error).message);
  }
  const { stateFile, every } = args;
  let lastSaved = -1;
  const save = (): string => {
    if (!stateFile) return '';
    writeAtomic(stateFile, JSON.stringify(service.snapshot()));
    lastSaved = service.mutations;
    return stateFile;
  };
  /** A final snapshot (close, EOF, signal): a failure is reported, never thrown. */
  const finalSave = (): boolean => {
    try {
      save();
      return true;
    } catch (e) {
      process.stderr.write(`rl-curriculum: final snapshot failed: ${(e as Error).message}\n`);
      return false;
    }
  };
  if (stateFile) {
    for (const p of cleanStaleTemps(stateFile))
      process.stderr.write(`rl-curriculum: removed ${p} (an interrupted snapshot)\n`);
    if (existsSync(stateFile)) {
      try {
        service.restore(JSON.parse(readFileSync(stateFile, 'utf8')) as ServiceSnapshot);
        process.stderr.write(`rl-curriculum: restored controllers from ${stateFile}\n`);
      } catch (e) {
        die(`cannot restore ${stateFile}: ${(e as Error).message}`);
      }
    } else if (!existsSync(dirname(stateFile))) {
      process.stderr.write(
        `rl-curriculum: warning: the directory of ${stateFile} does not exist; state-changing requests get E_IO until it does\n`,
      );
    }
    service.onSnapshot = save;
    lastSaved = service.mutations;
    // Snapshot after every K-th state-changing request (wraps the dispatcher; the reply is sent after the write).
    const handle = service.handle.bind(service);
    service.handle = (line: string, where?: string): string => {
      const before = service.mutations;
      const reply = handle(line, where);
      // Only a request that changed state writes (and, after a failed write, retries): a read never gets E_IO.
      if (service.mutations === before || service.mutations - lastSaved < every) return reply;
      try {
        save();
      } catch (e) {
        if (e instanceof ProtocolError) return ioReply(reply, e);
        throw e;
      }
      return reply;
    };
  }
  const onSignal = (): void => {
    process.exit(finalSave() ? 0 : 1);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  if (args.stdio) {
    await serveStdio({ maxBytes: args.maxBytes, service });
    const ok = finalSave();
    process.stdout.write('', () => process.exit(ok ? 0 : 1));
    return;
  }
  const { host, port } = args.http as { host: string; port: number };
  if (!isLoopbackHost(host) && !args.unsafeBind)
    die(`refusing to bind ${host}: only loopback (127.0.0.1, ::1, localhost) is allowed without --unsafe-bind`);
  if (!isLoopbackHost(host)) {
    process.stderr.write(
      `rl-curriculum: WARNING: --unsafe-bind: serving on ${host}, reachable from other machines${args.token === undefined ? ' WITHOUT a token' : ''}\n`,
    );
  }
  const server = await serveHttp({
    host,
    port,
    maxBytes: args.maxBytes,
    service,
    token: args.token,
    allowOrigins: args.allowOrigins,
    unsafeBind: args.unsafeBind,
  });
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: server.url, token: args.token !== undefined })}\n`);
  const timer = setInterval(() => {
    if (service.closed) {
      clearInterval(timer);
      const ok = finalSave();
      void server.close().then(() => process.exit(ok ? 0 : 1));
    }
  }, 50);
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (cmd === '--help' || cmd === '-h' || cmd === 'help' || rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (cmd === 'version' || cmd === '--version') {
    process.stdout.write(`${JSON.stringify({ package: PACKAGE, version: version(), protocol: PROTOCOL })}\n`);
    return;
  }
  if (cmd !== 'serve') die(cmd === undefined ? 'missing command' : `unknown command ${JSON.stringify(cmd)}`);
  let args: ServeArgs;
  try {
    args = parseServeArgs(rest, process.env);
  } catch (e) {
    die((e as Error).message);
  }
  await serve(args);
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`rl-curriculum: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
