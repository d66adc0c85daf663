#!/usr/bin/env node
// rl-curriculum / drojs-curriculum CLI:
//   serve --stdio [--max-bytes N] [--state-file F] [--snapshot-every K]
//   serve --http 127.0.0.1:PORT [--max-bytes N] [--state-file F] [--snapshot-every K]
//   version
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { serveHttp } from './server/http.js';
import {
  type CurriculumService,
  createCurriculumService,
  DEFAULT_MAX_BYTES,
  PROTOCOL,
  type ServiceSnapshot,
} from './server/service.js';
import { serveStdio } from './server/stdio.js';

const USAGE = `usage:
  rl-curriculum serve --stdio [--max-bytes N] [--state-file FILE] [--snapshot-every K]
  rl-curriculum serve --http 127.0.0.1:PORT [--max-bytes N] [--state-file FILE] [--snapshot-every K]
  rl-curriculum version

--state-file FILE     restore every controller from FILE on start (if it exists) and write snapshots to it
                      atomically (temporary file + fsync + rename): after every K-th state-changing request
                      (--snapshot-every, default 1), on the 'snapshot' method, on close, EOF, SIGINT and SIGTERM.`;

function die(message: string): never {
  process.stderr.write(`rl-curriculum: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/** Atomic write: a crash never leaves half a snapshot. */
function writeAtomic(path: string, data: string): void {
  const tmp = join(dirname(path), `.${Date.now()}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(dirname(process.argv[1] ?? '.'), '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (cmd === 'version') {
    process.stdout.write(
      `${JSON.stringify({ package: '@drojs/rl-curriculum', version: version(), protocol: PROTOCOL })}\n`,
    );
    return;
  }
  if (cmd !== 'serve') die(cmd === undefined ? 'missing command' : `unknown command ${JSON.stringify(cmd)}`);
  let stdio = false;
  let http: string | undefined;
  let maxBytes = DEFAULT_MAX_BYTES;
  let stateFile: string | undefined;
  let every = 1;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined) die(`${a} needs a value`);
      return v;
    };
    if (a === '--stdio') stdio = true;
    else if (a === '--http') http = value();
    else if (a === '--max-bytes') {
      maxBytes = Number(value());
      if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) die('--max-bytes must be a positive integer');
    } else if (a === '--state-file') stateFile = value();
    else if (a === '--snapshot-every') {
      every = Number(value());
      if (!Number.isSafeInteger(every) || every < 1) die('--snapshot-every must be a positive integer');
    } else die(`unknown option ${JSON.stringify(a)}`);
  }
  if (stdio === (http !== undefined)) die('choose exactly one of --stdio and --http HOST:PORT');

  const service: CurriculumService = createCurriculumService({ maxBytes });
  let lastSaved = -1;
  const save = (): string => {
    if (!stateFile) return '';
    writeAtomic(stateFile, JSON.stringify(service.snapshot()));
    lastSaved = service.mutations;
    return stateFile;
  };
  if (stateFile) {
    if (existsSync(stateFile)) {
      try {
        service.restore(JSON.parse(readFileSync(stateFile, 'utf8')) as ServiceSnapshot);
        process.stderr.write(`rl-curriculum: restored controllers from ${stateFile}\n`);
      } catch (e) {
        die(`cannot restore ${stateFile}: ${(e as Error).message}`);
      }
    }
    service.onSnapshot = save;
    lastSaved = service.mutations;
  }
  // Snapshot after every K-th state-changing request (wraps the dispatcher; the reply is sent after the write).
  if (stateFile) {
    const handle = service.handle.bind(service);
    service.handle = (line: string, where?: string): string => {
      const reply = handle(line, where);
      if (service.mutations - lastSaved >= every) save();
      return reply;
    };
  }
  const onSignal = (): void => {
    try {
      save();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  if (stdio) {
    await serveStdio({ maxBytes, service });
    save();
    process.stdout.write('', () => process.exit(0));
    return;
  }
  const spec = http as string;
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(spec);
  if (!m) die(`--http expects HOST:PORT, got ${JSON.stringify(spec)}`);
  const host = (m[1] as string).replace(/^\[|\]$/g, '');
  if (!['127.0.0.1', '::1', 'localhost'].includes(host))
    die(`refusing to bind ${host}: only loopback (127.0.0.1, ::1, localhost) is allowed`);
  const server = await serveHttp({ host, port: Number(m[2]), maxBytes, service });
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: server.url })}\n`);
  const timer = setInterval(() => {
    if (service.closed) {
      clearInterval(timer);
      save();
      void server.close().then(() => process.exit(0));
    }
  }, 50);
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`rl-curriculum: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
