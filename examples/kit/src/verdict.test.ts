import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  exampleName,
  recordedVerdicts,
  runMode,
  statusOf,
  toVerdictLine,
  type VerdictFile,
  verdict,
} from './verdict.js';

const KEYS = ['example', 'claim', 'measured', 'criterion', 'status', 'mode', 'seconds', 'plots'];

describe('verdict line', () => {
  it('has exactly the agreed keys in the agreed order', () => {
    const line = toVerdictLine(
      { claim: 'c', measured: 0.5, criterion: 'x > 0', status: 'PASS', note: 'n' },
      'quick',
      'ex',
      1.2,
    );
    expect(Object.keys(line)).toEqual(KEYS);
    expect(line).toEqual({
      example: 'ex',
      claim: 'c',
      measured: 0.5,
      criterion: 'x > 0',
      status: 'PASS',
      mode: 'quick',
      seconds: 1.2,
      plots: [],
    });
  });

  it('maps booleans and null to PASS/FAIL/INFO', () => {
    expect(toVerdictLine({ claim: 'c', measured: 1, criterion: 'k', status: false }, 'full', 'e', 0).status).toBe(
      'FAIL',
    );
    expect(toVerdictLine({ claim: 'c', measured: 1, criterion: 'k', status: true }, 'full', 'e', 0).status).toBe(
      'PASS',
    );
    expect(statusOf(null)).toBe('INFO');
  });

  it('rejects what a report could not show', () => {
    expect(() => toVerdictLine({ claim: '', measured: 1, criterion: 'k', status: 'PASS' }, 'full', 'e', 0)).toThrow(
      /claim/,
    );
    expect(() =>
      toVerdictLine({ claim: 'c', measured: Number.NaN, criterion: 'k', status: 'PASS' }, 'full', 'e', 0),
    ).toThrow(/measured/);
    expect(() =>
      toVerdictLine({ claim: 'c', measured: 1, criterion: 'k', status: 'OK' as 'PASS' }, 'full', 'e', 0),
    ).toThrow(/status/);
    expect(() =>
      toVerdictLine({ claim: 'c', measured: 1, criterion: 'k', status: 'PASS', plots: ['/abs.svg'] }, 'full', 'e', 0),
    ).toThrow(/relative/);
  });

  it('writes infinity as text so the line stays JSON', () => {
    const line = toVerdictLine(
      { claim: 'c', measured: Number.POSITIVE_INFINITY, criterion: 'k', status: 'INFO' },
      'full',
      'e',
      0,
    );
    expect(JSON.parse(JSON.stringify(line)).measured).toBe('Infinity');
  });

  it('reads mode from --quick and the name from the directory', () => {
    expect(runMode(['node', 'index.ts', '--quick'])).toBe('quick');
    expect(runMode(['node', 'index.ts'])).toBe('full');
    expect(exampleName('/repo/examples/ldr-noisy-labels')).toBe('ldr-noisy-labels');
  });
});

describe('verdict()', () => {
  const cwd = process.cwd();
  afterEach(() => {
    process.chdir(cwd);
    vi.restoreAllMocks();
    delete process.env.DROJS_DEMO_RUN_ID;
  });

  it('prints one VERDICT line per call and keeps out/verdicts.json complete', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'kit-')), 'my-example');
    mkdirSync(dir);
    process.chdir(dir);
    process.env.DROJS_DEMO_RUN_ID = 'run-1';
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((s: string) => void printed.push(s));
    verdict({ claim: 'a', measured: 1, criterion: 'k', status: 'PASS', plots: ['out/a.svg'] });
    verdict({ claim: 'b', measured: 'x', criterion: 'k', status: 'INFO', note: 'too short', fullCommand: 'pnpm full' });
    expect(printed).toHaveLength(2);
    for (const p of printed) expect(p).toMatch(/^VERDICT \{"example":"my-example","claim":/);
    const first = JSON.parse(printed[0]!.slice('VERDICT '.length));
    expect(Object.keys(first)).toEqual(KEYS);
    expect(first.plots).toEqual(['out/a.svg']);
    const file = JSON.parse(readFileSync(join(dir, 'out', 'verdicts.json'), 'utf8')) as VerdictFile;
    expect(file.runId).toBe('run-1');
    expect(file.example).toBe('my-example');
    expect(file.verdicts.map((v) => v.claim)).toEqual(['a', 'b']);
    expect(file.verdicts[1]!.note).toBe('too short');
    expect(file.verdicts[1]!.fullCommand).toBe('pnpm full');
    expect(recordedVerdicts()).toHaveLength(2);
  });
});
