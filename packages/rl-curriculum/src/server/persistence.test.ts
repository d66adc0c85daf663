import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, PKG_DIR, rpc, spawnHttpServer } from '../test-support/spawnServer.js';
import { createCurriculumService } from './service.js';

const stdio = (args: string[], input: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', CLI, 'serve', '--stdio', ...args], {
    input,
    encoding: 'utf8',
    cwd: PKG_DIR,
    timeout: 60_000,
  });

const POOL = Array.from({ length: 3000 }, (_, i) => `prompt-uid-${i}`);
const create = { controller: 'pg', kind: 'promptGdro', config: { mode: 'resample', pool: POOL, seed: 5 } };
const results = (t: number) =>
  [0, 1, 2, 3].map((k) => ({ uid: `prompt-uid-${(t * 7 + k * 13) % 3000}`, rewards: [1, 0, (t + k) % 2, 0] }));

describe('state-file faults (spawned CLI)', () => {
  it('a removed state directory: E_IO reply, the process keeps serving and keeps the state; snapshot works again once it exists', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rlc-io-'));
    const dir = join(root, 'sub');
    mkdirSync(dir);
    const file = join(dir, 'state.json');
    const server = await spawnHttpServer(['--state-file', file]);
    try {
      expect((await rpc(server.url, 'create', create)).result).toBeDefined();
      expect(existsSync(file)).toBe(true);
      rmSync(dir, { recursive: true });
      const r = await rpc(server.url, 'update', { controller: 'pg', results: results(1), step: 1 });
      expect(r.error?.code).toBe('E_IO');
      expect(r.error?.reason).toBe('io');
      expect(r.error?.message).toContain(file);
      expect(r.error?.message).toContain('kept in memory');
      // Still serving, with the update applied in memory (equal to an in-process service that ran it).
      expect((await rpc(server.url, 'hello')).result?.protocol).toBe(1);
      const ref = createCurriculumService();
      ref.handle(JSON.stringify({ id: 1, method: 'create', params: create }));
      ref.handle(
        JSON.stringify({ id: 2, method: 'update', params: { controller: 'pg', results: results(1), step: 1 } }),
      );
      const refState = JSON.parse(ref.handle(JSON.stringify({ id: 3, method: 'state', params: { controller: 'pg' } })));
      expect((await rpc(server.url, 'state', { controller: 'pg' })).result).toEqual(refState.result);
      // The snapshot method reports the fault too, then succeeds once the directory is back.
      expect((await rpc(server.url, 'snapshot')).error?.code).toBe('E_IO');
      mkdirSync(dir);
      expect((await rpc(server.url, 'snapshot')).result).toEqual({ path: file });
      expect(JSON.parse(readFileSync(file, 'utf8')).controllers[0].state).toEqual(refState.result.state);
      expect(readdirSync(dir)).toEqual(['state.json']);
      expect((await rpc(server.url, 'close')).result).toEqual({});
      expect(await server.exited).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 60_000);

  it('stdio with a missing directory: every line answered, E_IO on changes, state kept, exit 1 with a message at EOF', () => {
    const root = mkdtempSync(join(tmpdir(), 'rlc-io2-'));
    const file = join(root, 'missing', 'state.json');
    const lines = [
      { id: 1, method: 'create', params: { controller: 'c', kind: 'classifier' } },
      { id: 2, method: 'update', params: { controller: 'c', results: [{ uid: 'u', rewards: [1, 1] }] } },
      { id: 3, method: 'classify', params: { controller: 'c', uids: ['u'] } },
      { id: 4, method: 'hello' },
    ].map((x) => JSON.stringify(x));
    const r = stdio(['--state-file', file], `${lines.join('\n')}\n`);
    const replies = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(replies.map((x) => x.id)).toEqual([1, 2, 3, 4]);
    expect(replies[0].error.code).toBe('E_IO');
    expect(replies[1].error.code).toBe('E_IO');
    expect(replies[2].result.accuracy).toEqual([1]);
    expect(replies[3].result.protocol).toBe(1);
    expect(r.stderr).toContain('does not exist');
    expect(r.stderr).toContain('final snapshot failed');
    expect(r.stderr).not.toContain('    at ');
    expect(r.status).toBe(1);
  }, 60_000);

  it('temporary files of interrupted snapshots are removed at start-up; other files are kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlc-tmp-'));
    const file = join(dir, 'state.json');
    const big = 'x'.repeat(1_200_000);
    const stale = ['.state.json.4242.1765000000000.tmp', '.1765000000000.4242.tmp'];
    const keep = ['.other.json.4242.1765000000000.tmp', 'notes.tmp', '.state.json.tmp'];
    for (const n of [...stale, ...keep]) writeFileSync(join(dir, n), big);
    const r = stdio(['--state-file', file], `${JSON.stringify({ id: 1, method: 'hello' })}\n`);
    expect(r.status, r.stderr).toBe(0);
    for (const n of stale) expect(r.stderr).toContain(n);
    expect(readdirSync(dir).sort()).toEqual([...keep, 'state.json'].sort());
  }, 60_000);

  it('kill -9 during a run: the restarted server restores the last acknowledged update (or the one in flight)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlc-kill-'));
    const file = join(dir, 'state.json');
    const ref = createCurriculumService();
    ref.handle(JSON.stringify({ id: 0, method: 'create', params: create }));
    const refStates = [JSON.stringify(ref.snapshot())];
    const a = await spawnHttpServer(['--state-file', file]);
    let acked = 0;
    try {
      expect((await rpc(a.url, 'create', create)).result).toBeDefined();
      for (let t = 1; t <= 25; t++) {
        ref.handle(
          JSON.stringify({ id: t, method: 'update', params: { controller: 'pg', results: results(t), step: t } }),
        );
        refStates.push(JSON.stringify(ref.snapshot()));
        if (t < 25) {
          expect((await rpc(a.url, 'update', { controller: 'pg', results: results(t), step: t })).result).toBeDefined();
          acked = t;
        } else {
          // The last update is in flight when the process is killed.
          void rpc(a.url, 'update', { controller: 'pg', results: results(t), step: t }).catch(() => {});
          await new Promise((r) => setTimeout(r, 2));
        }
      }
    } finally {
      a.child.kill('SIGKILL');
    }
    await a.exited;
    const b = await spawnHttpServer(['--state-file', file]);
    try {
      expect(b.stderr()).toContain('restored');
      const restored = JSON.stringify(JSON.parse(readFileSync(file, 'utf8')));
      expect([refStates[acked], refStates[acked + 1]]).toContain(restored);
      expect(readdirSync(dir)).toEqual(['state.json']);
      expect((await rpc(b.url, 'list')).result?.controllers).toEqual([{ controller: 'pg', kind: 'promptGdro' }]);
    } finally {
      b.child.kill('SIGKILL');
    }
  }, 60_000);
});
