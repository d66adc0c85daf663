import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadVectors } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { type Case, type Json, runCase } from './conformance/runCase.js';

const file = new URL('../vectors/smoothing.json', import.meta.url);
const vectors = loadVectors<{ cases: Case[] }>(file);

describe('smoothing vectors (vendored copy)', () => {
  it('has the public cases', () => {
    expect(vectors.cases.length).toBe(128);
  });
  for (const c of vectors.cases) {
    it(`${c.fn}: ${c.name}`, () => {
      expect(runCase(c)).toBeNull();
    });
  }
});

/** Every numeric leaf of an output, as paths. */
function numericPaths(v: Json, path: (string | number)[] = []): (string | number)[][] {
  if (typeof v === 'number') return [path];
  if (Array.isArray(v)) return v.flatMap((x, i) => numericPaths(x, [...path, i]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => numericPaths(x, [...path, k]));
  return [];
}

function setPath(o: Json, path: (string | number)[], f: (x: number) => Json): void {
  let cur = o as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  cur[last] = f(cur[last] as number);
}

describe('corrupted vectors are caught', () => {
  it('changing any single expected number fails its case', () => {
    let checked = 0;
    for (const c of vectors.cases) {
      for (const p of numericPaths(c.output)) {
        const bad = structuredClone(c);
        // A change well outside the case's tolerance: 10·tol + 1e-6 (integers and masks: ±1).
        setPath(bad.output, p, (x) =>
          Number.isInteger(x) && c.tol === 0 ? (x === 0 ? 1 : x - 1) : x + 10 * c.tol + 1e-6,
        );
        expect(runCase(bad), `${c.name} ${p.join('.')}`).not.toBeNull();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });
  it('an unknown fn, a missing output field or a wrong array length fails', () => {
    const c = vectors.cases[0] as Case;
    expect(runCase({ ...c, fn: 'noSuchFunction' })).toMatch(/unknown fn/);
    const dual = vectors.cases.find((x) => x.fn === 'dualCertifyFromCounts') as Case;
    expect(runCase({ ...dual, output: { ...dual.output, extraField: 1 } })).toMatch(
      /extraField: expected 1, got undefined/,
    );
    const masks = vectors.cases.find((x) => x.fn === 'authorsMasks') as Case;
    const m = structuredClone(masks);
    (m.output.left as Json[]).pop();
    expect(runCase(m)).toMatch(/length/);
  });
});

describe('conformance runner', () => {
  // The CLI source run through tsx (the package's own dist may not be built when tests run).
  const cli = new URL('./conformance.ts', import.meta.url).pathname;
  const run = (path: string) => execFileSync(process.execPath, ['--import', 'tsx', cli, path], { encoding: 'utf8' });
  it('passes the vendored file and fails a corrupted copy with exit code 1', () => {
    const out = run(file.pathname);
    expect(out).toMatch(/conformance: 128 passed, 0 failed\n$/);
    const bad = structuredClone(vectors);
    const c = bad.cases.find((x) => x.fn === 'certifyFromCounts') as Case;
    c.output.radius = (c.output.radius as number) + 1e-6;
    const dir = mkdtempSync(join(tmpdir(), 'smoothing-conf-'));
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify(bad));
    let code = 0;
    let stdout = '';
    try {
      run(path);
    } catch (e) {
      code = (e as { status: number }).status;
      stdout = (e as { stdout: string }).stdout;
    }
    expect(code).toBe(1);
    expect(stdout).toMatch(/conformance: 127 passed, 1 failed\n$/);
  });
  it('reports a crash as one failure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smoothing-conf-'));
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "cases": ');
    let code = 0;
    let stdout = '';
    try {
      run(path);
    } catch (e) {
      code = (e as { status: number }).status;
      stdout = (e as { stdout: string }).stdout;
    }
    expect(code).toBe(1);
    expect(stdout).toMatch(/conformance: 0 passed, 1 failed\n$/);
  });
});
