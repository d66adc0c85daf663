import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serveHttp } from './http.js';
import { createCurriculumService } from './service.js';

const pkgDir = fileURLToPath(new URL('../..', import.meta.url));
const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
const node = (args: string[], input: string, opts: { cwd?: string } = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    input,
    encoding: 'utf8',
    cwd: opts.cwd ?? pkgDir,
    timeout: 90_000,
  });

const POOL = Array.from({ length: 80 }, (_, i) => `idx:${i}`);

/** Requests of a 170-step Prompt-GDRO run and the replies of an uninterrupted in-process service. */
function reference(): { requests: string[]; replies: string[] } {
  const s = createCurriculumService();
  const requests: string[] = [];
  const replies: string[] = [];
  const send = (req: unknown): unknown => {
    const line = JSON.stringify(req);
    requests.push(line);
    const r = s.handle(line);
    replies.push(r);
    return JSON.parse(r);
  };
  send({
    id: 0,
    method: 'create',
    params: { controller: 'pg', kind: 'promptGdro', config: { mode: 'resample', pool: POOL, seed: 11 } },
  });
  for (let t = 1; t <= 170; t++) {
    const b = send({ id: `s${t}`, method: 'sample', params: { controller: 'pg', batchSize: 8, step: t } }) as {
      result: { uids: string[] };
    };
    const results = b.result.uids.map((uid, k) => ({
      uid,
      rewards: [0, 1, 2, 3].map((j) => ((Number(uid.slice(4)) + j + t + k) % 5 === 0 ? 1 : 0)),
    }));
    send({ id: `u${t}`, method: 'update', params: { controller: 'pg', results, step: t } });
  }
  return { requests, replies };
}

const lines = (out: string): string[] => out.trim().split('\n');

describe('CLI (spawned processes)', () => {
  it('state file: checkpoint at step 120, restore in a new process, continue identically (remembered step keys included)', () => {
    const { requests, replies } = reference();
    const dir = mkdtempSync(join(tmpdir(), 'rlc-'));
    const file = join(dir, 'state.json');
    // requests[0] = create, then (sample, update) per step: step t occupies indices 2t−1, 2t.
    const upTo120 = requests.slice(0, 241);
    const a = node(['serve', '--stdio', '--state-file', file, '--snapshot-every', '1'], `${upTo120.join('\n')}\n`);
    expect(a.status, a.stderr).toBe(0);
    expect(lines(a.stdout)).toEqual(replies.slice(0, 241));
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).kind).toBe('@drojs/rl-curriculum/ServiceSnapshot');
    // New process: retry the update of step 120 (remembered → same reply, no state change), then continue.
    const b = node(
      ['serve', '--stdio', '--state-file', file],
      `${[requests[240], ...requests.slice(241)].join('\n')}\n`,
    );
    expect(b.status, b.stderr).toBe(0);
    expect(b.stderr).toContain('restored');
    expect(lines(b.stdout)).toEqual([replies[240], ...replies.slice(241)]);
  }, 120_000);

  it('an uninterrupted process replies exactly like the in-process service; refuses non-loopback hosts', () => {
    const { requests, replies } = reference();
    const r = node(['serve', '--stdio'], `${requests.join('\n')}\n`);
    expect(r.status, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual(replies);
    const bad = node(['serve', '--http', '0.0.0.0:0'], '');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('loopback');
    expect(bad.stderr).toContain('--unsafe-bind');
  }, 120_000);

  it('--help, bad options, and version through a bin link (a symlink, as npm installs it)', () => {
    const help = node(['--help'], '');
    expect(help.status).toBe(0);
    for (const o of ['--token', '--allow-origin', '--unsafe-bind', '--max-batch-size', '--max-bins', '--state-file'])
      expect(help.stdout).toContain(o);
    expect(node(['serve', '--help'], '').status).toBe(0);
    for (const args of [
      ['serve', '--stdio', '--token', 'x'],
      ['serve', '--http', '127.0.0.1:0', '--allow-origin', 'http://x/path'],
      ['serve', '--stdio', '--max-batch-size', '0'],
      ['serve', '--stdio', '--max-bins', '1e3'],
    ]) {
      const r = node(args, '');
      expect([args.join(' '), r.status]).toEqual([args.join(' '), 2]);
    }
    const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
    const bin = join(mkdtempSync(join(tmpdir(), 'rlc-bin-')), 'rl-curriculum');
    symlinkSync(cli, bin);
    const r = spawnSync(process.execPath, ['--import', 'tsx', bin, 'version'], { encoding: 'utf8', cwd: pkgDir });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ package: '@drojs/rl-curriculum', version, protocol: 1 });
  }, 120_000);

  const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  const hasPython = python.status === 0;
  it.runIf(hasPython)(
    'the Python client (stdlib) prints identical EMA sequences over stdio and HTTP with a token; no token is refused',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rlc-py-'));
      const script = join(pkgDir, 'python', 'rl_curriculum_client.py');
      const run = (env: Record<string, string>) =>
        new Promise<string>((resolve, reject) => {
          execFile(
            'python3',
            [script],
            { cwd: pkgDir, env: { ...process.env, ...env }, timeout: 90_000 },
            (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
          );
        });
      const viaStdio = await run({
        RL_CURRICULUM_CMD: `${process.execPath} --import tsx ${cli} serve --stdio`,
        RL_CURRICULUM_STATE: join(dir, 'a.json'),
      });
      // HTTP with a bearer token: the client sends RL_CURRICULUM_TOKEN; without it every call is refused (401).
      const token = 'py-client-token-0c1d';
      const server = await serveHttp({ host: '127.0.0.1', port: 0, token });
      let viaHttp: string;
      let refused: string;
      try {
        viaHttp = await run({
          RL_CURRICULUM_URL: server.url,
          RL_CURRICULUM_STATE: join(dir, 'b.json'),
          RL_CURRICULUM_TOKEN: token,
        });
        refused = await run({
          RL_CURRICULUM_URL: server.url,
          RL_CURRICULUM_STATE: join(dir, 'c.json'),
          RL_CURRICULUM_TOKEN: '',
        }).then(
          () => 'no error',
          (e: Error) => e.message,
        );
      } finally {
        await server.close();
      }
      expect(refused).toContain('CurriculumError');
      expect(refused).toContain('bearer token');
      expect(server.service.mutations).toBeGreaterThan(0);
      const out = lines(viaStdio);
      expect(out.length).toBe(6);
      expect(out[5]).toBe('retry-ok True');
      expect(lines(viaHttp)).toEqual(out);
      expect(JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')).state.kind).toBe(
        '@drojs/rl-curriculum/PromptGdroSampler',
      );
    },
    120_000,
  );
});
