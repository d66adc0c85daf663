import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('legacy rules are quarantined (§3.7)', () => {
  it('no non-test module outside src/legacy imports it, except the conformance code', () => {
    const allowed = new Set(['conformance.ts', 'conformance/runCase.ts']);
    const offenders = sources(root)
      .filter((p) => !p.endsWith('.test.ts'))
      .map((p) => relative(root, p))
      .filter((p) => !p.startsWith('legacy/') && !allowed.has(p))
      .filter((p) => /from\s+['"][^'"]*legacy[^'"]*['"]/.test(readFileSync(join(root, p), 'utf8')));
    expect(offenders).toEqual([]);
  });
  it('the public entry does not re-export the legacy functions', () => {
    const index = readFileSync(join(root, 'index.ts'), 'utf8');
    expect(index).not.toMatch(/legacy/i);
  });
});
