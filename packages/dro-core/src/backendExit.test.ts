import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const backendModule = fileURLToPath(new URL('./backend.ts', import.meta.url));

describe('initBackend on wasm', () => {
  it('leaves Node’s own handling of an uncaught error in user code (exit code 1, the error printed)', () => {
    const script = `
      const { initBackend } = await import(${JSON.stringify(backendModule)});
      const info = await initBackend({ backend: 'wasm' });
      if (info.name !== 'wasm') process.exit(3);
      setTimeout(() => { throw new Error('user-code-failure'); }, 0);
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).toContain('user-code-failure');
    expect(r.status).toBe(1);
  });
});
