import { describe, expect, it } from 'vitest';
import { type Method, type RunResult, runMethod } from './methods.js';

const SEEDS = [0, 1, 2, 3];
const METHODS: Method[] = ['grpo', 'pgdro_resample_fail', 'dump', 'rgdro_sqrt'];

describe('curriculum simulation (spec §17.2, main preset, seeds 0–3)', () => {
  const runs: Record<string, RunResult[]> = {};
  for (const m of METHODS) runs[m] = SEEDS.map((s) => runMethod(m, s, 'main'));
  const mean = (m: string, k: 'natural' | 'macro') =>
    (runs[m] as RunResult[]).reduce((a, r) => a + r[k], 0) / SEEDS.length;

  it('every seed: Prompt-GDRO resample and DUMP beat uniform GRPO on natural and macro pass@8', () => {
    SEEDS.forEach((_, i) => {
      const g = (runs.grpo as RunResult[])[i] as RunResult;
      for (const m of ['pgdro_resample_fail', 'dump']) {
        const r = (runs[m] as RunResult[])[i] as RunResult;
        expect(r.natural, `${m} seed ${i} natural`).toBeGreaterThan(g.natural);
        expect(r.macro, `${m} seed ${i} macro`).toBeGreaterThan(g.macro);
      }
    });
  });

  it('mean over seeds: pgdro_resample_fail > dump > grpo (natural pass@8)', () => {
    expect(mean('pgdro_resample_fail', 'natural')).toBeGreaterThan(mean('dump', 'natural'));
    expect(mean('dump', 'natural')).toBeGreaterThan(mean('grpo', 'natural'));
  });

  it('rgdro_sqrt: every step spends exactly 256 rollouts with every count in [2, 12], at an equal budget', () => {
    for (const r of runs.rgdro_sqrt as RunResult[]) {
      expect(r.allocations.length).toBe(250);
      for (const a of r.allocations) {
        expect(a.total).toBe(256);
        expect(a.min).toBeGreaterThanOrEqual(2);
        expect(a.max).toBeLessThanOrEqual(12);
      }
      expect(r.rollouts).toBe(64_000);
    }
    for (const m of METHODS) for (const r of runs[m] as RunResult[]) expect(r.rollouts).toBe(64_000);
  });

  it("DUMP's sampled level rises by at least 1 from steps [0, 25) to [150, 250)", () => {
    for (const r of runs.dump as RunResult[]) {
      const avg = (a: number, b: number) => r.meanLevel.slice(a, b).reduce((x, y) => x + y, 0) / (b - a);
      expect(avg(150, 250) - avg(0, 25)).toBeGreaterThanOrEqual(1);
    }
  });

  it('--checkpoint-at 120 (controllers, world and RNGs rebuilt from JSON) gives identical final metrics', () => {
    for (const m of ['pgdro_resample_fail', 'dump', 'rgdro_exp3p_fail', 'pgdro_rw_fail'] as Method[]) {
      const a = runMethod(m, 0, 'main');
      const b = runMethod(m, 0, 'main', { checkpointAt: 120 });
      expect(b.natural).toBe(a.natural);
      expect(b.macro).toBe(a.macro);
      expect(b.auc).toBe(a.auc);
      expect(b.perLevel).toEqual(a.perLevel);
    }
  });
});
