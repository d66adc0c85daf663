import { describeBackends, loadVectors } from '@drojs/dro-core/testing';
import { expect, it } from 'vitest';
import { runVectors } from './vectorCases.js';

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
