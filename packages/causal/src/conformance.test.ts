import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const runner = join(here, 'conformance.ts');
const tsx = join(here, '../../../node_modules/.bin/tsx');

function run(file: string): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync(tsx, [runner, file], { encoding: 'utf8' }) };
  } catch (e) {
    const err = e as { status: number; stdout: string };
    return { code: err.status, out: err.stdout };
  }
}

const vecDir = join(here, '../vectors');

describe('conformance runner', () => {
  it('passes the public vectors and the independent NumPy cases (ivl_da_scm, eacs_small)', () => {
    for (const f of ['causal.json', 'causal-extra.json']) {
      const r = run(join(vecDir, f));
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/conformance: \d+ passed, 0 failed\s*$/);
    }
  });
  it('fails on corrupted copies (one number changed per case type), unknown keys and unknown cases', () => {
    const dir = mkdtempSync(join(tmpdir(), 'causal-conf-'));
    const pub = JSON.parse(readFileSync(join(vecDir, 'causal.json'), 'utf8'));
    const extra = JSON.parse(readFileSync(join(vecDir, 'causal-extra.json'), 'utf8'));
    const corruptions: [string, (d: typeof pub) => void][] = [
      [join(vecDir, 'causal.json'), (d) => (d.cases.tsls_small.outputs.first_stage[0].partial_f_pvalue *= 1 + 1e-5)],
      [join(vecDir, 'causal.json'), (d) => (d.cases.anchor_small.outputs.centered['2.0'].coef[1] += 1e-7)],
      [
        join(vecDir, 'causal.json'),
        (d) => (d.cases.drm_inference.outputs.combine['0.5'].pseudo_mask['0.25'][2] = false),
      ],
      [join(vecDir, 'causal.json'), (d) => (d.cases.tsls_small.crosscheck.statsmodels_IV2SLS_bse[0] *= 1.001)],
      [join(vecDir, 'causal-extra.json'), (d) => (d.cases.ivl_da_scm.outputs.ivl['0.1'][2] += 1e-6)],
      [join(vecDir, 'causal-extra.json'), (d) => (d.cases.eacs_small.outputs.labels_constrained[3] = 1 - 0)],
      [join(vecDir, 'causal-extra.json'), (d) => (d.cases.eacs_small.outputs.selector_unconstrained.W[0][0] += 0.01)],
      [join(vecDir, 'causal.json'), (d) => (d.cases.tsls_small.outputs.not_a_field = 1)],
      [join(vecDir, 'causal.json'), (d) => (d.cases.mystery_case = { inputs: {}, outputs: { a: 1 } })],
    ];
    corruptions.forEach(([src, mutate], i) => {
      const d = JSON.parse(JSON.stringify(src.endsWith('extra.json') ? extra : pub));
      mutate(d);
      const f = join(dir, `c${i}.json`);
      writeFileSync(f, JSON.stringify(d));
      const r = run(f);
      expect(r.code, `corruption ${i}`).toBe(1);
      expect(r.out).toMatch(/conformance: \d+ passed, [1-9]\d* failed\s*$/);
    });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    const r = run(bad);
    expect(r.code).toBe(1);
    expect(r.out).toContain('conformance: 0 passed, 1 failed');
  });
});
