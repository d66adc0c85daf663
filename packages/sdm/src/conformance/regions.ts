// Conformance evaluators of the high-reliability region (Algorithm 1) and the per-input indicator,
// effective sample sizes and DKW distance bounds computed against it.
import { distanceBounds, effectiveSampleSizes } from '../dkw.js';
import { findHighReliabilityRegion, highReliabilityIndicator } from '../region.js';
import type { Push } from './buildingBlocks.js';
import { asList, type J, num, regionFields } from './compare.js';

/** high_reliability_region and hr_indicator_and_ess (which refers to the first file's regions by key). */
export async function checkRegions(v: J, push: Push): Promise<void> {
  const regions = new Map<string, { region: J; sorted: Float64Array[] }>();
  for (const [i, hr] of asList(v.high_reliability_region).entries()) {
    for (const key of Object.keys(hr).filter((k) => k.startsWith('alpha_'))) {
      await push(`high_reliability_region[${i}].${key}`, (c) => {
        const alpha = Number(key.slice('alpha_'.length));
        const r = findHighReliabilityRegion({
          sdmProbs: hr.sdm,
          qPrime: hr.q_prime.map(num),
          labels: hr.labels,
          alpha,
          numClasses: hr.num_classes,
        });
        if (i === 0) regions.set(key, { region: r.region, sorted: r.qPrimeSortedPerClass });
        c.field(key, regionFields(r.region, r.calibrationIsOod, r.qPrimeSortedPerClass), hr[key], 'host');
        c.field(`${key}.found`, r.region.found, Number.isFinite(num(hr[key].q_prime_min)), 'exact');
      });
    }
  }

  for (const [i, cs] of asList(v.hr_indicator_and_ess).entries()) {
    await push(`hr_indicator_and_ess[${i}]`, (c) => {
      const reg = regions.get(cs.region);
      if (!reg) {
        c.failures.push(`region ${cs.region} not found in high_reliability_region`);
        return;
      }
      const alpha = cs.alpha ?? reg.region.alpha;
      const got = {
        floor_q_prime: [] as number[],
        is_hr: [] as boolean[],
        is_ood: [] as boolean[],
        n_eff: [] as number[][],
        eps: [] as number[][],
        d_lower: [] as number[],
        d_upper: [] as number[],
      };
      (cs.q_prime as unknown[]).forEach((qp, k) => {
        const ind = highReliabilityIndicator(num(qp), cs.sdm[k], cs.pred[k], reg.region);
        got.floor_q_prime.push(ind.floorQPrime);
        got.is_hr.push(ind.isHighReliability);
        got.is_ood.push(ind.isOod);
        const ess = effectiveSampleSizes(num(qp), reg.sorted, alpha);
        got.n_eff.push(Array.from(ess.n));
        got.eps.push(Array.from(ess.eps));
        if (cs.d) {
          const b = distanceBounds(num(cs.d[k]), ess.eps);
          got.d_lower.push(b.dLower);
          got.d_upper.push(b.dUpper);
        }
      });
      c.field('floor_q_prime', got.floor_q_prime, cs.floor_q_prime, 'exact');
      c.field('is_hr', got.is_hr, cs.is_hr, 'exact');
      c.field('is_ood', got.is_ood, cs.is_ood, 'exact');
      c.field('n_eff', got.n_eff, cs.n_eff, 'exact');
      c.field('eps', got.eps, cs.eps, 'host');
      c.field('d_lower', got.d_lower, cs.d_lower, 'host');
      c.field('d_upper', got.d_upper, cs.d_upper, 'host');
    });
  }
}
