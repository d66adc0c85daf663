import { describeBackends, loadVectors } from '@drojs/dro-core/testing';
import { describe, expect, it } from 'vitest';
import { checkVectors } from './check.js';

const VECTORS = new URL('../../vectors/sdm.json', import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: untyped JSON
type J = any;

describeBackends('sdm vectors', () => {
  it('every section of the vendored vectors passes through the public API', async () => {
    const results = await checkVectors(loadVectors(VECTORS));
    const failing = results.filter((r) => r.failures.length > 0).map((r) => `${r.id}: ${r.failures.join('; ')}`);
    expect(failing).toEqual([]);
    const ids = results.map((r) => r.id.split(/[[.]/)[0]);
    for (const section of [
      'sdm_activation',
      'sdm_loss',
      'similarity_q',
      'knn_sq_l2',
      'distance',
      'rescaled_similarity',
      'high_reliability_region',
      'hr_indicator_and_ess',
      'end_to_end',
      'legacy_v3_cauchy',
    ]) {
      expect(ids, section).toContain(section);
    }
  });
});

describe('sdm vectors: corrupted copies are caught', () => {
  const corruptions: [string, (v: J) => void][] = [
    ['activation probability', (v) => (v.sdm_activation[3].sdm[0][0] += 1e-3)],
    ['loss gradient', (v) => (v.sdm_loss.grad_mean_loss_wrt_z[0][0] += 1e-3)],
    ['balanced loss', (v) => (v.sdm_loss.balanced += 1e-6)],
    ['q', (v) => (v.similarity_q[2].q[0] += 1)],
    ['knn index', (v) => (v.knn_sq_l2.idx[0][0] = v.knn_sq_l2.idx[0][1])],
    ['distance quantile', (v) => (v.distance.quantile.d[1] += 1e-6)],
    ['q prime', (v) => (v.rescaled_similarity.q_prime[1] += 1e-6)],
    ['region threshold', (v) => (v.high_reliability_region['alpha_0.95'].thresholds[0] += 1e-3)],
    ['no-region marker', (v) => (v.high_reliability_region['alpha_0.999'].q_prime_min = 12)],
    ['ess', (v) => (v.hr_indicator_and_ess.n_eff[2][1] += 1)],
    ['end-to-end d_lower', (v) => (v.end_to_end.test_expected.d_lower[0] += 1e-3)],
    ['end-to-end admission', (v) => (v.end_to_end.test_expected.is_hr_lower[1] = false)],
    ['support statistics', (v) => (v.end_to_end.training_support_expected.q_exclude_self[3] += 1)],
    ['legacy', (v) => (v.legacy_v3_cauchy.quantile += 1e-6)],
  ];
  for (const [name, corrupt] of corruptions) {
    it(`detects a changed ${name}`, async () => {
      const v = loadVectors<J>(VECTORS);
      corrupt(v);
      const results = await checkVectors(v);
      expect(results.filter((r) => r.failures.length > 0).length).toBe(1);
    });
  }
});
