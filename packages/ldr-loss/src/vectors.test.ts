import { describeBackends, loadVectors } from '@drojs/dro-core/testing';
import { expect, it } from 'vitest';
import { runVectors } from './conformance/vectorCases.js';

const data = loadVectors<Record<string, unknown>>(new URL('../vectors/ldr-loss.json', import.meta.url));

describeBackends('ldr-loss vectors', ['cpu', 'wasm'], () => {
  for (const section of ['ldr', 'baselines', 'aldr', 'gcl_unimodal', 'gcl_bimodal', 'kl_dro']) {
    it(`reproduces every '${section}' case (per_sample, mean, grad)`, () => {
      const results = runVectors(data, [section]);
      expect(results.length).toBe((data[section] as unknown[]).length);
      const failed = results.filter((r) => r.mismatch !== null).map((r) => `${r.name}: ${r.mismatch}`);
      expect(failed).toEqual([]);
    });
  }
});

describeBackends('conformance evaluator on corrupted copies', ['cpu'], () => {
  // One expected number changed by 1e-3·(1 + |v|) (10× the float32 tolerance) must be caught in every section.
  const targets: [
    string,
    number,
    (c: Record<string, unknown>) => [Record<string, unknown> | unknown[], string | number],
  ][] = [
    ['ldr', 3, (c) => [c.per_sample as unknown[], 1]],
    ['ldr', 9, (c) => [(c.grad as unknown[][])[0]!, 2]],
    ['baselines', 5, (c) => [c, 'mean']],
    ['aldr', 0, (c) => [(c.steps as Record<string, unknown>[])[2]!.lam_state_after as unknown[], 4]],
    ['aldr', 1, (c) => [(c.steps as Record<string, unknown>[])[1]!.kl as unknown[], 0]],
    [
      'gcl_unimodal',
      1,
      (c) => [((c.steps as Record<string, unknown>[])[1]!.state_after as Record<string, unknown>).tau as unknown[], 3],
    ],
    ['gcl_unimodal', 0, (c) => [(c.steps as Record<string, unknown>[])[0]!, 'batch_objective']],
    ['gcl_bimodal', 0, (c) => [(c.steps as Record<string, unknown>[])[1]!.grad_tau_txt_unclipped as unknown[], 1]],
    ['kl_dro', 2, (c) => [(c.steps as Record<string, unknown>[])[1]!, 'u_after']],
    ['kl_dro', 0, (c) => [c.weights as unknown[], 2]],
  ];
  for (const [section, idx, locate] of targets) {
    it(`catches a changed number in ${section}[${idx}]`, () => {
      const copy = structuredClone(data);
      const [holder, key] = locate((copy[section] as Record<string, unknown>[])[idx]!);
      const h = holder as Record<string | number, number>;
      h[key] = h[key]! + 1e-3 * (1 + Math.abs(h[key]!));
      const results = runVectors(copy);
      const failed = results.filter((r) => r.mismatch !== null);
      expect(failed.map((r) => r.section)).toEqual([section]);
    });
  }
  it('a case lacking a required field fails instead of being skipped', () => {
    const copy = structuredClone(data);
    delete (copy.ldr as Record<string, unknown>[])[0]!.grad;
    expect(runVectors(copy, ['ldr']).filter((r) => r.mismatch !== null)).toHaveLength(1);
  });
});
